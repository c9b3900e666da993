#include "analysis/SharedPreamble.hpp"

#include <clang/AST/ASTConsumer.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Frontend/MultiplexConsumer.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "analysis/BodySkipping.hpp"
#include "analysis/ToolSetup.hpp"
#include "scheduler/Scheduler.hpp"

using namespace clang;
namespace fs = std::filesystem;

namespace dbarch {
namespace {

// Says which bodies to skip; everything else is the PCH generator's.
class SkipLibraryBodies : public ASTConsumer {
  public:
    bool shouldSkipFunctionBody(Decl* decl) override { return !isPackForwardingTemplate(decl); }
};

class BuildPreambleAction : public GeneratePCHAction {
  public:
    BuildPreambleAction(std::string output, std::vector<std::string>& inputFiles)
        : output_(std::move(output)), inputFiles_(inputFiles) {}

  protected:
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& ci, StringRef file) override {
        ci.getFrontendOpts().OutputFile = output_;
        ci.getFrontendOpts().SkipFunctionBodies = true;
        std::vector<std::unique_ptr<ASTConsumer>> consumers;
        auto generator = GeneratePCHAction::CreateASTConsumer(ci, file);
        if (!generator) return nullptr;
        consumers.push_back(std::move(generator));
        consumers.push_back(std::make_unique<SkipLibraryBodies>());
        return std::make_unique<MultiplexConsumer>(std::move(consumers));
    }

    void EndSourceFileAction() override {
        const SourceManager& sm = getCompilerInstance().getSourceManager();
        for (auto it = sm.fileinfo_begin(); it != sm.fileinfo_end(); ++it)
            inputFiles_.push_back(fs::path(it->first->getName().str()).lexically_normal().string());
        GeneratePCHAction::EndSourceFileAction();
    }

  private:
    std::string output_;
    std::vector<std::string>& inputFiles_;
};

class BuildPreambleFactory : public tooling::FrontendActionFactory {
  public:
    BuildPreambleFactory(std::string output, std::vector<std::string>& inputFiles)
        : output_(std::move(output)), inputFiles_(inputFiles) {}
    std::unique_ptr<FrontendAction> create() override { return std::make_unique<BuildPreambleAction>(output_, inputFiles_); }

  private:
    std::string output_;
    std::vector<std::string>& inputFiles_;
};

std::string hashOf(const std::string& text) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
    return buffer;
}

std::string mainFileOf(const tooling::CompileCommand& command) {
    fs::path file(command.Filename);
    return (file.is_absolute() ? file : fs::path(command.Directory) / file).lexically_normal().string();
}

// The command without its input file and outputs: what must be equal for a PCH to be reusable.
std::vector<std::string> flagsOf(const tooling::CompileCommand& command) {
    std::vector<std::string> flags;
    const auto& line = command.CommandLine;
    std::string main = mainFileOf(command);
    for (size_t i = 0; i < line.size(); ++i) {
        const std::string& arg = line[i];
        if (arg == "-o" || arg == "-MF" || arg == "-MT" || arg == "-MQ") {
            ++i;
            continue;
        }
        if (arg == "-c" || arg.rfind("-o", 0) == 0 && arg.size() > 2 || arg == "-MD" || arg == "-MMD") continue;
        if (arg == command.Filename || (fs::path(command.Directory) / arg).lexically_normal().string() == main) continue;
        flags.push_back(arg);
    }
    return flags;
}

std::optional<std::string> readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

std::vector<std::string> leadingSystemIncludes(const std::string& text) {
    std::vector<std::string> headers;
    std::istringstream in(text);
    std::string line;
    bool inComment = false;
    while (std::getline(in, line)) {
        size_t p = line.find_first_not_of(" \t\r");
        if (inComment) {
            size_t end = line.find("*/");
            if (end == std::string::npos) continue;
            inComment = false;
            p = line.find_first_not_of(" \t\r", end + 2);
        }
        if (p == std::string::npos) continue;
        std::string rest = line.substr(p);
        if (rest.rfind("//", 0) == 0) continue;
        if (rest.rfind("/*", 0) == 0) {
            if (rest.find("*/", 2) == std::string::npos) inComment = true;
            continue;
        }
        if (rest.rfind("#pragma once", 0) == 0) continue;
        if (rest.rfind("#include", 0) != 0) break;
        size_t open = rest.find_first_not_of(" \t", 8);
        if (open == std::string::npos || rest[open] != '<') break;  // a project include ends the block
        size_t close = rest.find('>', open);
        if (close == std::string::npos) break;
        headers.push_back(rest.substr(open + 1, close - open - 1));
    }
    return headers;
}

