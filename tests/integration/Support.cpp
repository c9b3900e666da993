#include "Support.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <sstream>

namespace dbarch::itest {

const std::string kConfig = R"({
  "extends": ["builtin:libpq"],
  "handler": {"functions": ["app::db::open_session"]}
}
)";

const std::string kHandlerSource =
    "#include <libpq-fe.h>\n"
    "namespace app::db {\n"
    "PGconn* open_session() { return PQconnectdb(\"service=app\"); }\n"
    "}  // namespace app::db\n";

const std::string kCleanOrders =
    "#include <libpq-fe.h>\n"
    "namespace app::db { PGconn* open_session(); }\n"
    "int order_count(PGconn* c) { return PQserverVersion(c); }\n";

const std::string kViolatingOrders =
    "#include <libpq-fe.h>\n"
    "namespace app::db { PGconn* open_session(); }\n"
    "int order_count(PGconn* c) { return PQserverVersion(c); }\n"
    "PGconn* rogue() { return PQconnectdb(\"host=orders\"); }\n";

namespace {

// Isolates every test process from the machine: its own HOME and git config, its own
// pre-commit cache, no variables of an enclosing git hook or of a user's dbarch setup.
class IsolatedEnvironment : public ::testing::Environment {
  public:
    void SetUp() override {
        home_ = std::make_unique<dbarch::test::TempDir>();
        for (const char* name :
             {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
              "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX", "GIT_CONFIG", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM",
              "GIT_CONFIG_COUNT", "GIT_CONFIG_PARAMETERS", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
              "GIT_COMMITTER_EMAIL", "GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS", "XDG_CONFIG_HOME", "DBARCH", "DBARCH_HOOK_ARGS",
              "DBARCH_DOCS_URL", "DBARCH_CACHE_DIR", "NO_COLOR", "SKIP", "PRE_COMMIT", "PRE_COMMIT_ALLOW_NO_CONFIG", "PRE_COMMIT_COLOR"})
            unsetenv(name);
        const fs::path home = home_->path() / "home";
        fs::create_directories(home);
        dbarch::test::writeFile(home / ".gitconfig",
                                "[user]\n"
                                "\tname = dbarch integration tests\n"
                                "\temail = dbarch-tests@example.invalid\n"
                                "[init]\n"
                                "\tdefaultBranch = main\n"
                                "[commit]\n"
                                "\tgpgsign = false\n"
                                "[core]\n"
                                "\tautocrlf = false\n"
                                "[advice]\n"
                                "\tdetachedHead = false\n"
                                "[safe]\n"
                                "\tdirectory = *\n");
        setenv("HOME", home.c_str(), 1);
        setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
        setenv("GIT_TERMINAL_PROMPT", "0", 1);
        setenv("GIT_EDITOR", "true", 1);
        setenv("PRE_COMMIT_HOME", (home_->path() / "pre-commit-home").c_str(), 1);
        setenv("LC_ALL", "C.UTF-8", 1);
    }
    void TearDown() override { home_.reset(); }

  private:
    std::unique_ptr<dbarch::test::TempDir> home_;
};

[[maybe_unused]] ::testing::Environment* const kIsolated = ::testing::AddGlobalTestEnvironment(new IsolatedEnvironment);

const char* kCMakeLists =
    "cmake_minimum_required(VERSION 3.16)\n"
    "project(shop CXX)\n"
    "set(CMAKE_EXPORT_COMPILE_COMMANDS ON)\n"
    "find_package(PostgreSQL QUIET)\n"
    "file(GLOB_RECURSE shop_sources CONFIGURE_DEPENDS src/*.cpp)\n"
    "add_library(shop OBJECT ${shop_sources})\n"
    "target_compile_features(shop PRIVATE cxx_std_17)\n"
    "if(PostgreSQL_FOUND)\n"
    "  target_link_libraries(shop PRIVATE PostgreSQL::PostgreSQL)\n"
    "else()\n"
    "  target_include_directories(shop PRIVATE /usr/include/postgresql)\n"
    "endif()\n";

}  // namespace

