// The plain git pre-commit hook: `dbarch install-hook`, then real `git commit`s. The hook must
// judge what the commit records (the index), never the working tree, and leave the working tree,
// the index and the stash as they were.
#include <sys/stat.h>

#include <chrono>

#include "Support.hpp"

namespace dbarch::itest {
namespace {

const std::string kViolation = "PQconnectdb(\"host=orders\")";

const std::string kLegacyHeaderClean =
    "#pragma once\n"
    "#include <libpq-fe.h>\n"
    "inline int legacy_version(PGconn* c) { return PQserverVersion(c); }\n";
const std::string kLegacyHeaderViolating =
    "#pragma once\n"
    "#include <libpq-fe.h>\n"
    "inline int legacy_version(PGconn* c) { return PQserverVersion(c); }\n"
    "inline PGconn* legacy_open() { return PQconnectdb(\"host=legacy\"); }\n";
const std::string kReports =
    "#include \"legacy.hpp\"\n"
    "int report(PGconn* c) { return legacy_version(c); }\n";

std::string all(const ProcessResult& r) { return r.out + r.err; }

// A CMake project (the handler, a clean orders.cpp, a header included by reports.cpp) configured
// into build/ and committed; each test installs the hook it needs.
class IntegrationHook : public ::testing::Test {
  protected:
    Repo repo{Repo::Database::CMake};

    void SetUp() override {
        repo.write("src/db/session.cpp", kHandlerSource);
        repo.write("src/orders.cpp", kCleanOrders);
        repo.write("src/legacy.hpp", kLegacyHeaderClean);
        repo.write("src/reports.cpp", kReports);
        ASSERT_NO_FATAL_FAILURE(repo.configure());
        repo.commitAll("initial");
    }

    void install() {
        auto r = repo.dbarch("install-hook");
        ASSERT_EQ(r.exitCode, 0) << describe(r);
    }

    ProcessResult commit(const std::string& message) { return repo.git("commit -m " + shellQuote(message)); }

    // A refused commit: exit code, the diagnostic, the hook's verdict, and HEAD unchanged.
    ::testing::AssertionResult refused(const ProcessResult& r, const std::string& head, const std::string& diagnostic,
                                       const std::string& rule = "[dbarch-direct-connection]") const {
        std::string why;
        if (r.exitCode == 0) why += "the commit was accepted (exit code 0)\n";
        if (!contains(all(r), diagnostic)) why += "the output lacks '" + diagnostic + "'\n";
        if (!contains(all(r), rule)) why += "the output lacks '" + rule + "'\n";
        if (!contains(all(r), "commit refused")) why += "the output lacks 'commit refused'\n";
        if (repo.head() != head) why += "HEAD moved: the commit was recorded\n";
        if (why.empty()) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << why << describe(r);
    }