std::vector<std::string> preambleArguments(const Preamble& preamble) {
    return {"-include-pch", preamble.pchPath};
}

PreamblePlan buildSharedPreambles(const Config& config, const std::vector<tooling::CompileCommand>& units,
                                  const std::string& resourceDir, const fs::path& directory, unsigned jobs) {
    PreamblePlan plan;
    plan.forUnit.resize(units.size());

    // Per unit: (flags, leading includes). Count every prefix of every block per flags.
    std::vector<std::pair<std::string, std::vector<std::string>>> keys(units.size());
    std::map<std::pair<std::string, std::vector<std::string>>, size_t> prefixCount;
    for (size_t i = 0; i < units.size(); ++i) {
        auto text = readText(mainFileOf(units[i]));
        if (!text) continue;
        std::string flags;
        for (const auto& f : flagsOf(units[i])) flags += f + '\0';
        keys[i] = {flags + units[i].Directory, leadingSystemIncludes(*text)};
        const auto& headers = keys[i].second;
        for (size_t n = 1; n <= headers.size(); ++n)
            ++prefixCount[{keys[i].first, std::vector<std::string>(headers.begin(), headers.begin() + n)}];
    }
    // Each unit takes the longest prefix of its block that another unit shares.
    std::map<std::pair<std::string, std::vector<std::string>>, std::vector<size_t>> groups;
    for (size_t i = 0; i < units.size(); ++i) {
        const auto& headers = keys[i].second;
        for (size_t n = headers.size(); n >= 1; --n) {
            std::pair<std::string, std::vector<std::string>> prefix{keys[i].first, {headers.begin(), headers.begin() + n}};
            if (prefixCount[prefix] >= 2) {
                groups[prefix].push_back(i);
                break;
            }
        }
    }
    std::vector<std::pair<std::vector<std::string>, std::vector<size_t>>> work;
    for (auto& [prefix, members] : groups)
        if (members.size() >= 2) work.emplace_back(prefix.second, members);
    if (work.empty()) return plan;

    std::error_code ec;
    fs::create_directories(directory, ec);
    std::string root = fs::weakly_canonical(config.root, ec).generic_string() + "/";
    std::vector<std::shared_ptr<const Preamble>> built(work.size());
    runUnits(work.size(), jobs, [&](size_t w) {
        const auto& [headers, members] = work[w];
        const auto& model = units[members.front()];
        std::string block;
        for (const auto& h : headers) block += "#include <" + h + ">\n";
        std::string flags;
        for (const auto& f : flagsOf(model)) flags += f + ' ';
        std::string name = "prefix-" + hashOf(flags + model.Directory + block + std::to_string(::getpid()));
        fs::path header = directory / (name + ".hpp"), pch = directory / (name + ".pch");
        std::ofstream(header) << block;

        tooling::CompileCommand command = model;
        command.CommandLine = flagsOf(model);
        command.CommandLine.insert(command.CommandLine.end(), {"-x", "c++-header", header.string()});
        command.Filename = header.string();
        SingleCommandDatabase database(command);
        tooling::ClangTool tool(database, {header.string()}, std::make_shared<PCHContainerOperations>(),
                                llvm::vfs::createPhysicalFileSystem());
        addStandardAdjusters(tool, resourceDir);  // as every unit's: a PCH needs equal options
        IgnoringDiagConsumer quiet;
        tool.setDiagnosticConsumer(&quiet);
        tool.setPrintErrorMessage(false);
        auto preamble = std::make_shared<Preamble>();
        BuildPreambleFactory factory(pch.string(), preamble->inputFiles);
        auto started = std::chrono::steady_clock::now();
        int status = tool.run(&factory);
        preamble->buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        bool usable = status == 0 && fs::is_regular_file(pch, ec);
        // A block that reaches project headers must not be shared: their findings are reported
        // per unit and they change often.
        for (const auto& file : preamble->inputFiles)
            if (file.rfind(root, 0) == 0) usable = false;
        // The synthetic header lives only for this run: the block's real headers are the inputs.
        std::erase_if(preamble->inputFiles, [&](const std::string& f) { return f == header.lexically_normal().string(); });
        if (usable) {
            preamble->pchPath = pch.string();
            preamble->directory = directory.lexically_normal().string();
            preamble->headers = headers;
            built[w] = preamble;
        }
        UnitResult ignored;
        return ignored;
    });
    for (size_t w = 0; w < work.size(); ++w) {
        if (!built[w]) {
            ++plan.failed;
            continue;
        }
        ++plan.built;
        plan.buildSeconds += built[w]->buildSeconds;
        for (size_t i : work[w].second) plan.forUnit[i] = built[w];
    }
    return plan;
}

}  // namespace dbarch