std::string describe(const ProcessResult& r) {
    return "exit code " + std::to_string(r.exitCode) + "\n--- stdout:\n" + r.out + "--- stderr:\n" + r.err;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::string python3() {
    std::error_code ec;
    return fs::exists("/usr/bin/python3", ec) ? "/usr/bin/python3" : "python3";
}

std::string dbarchBinary() {
    std::error_code ec;
    fs::path canonical = fs::canonical(DBARCH_BINARY, ec);
    return ec ? std::string(DBARCH_BINARY) : canonical.string();
}

std::string checkoutDir() { return DBARCH_SOURCE_DIR; }


std::string diagnosticHead(const std::string& file, const std::string& text, const std::string& needle,
                           const std::string& severity) {
    return file + ":" + positionOf(text, needle).str() + ": " + severity + ": ";
}

json parseJson(const std::string& text, const std::string& what) {
    try {
        return json::parse(text);
    } catch (const std::exception& e) {
        ADD_FAILURE() << what << " is not a JSON document: " << e.what() << "\n" << text;
        return json();
    }
}

Repo::Repo(Database database, const std::string& config) {
    if (!config.empty()) write(".dbarch.json", config);
    write(".gitignore", "/build/\n/out/\n*.sarif\n");
    if (database == Database::CMake) write("CMakeLists.txt", kCMakeLists);
    if (database == Database::CompileFlags) write("compile_flags.txt", "-std=c++17\n-I/usr/include/postgresql\n");
    gitOk("init -q");
}

void Repo::write(const std::string& relative, const std::string& text) const { dbarch::test::writeFile(dir_ / relative, text); }

std::string Repo::read(const std::string& relative) const { return readFile(dir_ / relative); }

void Repo::remove(const std::string& relative) const {
    std::error_code ec;
    fs::remove(dir_ / relative, ec);
}

ProcessResult Repo::sh(const std::string& command, const std::string& subdir) const {
    return dbarch::test::run(command, subdir.empty() ? root() : root() / subdir);
}

ProcessResult Repo::git(const std::string& args) const { return sh("git " + args); }

std::string Repo::gitOk(const std::string& args) const {
    ProcessResult r = git(args);
    EXPECT_EQ(r.exitCode, 0) << "git " << args << "\n" << describe(r);
    return r.out;
}

ProcessResult Repo::dbarch(const std::string& args, const std::string& subdir) const {
    return sh(shellQuote(dbarchBinary()) + " " + args, subdir);
}

void Repo::configure(const std::string& buildDir) const {
    std::string command = shellQuote(DBARCH_CMAKE_COMMAND) + " -S . -B " + shellQuote(buildDir) + " -G " +
                          shellQuote(DBARCH_CMAKE_GENERATOR);
    if (std::string(DBARCH_CMAKE_MAKE_PROGRAM).size())
        command += " -DCMAKE_MAKE_PROGRAM=" + shellQuote(DBARCH_CMAKE_MAKE_PROGRAM);
    if (std::string(DBARCH_CXX_COMPILER).size()) command += " -DCMAKE_CXX_COMPILER=" + shellQuote(DBARCH_CXX_COMPILER);
    ProcessResult r = sh(command);
    ASSERT_EQ(r.exitCode, 0) << command << "\n" << describe(r);
    ASSERT_TRUE(fs::exists(root() / buildDir / "compile_commands.json")) << describe(r);
}

void Repo::commitAll(const std::string& message) const {
    gitOk("add -A");
    gitOk("commit -q --no-verify -m " + shellQuote(message));
}

std::string Repo::head() const {
    ProcessResult r = git("rev-parse HEAD");
    return r.exitCode == 0 ? r.out : "(no HEAD)";
}

Repo::Snapshot Repo::snapshot() const {
    Snapshot s;
    s.status = git("status --porcelain=v1 -uall").out;
    s.stash = git("stash list").out;
    s.index = git("ls-files --stage").out;
    for (auto it = fs::recursive_directory_iterator(root()); it != fs::recursive_directory_iterator(); ++it) {
        std::string rel = it->path().lexically_relative(root()).generic_string();
        if (rel == ".git" || rel == "build" || rel == "out") {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file()) s.files[rel] = readFile(it->path());
    }
    return s;
}

std::string describe(const Repo::Snapshot& a, const Repo::Snapshot& b) {
    std::ostringstream out;
    if (a.status != b.status) out << "git status before:\n" << a.status << "after:\n" << b.status;
    if (a.stash != b.stash) out << "git stash list before:\n" << a.stash << "after:\n" << b.stash;
    if (a.index != b.index) out << "git ls-files --stage before:\n" << a.index << "after:\n" << b.index;
    std::set<std::string> names;
    for (const auto& [name, text] : a.files) names.insert(name);
    for (const auto& [name, text] : b.files) names.insert(name);
    for (const auto& name : names) {
        auto x = a.files.find(name), y = b.files.find(name);
        if (x == a.files.end()) out << "file appeared: " << name << "\n";
        else if (y == b.files.end()) out << "file disappeared: " << name << "\n";
        else if (x->second != y->second) out << "file changed: " << name << "\n";
    }
    return out.str();
}

}  // namespace dbarch::itest
