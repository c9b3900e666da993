// Changed-lines mode against real git history: --diff REF, --staged, --line-filter. Whole units
// are analysed, only findings on added lines are reported, and the working tree, the index and
// the stash are never touched.
#include "Support.hpp"

namespace dbarch::itest {
namespace {

// orders.cpp at the base commit: one old violation (line 4).
const std::string kOld = kViolatingOrders;
// The next commit: two comment lines inserted at the top (the old violation moves to line 6,
// without being changed) and a new violation appended (line 7).
const std::string kNew = "// orders: the order book\n"
                         "// (connections come from app::db::open_session)\n" +
                         kViolatingOrders + "PGconn* rogue_two() { return PQconnectdb(\"host=orders-2\"); }\n";
// An uncommitted edit on top: a third violation (line 8).
const std::string kEdited = kNew + "PGconn* rogue_three() { return PQconnectdb(\"host=orders-3\"); }\n";

// One more violation, appended.
const std::string kSecond = "PGconn* rogue_two() { return PQconnectdb(\"host=orders-2\"); }\n";

const std::string kRule = "dbarch-direct-connection";

class IntegrationChangedLines : public ::testing::Test {
  protected:
    Repo repo{Repo::Database::CMake};

    void SetUp() override {
        repo.write("src/db/session.cpp", kHandlerSource);
        repo.write("src/orders.cpp", kOld);
        repo.write("src/reports.cpp", kCleanOrders);
        ASSERT_NO_FATAL_FAILURE(repo.configure());
        repo.commitAll("base");
        repo.gitOk("tag base");
    }

    // Runs dbarch with --format json; checks that nothing in the repository changed.
    json check(const std::string& args, int expectedExit) {
        auto before = repo.snapshot();
        auto r = repo.dbarch(args + " --format json");
        auto after = repo.snapshot();
        EXPECT_TRUE(before == after) << "dbarch " << args << " changed the repository:\n" << describe(before, after);
        EXPECT_EQ(r.exitCode, expectedExit) << "dbarch " << args << "\n" << describe(r);
        return parseJson(r.out, "dbarch " + args);
    }
};

TEST_F(IntegrationChangedLines, DiffReportsOnlyLinesAddedSinceTheRef) {
    // The whole file has two violations, and the new commit has one.
    repo.write("src/orders.cpp", kNew);
    repo.commitAll("orders: second connection");
    auto whole = check("check", 1);
    EXPECT_EQ(violationKeys(whole), (std::set<Key>{{"src/orders.cpp", 6, kRule}, {"src/orders.cpp", 7, kRule}}))
        << dumpKeys(violationKeys(whole));

    const std::set<Key> onlyNew{{"src/orders.cpp", 7, kRule}};
    auto parent = check("check --diff HEAD~1", 1);
    EXPECT_EQ(violationKeys(parent), onlyNew) << dumpKeys(violationKeys(parent));
    auto tag = check("check --diff base", 1);
    EXPECT_EQ(violationKeys(tag), onlyNew) << dumpKeys(violationKeys(tag));
    auto sha = check("check --diff " + repo.gitOk("rev-parse --short base").substr(0, 7), 1);
    EXPECT_EQ(violationKeys(sha), onlyNew) << dumpKeys(violationKeys(sha));

    // Text output: the new finding only, in clang's format.
    auto text = repo.dbarch("check --diff HEAD~1");
    EXPECT_EQ(text.exitCode, 1) << describe(text);
    EXPECT_TRUE(contains(text.out, diagnosticHead("src/orders.cpp", kNew, "PQconnectdb(\"host=orders-2\")"))) << text.out;
    EXPECT_FALSE(contains(text.out, "src/orders.cpp:6:")) << text.out;
    EXPECT_TRUE(contains(text.out, "dbarch: 1 violation")) << text.out;

    // Nothing changed since HEAD: nothing to check, clean.
    auto none = repo.dbarch("check --diff HEAD");
    EXPECT_EQ(none.exitCode, 0) << describe(none);
    EXPECT_TRUE(contains(none.err, "no changed C/C++ file to check")) << describe(none);

    // The diff is against the working tree: an uncommitted line counts, with --diff HEAD alone.
    repo.write("src/orders.cpp", kEdited);
    auto head = check("check --diff HEAD", 1);
    EXPECT_EQ(violationKeys(head), (std::set<Key>{{"src/orders.cpp", 8, kRule}})) << dumpKeys(violationKeys(head));
    auto base = check("check --diff base", 1);
    EXPECT_EQ(violationKeys(base), (std::set<Key>{{"src/orders.cpp", 7, kRule}, {"src/orders.cpp", 8, kRule}}))
        << dumpKeys(violationKeys(base));
}

TEST_F(IntegrationChangedLines, DiffOfAFileWithOnlyOldViolationsIsClean) {
    // Lines added above an old violation move it, but do not make it new.
    repo.write("src/orders.cpp", "// a comment\n" + kOld + "int orders_ok() { return 1; }\n");
    repo.commitAll("comments");
    auto doc = check("check --diff HEAD~1", 0);
    EXPECT_TRUE(violationKeys(doc).empty()) << dumpKeys(violationKeys(doc));
    EXPECT_EQ(doc["summary"]["files"], 1) << doc.dump(2);  // the changed unit was analysed
}

TEST_F(IntegrationChangedLines, StagedReportsOnlyStagedLines) {
    repo.write("src/orders.cpp", kNew);  // staged: the new violation at line 7
    repo.gitOk("add src/orders.cpp");
    // Not staged: a violation in another unit.
    repo.write("src/reports.cpp", kViolatingOrders);
    auto staged = check("check --staged", 1);
    EXPECT_EQ(violationKeys(staged), (std::set<Key>{{"src/orders.cpp", 7, kRule}})) << dumpKeys(violationKeys(staged));
    EXPECT_EQ(staged["summary"]["files"], 1) << staged.dump(2);  // only the staged unit

    // Staged content, not the working tree: with orders.cpp reverted locally the staged line is
    // still reported, at its staged position.
    repo.write("src/orders.cpp", kOld);
    auto index = check("check --staged", 1);
    EXPECT_EQ(violationKeys(index), (std::set<Key>{{"src/orders.cpp", 7, kRule}})) << dumpKeys(violationKeys(index));

    repo.gitOk("reset -q");
    auto nothing = repo.dbarch("check --staged");
    EXPECT_EQ(nothing.exitCode, 0) << describe(nothing);
    EXPECT_TRUE(contains(nothing.err, "no changed C/C++ file to check")) << describe(nothing);
}

TEST_F(IntegrationChangedLines, LineFilterWithPathsReportsOnlyTheListedLines) {
    repo.write("src/orders.cpp", kNew);  // violations at lines 6 and 7
    const std::string filter = R"('[{"name":"src/orders.cpp","lines":[[7,7]]}]')";
    auto doc = check("check src --line-filter " + filter, 1);
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"src/orders.cpp", 7, kRule}})) << dumpKeys(violationKeys(doc));
    auto other = check(R"(check src --line-filter '[{"name":"src/orders.cpp","lines":[[1,5]]}]')", 0);
    EXPECT_TRUE(violationKeys(other).empty()) << dumpKeys(violationKeys(other));
    // clang-tidy's suffix match: "orders.cpp" names src/orders.cpp.
    auto suffix = check(R"(check src/orders.cpp --line-filter '[{"name":"orders.cpp","lines":[[6,6]]}]')", 1);
    EXPECT_EQ(violationKeys(suffix), (std::set<Key>{{"src/orders.cpp", 6, kRule}})) << dumpKeys(violationKeys(suffix));
}

