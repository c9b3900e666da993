// Integration test support: a tiny git repository with a C++ project in a temporary directory,
// and the real dbarch, git, cmake, pre-commit and python3 run against it.
//
// Every test binary process runs in an isolated environment (Support.cpp): a temporary HOME with
// its own ~/.gitconfig (user.name/email, init.defaultBranch), GIT_CONFIG_NOSYSTEM=1, a temporary
// PRE_COMMIT_HOME, and no GIT_DIR/GIT_INDEX_FILE/DBARCH* variables inherited from the caller, so
// that nothing depends on the machine's configuration and nothing needs the network.
//
// Suite names start with "Integration": CTest names discovered tests Suite.Name across all test
// binaries, and tests/unit and tests/cli have suites of their own.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "support/Process.hpp"
#include "support/ReportKeys.hpp"
#include "support/SourcePosition.hpp"

namespace dbarch::itest {

namespace fs = std::filesystem;
using dbarch::test::ProcessResult;
using dbarch::test::readFile;
using dbarch::test::shellQuote;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Sources used across the suites. Line numbers matter: the tests compute positions from them.

// libpq only; the handler is app::db::open_session (defined in src/db/session.cpp).
extern const std::string kConfig;
// src/db/session.cpp: the approved handler, allowed to call PQconnectdb.
extern const std::string kHandlerSource;
// src/orders.cpp, clean: uses a connection it is given.
extern const std::string kCleanOrders;
// src/orders.cpp with a direct connection at line 4 (the clean file plus two lines).
extern const std::string kViolatingOrders;

// ---------------------------------------------------------------------------------------------

std::string describe(const ProcessResult& r);
bool contains(const std::string& haystack, const std::string& needle);
// The python3 that has python3-jsonschema (Debian's), else whatever python3 is on PATH.
std::string python3();
std::string dbarchBinary();  // canonical path of the dbarch under test
std::string checkoutDir();   // the dbarch source tree the tests were built from

using dbarch::test::Position;  // support/SourcePosition.hpp
using dbarch::test::positionOf;

// "file:line:col: error: " as dbarch prints it for `needle` in `text`.
std::string diagnosticHead(const std::string& file, const std::string& text, const std::string& needle,
                           const std::string& severity = "error");

json parseJson(const std::string& text, const std::string& what);

// (file, line, rule) of every violation of a JSON report.
using dbarch::test::Key;  // support/ReportKeys.hpp
using dbarch::test::dumpKeys;
using dbarch::test::violationKeys;

// A git repository in a fresh temporary directory holding a small C++ project.
class Repo {
  public:
    enum class Database {
        CMake,         // CMakeLists.txt (CMAKE_EXPORT_COMPILE_COMMANDS, find_package(PostgreSQL)); configure()
        CompileFlags,  // compile_flags.txt: every source under the root is a unit
        None,
    };

    // Writes `config` as .dbarch.json (unless empty), a .gitignore (build dirs), the database
    // files, and runs `git init`.
    explicit Repo(Database database = Database::CompileFlags, const std::string& config = kConfig);

    const fs::path& root() const { return dir_.path(); }
    fs::path operator/(const std::string& relative) const { return dir_ / relative; }

    void write(const std::string& relative, const std::string& text) const;
    std::string read(const std::string& relative) const;
    void remove(const std::string& relative) const;

    // Runs `command` with /bin/sh in the repository (or `subdir` of it).
    ProcessResult sh(const std::string& command, const std::string& subdir = "") const;
    ProcessResult git(const std::string& args) const;
    // git that must succeed (a failure is a test failure, with git's output).
    std::string gitOk(const std::string& args) const;
    ProcessResult dbarch(const std::string& args, const std::string& subdir = "") const;

    // cmake -S . -B <buildDir>, with the generator, make program and compiler of the dbarch build.
    void configure(const std::string& buildDir = "build") const;
    // git add -A && git commit --no-verify: a commit that bypasses every hook.
    void commitAll(const std::string& message) const;
    std::string head() const;

    // Everything the tools must never touch: `git status` (index and working tree, untracked
    // files included), the stash, and the bytes of every file outside .git and build dirs.
    struct Snapshot {
        std::string status, stash, index;
        std::map<std::string, std::string> files;
        bool operator==(const Snapshot&) const = default;
    };
    Snapshot snapshot() const;

  private:
    dbarch::test::TempDir dir_;
};

std::string describe(const Repo::Snapshot& a, const Repo::Snapshot& b);

}  // namespace dbarch::itest