    ::testing::AssertionResult accepted(const ProcessResult& r, const std::string& head) const {
        std::string why;
        if (r.exitCode != 0) why += "the commit was refused (exit code " + std::to_string(r.exitCode) + ")\n";
        if (contains(all(r), "error:")) why += "the output has an error\n";
        if (r.exitCode == 0 && repo.head() == head) why += "HEAD did not move: nothing was recorded\n";
        if (why.empty()) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << why << describe(r);
    }
};

// ---------------------------------------------------------------------------------------------
// dbarch install-hook

TEST_F(IntegrationHook, InstallWritesAnExecutableHookThatRecordsTheBinary) {
    auto r = repo.dbarch("install-hook");
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const fs::path hook = repo / ".git/hooks/pre-commit";
    EXPECT_TRUE(contains(r.out, "dbarch: installed the pre-commit hook in " + hook.string())) << describe(r);
    EXPECT_TRUE(contains(r.out, "(using " + dbarchBinary() + ")")) << describe(r);
    EXPECT_TRUE(contains(r.out, "git commit --no-verify")) << describe(r);

    struct stat st {};
    ASSERT_EQ(stat(hook.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 0111, 0111u) << "hook not executable: mode " << std::oct << st.st_mode;
    std::string script = readFile(hook);
    EXPECT_EQ(script.rfind("#!/bin/sh\n", 0), 0u) << script;
    EXPECT_TRUE(contains(script, "dbarch pre-commit hook")) << script;
    EXPECT_TRUE(contains(script, "DBARCH_RECORDED=" + shellQuote(dbarchBinary()) + "\n")) << script;
    EXPECT_TRUE(contains(script, "check ${DBARCH_HOOK_MODE:---staged}")) << script;

    // A second install over dbarch's own hook replaces it, and --args are recorded.
    auto again = repo.dbarch("install-hook --args '-p build'");
    EXPECT_EQ(again.exitCode, 0) << describe(again);
    EXPECT_TRUE(contains(again.out, "installed the pre-commit hook")) << describe(again);
    std::string replaced = readFile(hook);
    EXPECT_TRUE(contains(replaced, "DBARCH_RECORDED=" + shellQuote(dbarchBinary()))) << replaced;
    EXPECT_TRUE(contains(replaced, "-p build")) << replaced;
    EXPECT_EQ(stat(hook.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0111, 0111u);

    // Installing does not touch the working tree or the index.
    EXPECT_EQ(repo.git("status --porcelain").out, "");
}

TEST_F(IntegrationHook, ForeignHookIsKeptUnlessForced) {
    const fs::path hook = repo / ".git/hooks/pre-commit";
    const std::string foreign = "#!/bin/sh\n# the team's own hook\nexit 0\n";
    repo.write(".git/hooks/pre-commit", foreign);
    chmod(hook.c_str(), 0755);

    auto rejected = repo.dbarch("install-hook");
    EXPECT_EQ(rejected.exitCode, 2) << describe(rejected);
    EXPECT_TRUE(contains(rejected.err, hook.string())) << describe(rejected);
    EXPECT_TRUE(contains(rejected.err, "--force")) << describe(rejected);
    EXPECT_EQ(readFile(hook), foreign) << "the foreign hook was changed";

    auto forced = repo.dbarch("install-hook --force");
    EXPECT_EQ(forced.exitCode, 0) << describe(forced);
    EXPECT_TRUE(contains(readFile(hook), "dbarch pre-commit hook"));

    // And it works: a violating commit is refused.
    std::string head = repo.head();
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add src/orders.cpp");
    EXPECT_TRUE(refused(commit("rogue"), head, diagnosticHead("src/orders.cpp", kViolatingOrders, kViolation)));
}

TEST_F(IntegrationHook, InstallHonoursCoreHooksPath) {
    repo.gitOk("config core.hooksPath .githooks");
    repo.write("tools/.keep", "");
    auto r = repo.dbarch("install-hook", "tools");  // from a subdirectory of the repository
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, (repo / ".githooks/pre-commit").string())) << describe(r);
    EXPECT_TRUE(fs::exists(repo / ".githooks/pre-commit"));
    EXPECT_FALSE(fs::exists(repo / ".git/hooks/pre-commit"));

    std::string head = repo.head();
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add src/orders.cpp");
    EXPECT_TRUE(refused(commit("rogue"), head, diagnosticHead("src/orders.cpp", kViolatingOrders, kViolation)));
}

// ---------------------------------------------------------------------------------------------
// Commits

TEST_F(IntegrationHook, ViolatingCommitIsRefusedCleanCommitIsAccepted) {
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add src/orders.cpp");
    auto before = repo.snapshot();
    auto rejected = commit("rogue connection");
    EXPECT_TRUE(refused(rejected, head, diagnosticHead("src/orders.cpp", kViolatingOrders, kViolation)));
    // The clang-style diagnostic with its source line.
    EXPECT_TRUE(contains(all(rejected), "    4 | PGconn* rogue() { return PQconnectdb(\"host=orders\"); }")) << describe(rejected);
    EXPECT_TRUE(contains(all(rejected), "calls PQconnectdb")) << describe(rejected);
    auto after = repo.snapshot();
    EXPECT_TRUE(before == after) << describe(before, after);

    // The same file made clean: accepted.
    repo.write("src/orders.cpp", kCleanOrders + "int order_total(PGconn* c) { return PQserverVersion(c) * 2; }\n");
    repo.gitOk("add src/orders.cpp");
    auto committed = commit("orders: total");
    EXPECT_TRUE(accepted(committed, head));
    EXPECT_EQ(repo.git("status --porcelain").out, "") << describe(committed);
    EXPECT_EQ(repo.git("stash list").out, "");
}

TEST_F(IntegrationHook, StagedHeaderIsCheckedNeverSkipped) {
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    // src/legacy.hpp is in no compile command (only src/reports.cpp, which includes it, is).
    EXPECT_FALSE(contains(repo.read("build/compile_commands.json"), "legacy.hpp"));
    repo.write("src/legacy.hpp", kLegacyHeaderViolating);
    repo.gitOk("add src/legacy.hpp");
    auto before = repo.snapshot();
    auto r = commit("legacy: open");
    EXPECT_TRUE(refused(r, head, diagnosticHead("src/legacy.hpp", kLegacyHeaderViolating, "PQconnectdb")));
    auto after = repo.snapshot();
    EXPECT_TRUE(before == after) << describe(before, after);

    // Staged together with the unit that includes it: still refused, reported once.
    repo.write("src/reports.cpp", kReports + "PGconn* report_db() { return legacy_open(); }\n");
    repo.gitOk("add src/reports.cpp");
    auto both = commit("reports: own db");
    std::string head2 = diagnosticHead("src/legacy.hpp", kLegacyHeaderViolating, "PQconnectdb");
    EXPECT_TRUE(refused(both, head, head2));
    size_t first = all(both).find(head2);
    EXPECT_EQ(all(both).find(head2, first + 1), std::string::npos) << "reported twice\n" << describe(both);
}

TEST_F(IntegrationHook, StagedViolationWithCleanedWorkingTreeIsRefused) {
    ASSERT_NO_FATAL_FAILURE(install());
    ASSERT_EQ(repo.dbarch("check").exitCode, 0);  // warm the result cache with the clean tree
    std::string head = repo.head();
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add src/orders.cpp");
    const std::string cleaned = kCleanOrders + "// rogue() moved elsewhere\n";
    repo.write("src/orders.cpp", cleaned);  // the working tree no longer has the violation
    auto before = repo.snapshot();
    EXPECT_TRUE(refused(commit("staged rogue"), head, diagnosticHead("src/orders.cpp", kViolatingOrders, kViolation)));
    auto after = repo.snapshot();
    EXPECT_TRUE(before == after) << describe(before, after);
    EXPECT_EQ(repo.read("src/orders.cpp"), cleaned);
    EXPECT_EQ(repo.git("show :src/orders.cpp").out, kViolatingOrders) << "the index was changed";
    EXPECT_EQ(repo.git("stash list").out, "");
}

TEST_F(IntegrationHook, CleanStagedContentIsAcceptedWhateverTheWorkingTreeHolds) {
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    const std::string staged = kCleanOrders + "int order_total(PGconn* c) { return PQserverVersion(c) * 2; }\n";
    repo.write("src/orders.cpp", staged);
    repo.gitOk("add src/orders.cpp");
    repo.write("src/orders.cpp", kViolatingOrders);  // work in progress, not staged
    ASSERT_EQ(repo.dbarch("check").exitCode, 1);     // warm the result cache with the violating tree
    auto before = repo.snapshot();
    auto r = commit("orders: total");
    EXPECT_TRUE(accepted(r, head));
    auto after = repo.snapshot();
    EXPECT_EQ(before.files, after.files) << describe(before, after);
    EXPECT_EQ(before.stash, after.stash);
    EXPECT_EQ(repo.read("src/orders.cpp"), kViolatingOrders) << "the unstaged work was lost";
    EXPECT_EQ(repo.git("show HEAD:src/orders.cpp").out, staged);
    EXPECT_EQ(repo.git("status --porcelain").out, " M src/orders.cpp\n");
}

TEST_F(IntegrationHook, StagedHeaderIsJudgedFromTheIndex) {
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    // Violation staged, working tree header cleaned.
    repo.write("src/legacy.hpp", kLegacyHeaderViolating);
    repo.gitOk("add src/legacy.hpp");
    repo.write("src/legacy.hpp", kLegacyHeaderClean + "// legacy_open() is gone\n");
    auto before = repo.snapshot();
    EXPECT_TRUE(refused(commit("legacy"), head, diagnosticHead("src/legacy.hpp", kLegacyHeaderViolating, "PQconnectdb")));
    auto after = repo.snapshot();
    EXPECT_TRUE(before == after) << describe(before, after);

    // The reverse: a clean header staged, a violation only in the working tree.
    const std::string staged = kLegacyHeaderClean + "inline int legacy_twice(PGconn* c) { return 2 * legacy_version(c); }\n";
    repo.write("src/legacy.hpp", staged);
    repo.gitOk("add src/legacy.hpp");
    repo.write("src/legacy.hpp", kLegacyHeaderViolating);
    auto r = commit("legacy: twice");
    EXPECT_TRUE(accepted(r, head));
    EXPECT_EQ(repo.read("src/legacy.hpp"), kLegacyHeaderViolating);
    EXPECT_EQ(repo.git("show HEAD:src/legacy.hpp").out, staged);
}

// The committed snapshot is what matters: a header the commit does not touch must be read as the
// index has it, not as the working tree has it. Here the index's OPEN_DB() opens a connection,
// the working tree's (an unstaged edit) does not, and the staged .cpp uses OPEN_DB(): the commit
// records a direct connection and must be refused.
TEST_F(IntegrationHook, UnstagedHeaderEditCannotHideAStagedViolation) {
    repo.write("src/dbmacros.hpp",
               "#pragma once\n#include <libpq-fe.h>\n#define OPEN_DB(dsn) PQconnectdb(dsn)\n");
    repo.commitAll("macros");
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    const std::string orders = kCleanOrders + "#include \"dbmacros.hpp\"\nPGconn* rogue() { return OPEN_DB(\"host=orders\"); }\n";
    repo.write("src/orders.cpp", orders);
    repo.gitOk("add src/orders.cpp");
    repo.write("src/dbmacros.hpp", "#pragma once\n#include <libpq-fe.h>\n#define OPEN_DB(dsn) ((PGconn*)nullptr)\n");
    auto r = commit("orders: via macro");
    EXPECT_TRUE(refused(r, head, diagnosticHead("src/orders.cpp", orders, "OPEN_DB(\"host=orders\")")));
    if (repo.head() != head) {
        EXPECT_TRUE(contains(repo.git("show HEAD:src/dbmacros.hpp").out, "PQconnectdb"))
            << "the recorded commit opens a connection through the committed header";
    }
}

// The reverse: a half-finished, unstaged edit of a header must not block a commit whose recorded
// content is fine.
TEST_F(IntegrationHook, UnstagedBrokenHeaderDoesNotBlockACleanCommit) {
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    const std::string reports = kReports + "int report_twice(PGconn* c) { return 2 * legacy_version(c); }\n";
    repo.write("src/reports.cpp", reports);
    repo.gitOk("add src/reports.cpp");
    repo.write("src/legacy.hpp", kLegacyHeaderClean + "inline int unfinished() { return 1 +; }\n");  // not staged
    auto r = commit("reports: twice");
    EXPECT_TRUE(accepted(r, head));
}

TEST_F(IntegrationHook, StagedFileDeletedFromTheWorkingTreeIsJudgedFromTheIndex) {
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add src/orders.cpp");
    repo.remove("src/orders.cpp");  // still staged, gone from the working tree
    auto r = commit("rogue, then deleted locally");
    EXPECT_TRUE(refused(r, head, diagnosticHead("src/orders.cpp", kViolatingOrders, kViolation)));
    EXPECT_FALSE(fs::exists(repo / "src/orders.cpp")) << "the hook restored a deleted file";
}

TEST_F(IntegrationHook, CommitAllAndCommitWithPathsAreJudgedToo) {
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    repo.write("src/orders.cpp", kViolatingOrders);  // modified, not staged
    const std::string diagnostic = diagnosticHead("src/orders.cpp", kViolatingOrders, kViolation);
    EXPECT_TRUE(refused(repo.git("commit -a -m rogue"), head, diagnostic));
    EXPECT_TRUE(refused(repo.git("commit -m rogue -- src/orders.cpp"), head, diagnostic));
    EXPECT_EQ(repo.git("status --porcelain").out, " M src/orders.cpp\n");
    EXPECT_EQ(repo.read("src/orders.cpp"), kViolatingOrders);
}

TEST_F(IntegrationHook, CommitOfNonCxxFilesPassesWithoutAnalysis) {
    // A unit that cannot be parsed, in the database: any analysis of the project would fail (3).
    repo.write("src/broken.cpp", "int broken( {\n");
    ASSERT_NO_FATAL_FAILURE(repo.configure());
    repo.commitAll("broken unit, committed without the hook");
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    repo.write("README.md", "# shop\n");
    repo.write("docs/notes.txt", "connections come from app::db::open_session\n");
    repo.gitOk("add README.md docs/notes.txt");
    auto start = std::chrono::steady_clock::now();
    auto r = commit("docs");
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(accepted(r, head));
    EXPECT_TRUE(contains(r.err, "no changed C/C++ file to check")) << describe(r);
    EXPECT_LT(seconds, 20.0) << "a commit with no C++ change took " << seconds << " s";

    // Deleting a source is no C++ change to check either.
    std::string head2 = repo.head();
    repo.gitOk("rm -q src/orders.cpp");
    EXPECT_TRUE(accepted(commit("drop orders"), head2));
}

TEST_F(IntegrationHook, NewSourceMissingFromTheDatabaseIsRefusedNotSkipped) {
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    repo.write("src/payments.cpp", kCleanOrders);  // cmake not re-run: no compile command
    repo.gitOk("add src/payments.cpp");
    auto r = commit("payments");
    EXPECT_NE(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(contains(r.err, "no compile command for src/payments.cpp")) << describe(r);
    EXPECT_TRUE(contains(r.err, "commit refused")) << describe(r);
    EXPECT_EQ(repo.head(), head);

    ASSERT_NO_FATAL_FAILURE(repo.configure());  // now the database lists it
    EXPECT_TRUE(accepted(commit("payments"), head));
}

TEST_F(IntegrationHook, ArgsReachDbarchCheck) {
    // The compilation database is in out/, where dbarch does not look by itself.
    ASSERT_NO_FATAL_FAILURE(repo.configure("out"));
    fs::remove_all(repo / "build");
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add src/orders.cpp");
    auto noDatabase = commit("rogue");
    EXPECT_NE(noDatabase.exitCode, 0) << describe(noDatabase);
    EXPECT_TRUE(contains(noDatabase.err, "no compilation database")) << describe(noDatabase);
    EXPECT_TRUE(contains(noDatabase.err, "commit refused")) << describe(noDatabase);

    // $DBARCH_HOOK_ARGS, for one commit.
    const std::string diagnostic = diagnosticHead("src/orders.cpp", kViolatingOrders, kViolation);
    EXPECT_TRUE(refused(repo.sh("DBARCH_HOOK_ARGS='-p out' git commit -m rogue"), head, diagnostic));

    // install-hook --args, for good.
    auto reinstall = repo.dbarch("install-hook --args '-p out'");
    ASSERT_EQ(reinstall.exitCode, 0) << describe(reinstall);
    EXPECT_TRUE(refused(commit("rogue"), head, diagnostic));
    repo.write("src/orders.cpp", kCleanOrders + "int order_total(PGconn* c) { return PQserverVersion(c) * 2; }\n");
    repo.gitOk("add src/orders.cpp");
    EXPECT_TRUE(accepted(commit("orders: total"), head));
}

TEST_F(IntegrationHook, SymlinkedHookFromTheCheckoutUsesDbarchFromTheEnvironment) {
    const fs::path hook = repo / ".git/hooks/pre-commit";
    fs::create_directories(hook.parent_path());
    fs::create_symlink(fs::path(checkoutDir()) / "hooks/pre-commit", hook);
    std::string head = repo.head();
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add src/orders.cpp");
    const std::string env = "DBARCH=" + shellQuote(dbarchBinary()) + " ";
    EXPECT_TRUE(refused(repo.sh(env + "git commit -m rogue"), head, diagnosticHead("src/orders.cpp", kViolatingOrders, kViolation)));
    repo.write("src/orders.cpp", kCleanOrders + "// nothing new\n");
    repo.gitOk("add src/orders.cpp");
    auto r = repo.sh(env + "git commit -m comment");
    EXPECT_TRUE(accepted(r, head));
}

// A compile_flags.txt project (every source is a unit), with a path git has to quote.
TEST(IntegrationHookPaths, PathsWithSpacesAndNonAsciiCharacters) {
    Repo repo(Repo::Database::CompileFlags);
    const std::string file = "src/order book/r\xC3\xA9sum\xC3\xA9 v2.cpp";
    repo.write(file, kCleanOrders);
    repo.commitAll("initial");
    ASSERT_EQ(repo.dbarch("install-hook").exitCode, 0);
    std::string head = repo.head();
    repo.write(file, kViolatingOrders);
    repo.gitOk("add -A");
    auto r = repo.git("commit -m rogue");
    EXPECT_NE(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(contains(r.out + r.err, diagnosticHead(file, kViolatingOrders, kViolation))) << describe(r);
    EXPECT_TRUE(contains(r.err, "commit refused")) << describe(r);
    EXPECT_EQ(repo.head(), head);
}

// With compile_flags.txt at the root (no build directory), the result cache lands in the working
// tree (.dbarch-cache/ beside the database, as documented) but must stay invisible to git:
// `git status` stays as it was, so that a following `git add -A` cannot pick up anything dbarch
// wrote, and no other file changes.
TEST(IntegrationHookPaths, HookLeavesNothingUntrackedInTheWorkingTree) {
    Repo repo(Repo::Database::CompileFlags);
    repo.write("src/db/session.cpp", kHandlerSource);
    repo.write("src/orders.cpp", kCleanOrders);
    repo.commitAll("initial");
    ASSERT_EQ(repo.dbarch("install-hook").exitCode, 0);
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add src/orders.cpp");
    auto before = repo.snapshot();
    auto r = repo.git("commit -m rogue");
    EXPECT_NE(r.exitCode, 0) << describe(r);
    auto after = repo.snapshot();
    std::erase_if(after.files, [](const auto& file) { return file.first.rfind(".dbarch-cache/", 0) == 0; });
    EXPECT_TRUE(before == after) << describe(before, after);
    EXPECT_EQ(repo.git("status --porcelain -uall --ignored=no").out, "M  src/orders.cpp\n");
    EXPECT_NE(repo.git("check-ignore .dbarch-cache/x.json").out, "") << "the cache must ignore itself";
}

TEST_F(IntegrationHook, StagedUnparsableSourceIsRefusedNeverCalledClean) {
    ASSERT_NO_FATAL_FAILURE(install());
    std::string head = repo.head();
    repo.write("src/orders.cpp", kCleanOrders + "int broken( {\n");
    repo.gitOk("add src/orders.cpp");
    auto r = commit("broken");
    EXPECT_NE(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(contains(r.err, "src/orders.cpp:4:")) << "where the compiler stopped\n" << describe(r);
    EXPECT_TRUE(contains(r.err, "could not check the staged change (exit 3")) << describe(r);
    EXPECT_TRUE(contains(r.err, "could not be analysed")) << "never a plain \"no violations\"\n" << describe(r);
    EXPECT_EQ(repo.head(), head);
}

TEST(IntegrationHookPaths, FirstCommitOfARepository) {
    Repo repo(Repo::Database::CompileFlags);
    repo.write(".gitignore", ".dbarch-cache/\n");
    ASSERT_EQ(repo.dbarch("install-hook").exitCode, 0);
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add -A");
    auto r = repo.git("commit -m first");
    EXPECT_NE(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(contains(r.err, diagnosticHead("src/orders.cpp", kViolatingOrders, kViolation))) << describe(r);
    EXPECT_TRUE(contains(r.err, "commit refused")) << describe(r);
    EXPECT_NE(repo.git("rev-parse --verify -q HEAD").exitCode, 0) << "a commit was recorded";

    repo.write("src/orders.cpp", kCleanOrders);
    repo.gitOk("add -A");
    auto clean = repo.git("commit -m first");
    EXPECT_EQ(clean.exitCode, 0) << describe(clean);
    EXPECT_EQ(repo.git("rev-parse --verify -q HEAD").exitCode, 0) << describe(clean);
}

}  // namespace
}  // namespace dbarch::itest