// README: "with no PATH, only the changed C/C++ files are checked" -- for --line-filter, the files
// it lists. `dbarch check --line-filter '[{"name":"src/a.cpp","lines":[[10,40]]}]'` is README's
// own example.
TEST_F(IntegrationChangedLines, LineFilterWithoutPathsChecksTheListedFiles) {
    repo.write("src/orders.cpp", kNew);
    auto r = repo.dbarch(R"(check --format json --line-filter '[{"name":"src/orders.cpp","lines":[[7,7]]}]')");
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    auto doc = parseJson(r.out, "report");
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"src/orders.cpp", 7, kRule}})) << describe(r);
    EXPECT_FALSE(contains(r.err, "no changed C/C++ file")) << describe(r);
}

TEST_F(IntegrationChangedLines, BadRefIsAUsageErrorThatSaysSo) {
    auto before = repo.snapshot();
    auto r = repo.dbarch("check --diff no-such-branch");
    EXPECT_EQ(r.exitCode, 2) << describe(r);
    EXPECT_EQ(r.out, "") << describe(r);
    EXPECT_TRUE(contains(r.err, "no-such-branch")) << describe(r);
    // The message must say what is wrong, not end in an empty "failed: ".
    std::string lower = r.err;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool explained = false;
    for (const char* reason : {"unknown revision", "unknown ref", "not a commit", "not a valid", "bad revision",
                               "no such ref", "does not exist", "does not name", "not found", "invalid ref"})
        explained = explained || contains(lower, reason);
    EXPECT_TRUE(explained) << "the message does not say the ref is unknown:\n" << describe(r);
    EXPECT_FALSE(contains(r.err, "failed: \n")) << "the reason is missing:\n" << describe(r);
    auto after = repo.snapshot();
    EXPECT_TRUE(before == after) << describe(before, after);

    auto outside = dbarch::test::TempDir();
    dbarch::test::writeFile(outside / "compile_flags.txt", "-std=c++17\n");
    dbarch::test::writeFile(outside / "a.cpp", "int a;\n");
    auto noRepo = dbarch::test::run(shellQuote(dbarchBinary()) + " check --diff HEAD", outside.path());
    EXPECT_EQ(noRepo.exitCode, 2) << describe(noRepo);
    EXPECT_TRUE(contains(noRepo.err, "not inside a git repository")) << describe(noRepo);
}

