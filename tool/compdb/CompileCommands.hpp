// Which translation units to check, and with which compile command: from compile_commands.json,
// clang's compile_flags.txt, or flags given after `--`. Never a silent guess: a source file the
// database does not cover is an error unless flags were given; a header is checked standalone
// with the command of the nearest unit, and the run says so.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>

#include <filesystem>
#include <stdexcept>
#include <set>
#include <string>
#include <vector>

#include "config/Config.hpp"
#include "findings/Finding.hpp"

namespace dbarch {

struct DatabaseOptions {
    std::string buildPath;               // -p: a build directory or a compile_commands.json
    std::vector<std::string> paths;      // files and directories to check; empty: everything
    std::vector<std::string> extraArgs;  // after `--`
    bool haveExtraArgs = false;          // `--` was given (possibly with no flags)
    std::filesystem::path workingDirectory;
    std::set<std::string> virtualFiles;  // absolute paths that exist for the compiler (staged content)
};

struct UnitPlan {
    std::vector<clang::tooling::CompileCommand> units;
    std::vector<AnalysisError> missing;  // inputs that could not be planned (no command, no file)
    std::vector<std::string> skipped;    // inputs named on purpose but not project code (excluded, outside)
    std::vector<std::string> notes;      // how inputs were planned, e.g. a header checked standalone
    std::string source;                  // where the commands came from, for messages
    std::filesystem::path databaseDirectory;  // the database file's directory; empty for flags after --
};

// No usable database at all, or a malformed one: a usage error (exit 2).
class DatabaseError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

UnitPlan planUnits(const DatabaseOptions& options, const Config& config);

// C and C++ sources (their own units) and headers (checked through units, or standalone), by
// extension: the one list every layer uses.
bool isSourceFile(const std::filesystem::path& path);
bool isHeaderFile(const std::filesystem::path& path);

}  // namespace dbarch
