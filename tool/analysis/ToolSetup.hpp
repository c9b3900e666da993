// How every compiler run of dbarch is set up, units and shared preambles alike: a PCH is only
// accepted under the options it was built with, so both must come from here.
#pragma once

#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/Tooling.h>

#include <string>
#include <vector>

namespace dbarch {

// Exactly one command for exactly one file.
class SingleCommandDatabase : public clang::tooling::CompilationDatabase {
  public:
    explicit SingleCommandDatabase(clang::tooling::CompileCommand command) : command_(std::move(command)) {}
    std::vector<clang::tooling::CompileCommand> getCompileCommands(llvm::StringRef) const override { return {command_}; }
    std::vector<std::string> getAllFiles() const override { return {command_.Filename}; }

  private:
    clang::tooling::CompileCommand command_;
};

// The clang resource directory dbarch was built with (or overridden), and no warnings: they
// are not our business and cost time; errors are kept. -fno-caret-diagnostics also keeps the
// frontend from printing "N errors generated".
inline void addStandardAdjusters(clang::tooling::ClangTool& tool, const std::string& resourceDir) {
    using clang::tooling::ArgumentInsertPosition;
    using clang::tooling::getInsertArgumentAdjuster;
    tool.appendArgumentsAdjuster(getInsertArgumentAdjuster({"-resource-dir=" + resourceDir}, ArgumentInsertPosition::BEGIN));
    tool.appendArgumentsAdjuster(getInsertArgumentAdjuster({"-w", "-fno-caret-diagnostics"}, ArgumentInsertPosition::END));
}

}  // namespace dbarch