TEST_F(IntegrationChangedLines, ProjectInASubdirectoryOfTheRepository) {
    // A second project, in services/billing/, with its own config and compile flags.
    repo.write("services/billing/.dbarch.json", R"({"extends": ["builtin:libpq"]})");
    repo.write("services/billing/compile_flags.txt", "-std=c++17\n-I/usr/include/postgresql\n");
    repo.write("services/billing/src/invoice.cpp", kOld);
    repo.commitAll("billing");
    repo.write("services/billing/src/invoice.cpp", kNew);
    repo.commitAll("billing: second connection");
    auto r = repo.dbarch("check --diff HEAD~1 --format json", "services/billing");
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    auto doc = parseJson(r.out, "report");
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"src/invoice.cpp", 7, kRule}})) << describe(r);

    repo.write("services/billing/src/invoice.cpp", kEdited);
    repo.gitOk("add services/billing/src/invoice.cpp");
    auto staged = repo.dbarch("check --staged --format json", "services/billing");
    EXPECT_EQ(staged.exitCode, 1) << describe(staged);
    EXPECT_EQ(violationKeys(parseJson(staged.out, "report")), (std::set<Key>{{"src/invoice.cpp", 8, kRule}})) << describe(staged);
}

TEST_F(IntegrationChangedLines, RenamedFileReportsOnlyItsChangedLines) {
    // orders.cpp (old violation at line 4) becomes purchases.cpp with one line added (line 5).
    repo.gitOk("mv src/orders.cpp src/purchases.cpp");
    repo.write("src/purchases.cpp", kOld + kSecond);
    repo.gitOk("add src/purchases.cpp");
    ASSERT_NO_FATAL_FAILURE(repo.configure());
    const std::set<Key> onlyNew{{"src/purchases.cpp", 5, kRule}};
    auto staged = check("check --staged", 1);
    EXPECT_EQ(violationKeys(staged), onlyNew) << dumpKeys(violationKeys(staged));
    repo.gitOk("commit -q --no-verify -m rename");
    auto diff = check("check --diff HEAD~1", 1);
    EXPECT_EQ(violationKeys(diff), onlyNew) << dumpKeys(violationKeys(diff));
}

// The selection must not depend on the user's git configuration: dbarch asks git for a diff in a
// fixed shape (prefixes, no colour, no external diff, renames followed).
TEST_F(IntegrationChangedLines, UserGitConfigDoesNotChangeTheSelection) {
    for (const char* setting : {"diff.renames false", "diff.noprefix true", "diff.mnemonicPrefix true", "color.ui always",
                                "diff.external /bin/false", "core.quotePath true", "diff.relative true"})
        repo.gitOk(std::string("config ") + setting);
    repo.gitOk("mv src/orders.cpp src/purchases.cpp");
    repo.write("src/purchases.cpp", kOld + kSecond);
    repo.gitOk("add src/purchases.cpp");
    ASSERT_NO_FATAL_FAILURE(repo.configure());
    const std::set<Key> onlyNew{{"src/purchases.cpp", 5, kRule}};
    auto staged = check("check --staged", 1);
    EXPECT_EQ(violationKeys(staged), onlyNew) << "the old violation of the renamed file is not new\n"
                                              << dumpKeys(violationKeys(staged));
    repo.gitOk("commit -q --no-verify -m rename");
    auto diff = check("check --diff HEAD~1", 1);
    EXPECT_EQ(violationKeys(diff), onlyNew) << "the old violation of the renamed file is not new\n"
                                            << dumpKeys(violationKeys(diff));
    // Without the rename, the other settings change nothing either.
    repo.write("src/reports.cpp", kOld);
    repo.commitAll("reports: rogue");
    auto plain = check("check --diff HEAD~1", 1);
    EXPECT_EQ(violationKeys(plain), (std::set<Key>{{"src/reports.cpp", 4, kRule}})) << dumpKeys(violationKeys(plain));
}

}  // namespace
}  // namespace dbarch::itest
