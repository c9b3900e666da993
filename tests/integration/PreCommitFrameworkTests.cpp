// The pre-commit framework (https://pre-commit.com), the real one (Debian's pre-commit 3.x):
// `repo: local` with the checkout's hooks/pre-commit-framework as README.md shows it, and this
// repository's own .pre-commit-hooks.yaml through `pre-commit try-repo` and through a config
// pinned to the checkout's HEAD commit. PRE_COMMIT_HOME is a temporary directory (Support.cpp);
// nothing is fetched from the network: the only repository pre-commit clones is the checkout.
#include "Support.hpp"

namespace dbarch::itest {
namespace {

const std::string kViolation = "PQconnectdb(\"host=orders\")";

// A YAML single-quoted scalar holding `path` quoted for a shell: pre-commit splits `entry` with
// shlex, so a path with spaces must be shell-quoted inside the YAML string.
std::string yamlShellWord(const std::string& path) {
    std::string word = shellQuote(path), out = "'";
    for (char c : word) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

std::string yamlString(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

std::string all(const ProcessResult& r) { return r.out + r.err; }

std::string withDbarch(const std::string& command) { return "DBARCH=" + shellQuote(dbarchBinary()) + " " + command; }

class IntegrationPreCommit : public ::testing::Test {
  protected:
    Repo repo{Repo::Database::CMake};

    void SetUp() override {
        repo.write("src/db/session.cpp", kHandlerSource);
        repo.write("src/orders.cpp", kCleanOrders);
    }

    // The checkout's HEAD commit when it is a git repository whose HEAD has .pre-commit-hooks.yaml
    // and the hook script; "" otherwise.
    static std::string checkoutHead() {
        auto git = [](const std::string& args) { return dbarch::test::run("git -C " + shellQuote(checkoutDir()) + " " + args); };
        auto head = git("rev-parse --verify HEAD");
        if (head.exitCode != 0) return "";
        if (git("cat-file -e HEAD:.pre-commit-hooks.yaml").exitCode != 0) return "";
        if (git("cat-file -e HEAD:hooks/pre-commit-framework").exitCode != 0) return "";
        std::string sha = head.out.substr(0, head.out.find('\n'));
        return sha;
    }

    ::testing::AssertionResult refused(const ProcessResult& r, const std::string& head,
                                       const std::string& source = kViolatingOrders) const {
        std::string why;
        const std::string diagnostic = diagnosticHead("src/orders.cpp", source, kViolation);
        if (r.exitCode == 0) why += "the commit was accepted (exit code 0)\n";
        for (const std::string& expected : {diagnostic, std::string("[dbarch-direct-connection]"), std::string("Failed"),
                                            std::string("- hook id: dbarch")})
            if (!contains(all(r), expected)) why += "the output lacks '" + expected + "'\n";
        if (repo.head() != head) why += "HEAD moved: the commit was recorded\n";
        if (why.empty()) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << why << describe(r);
    }

    ::testing::AssertionResult accepted(const ProcessResult& r, const std::string& head,
                                        const std::string& verdict = "Passed") const {
        std::string why;
        if (r.exitCode != 0) why += "the commit was refused (exit code " + std::to_string(r.exitCode) + ")\n";
        if (!contains(all(r), verdict)) why += "the output lacks '" + verdict + "'\n";
        if (contains(all(r), "Failed")) why += "a hook failed\n";
        if (r.exitCode == 0 && repo.head() == head) why += "HEAD did not move: nothing was recorded\n";
        if (why.empty()) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << why << describe(r);
    }
};

TEST_F(IntegrationPreCommit, LocalRepoHookRefusesViolationsAndAcceptsCleanCommits) {
    repo.write(".pre-commit-config.yaml",
               "repos:\n"
               "  - repo: local\n"
               "    hooks:\n"
               "      - id: dbarch\n"
               "        name: dbarch\n"
               "        entry: " + yamlShellWord(checkoutDir() + "/hooks/pre-commit-framework") + "\n"
               "        language: system\n"
               "        types_or: [c, c++]\n"
               "        pass_filenames: false\n"
               "        require_serial: true\n");
    ASSERT_NO_FATAL_FAILURE(repo.configure());
    repo.commitAll("initial");
    auto install = repo.sh("pre-commit install");
    ASSERT_EQ(install.exitCode, 0) << describe(install);
    EXPECT_TRUE(contains(install.out, "pre-commit installed at .git/hooks/pre-commit")) << describe(install);

    // A violation: refused, with dbarch's diagnostic in pre-commit's report.
    std::string head = repo.head();
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add src/orders.cpp");
    auto before = repo.snapshot();
    auto rejected = repo.sh(withDbarch("git commit -m rogue"));
    EXPECT_TRUE(refused(rejected, head));
    EXPECT_TRUE(contains(all(rejected), "commit refused")) << describe(rejected);
    auto after = repo.snapshot();
    EXPECT_TRUE(before == after) << describe(before, after);

    // Staged violation, working tree cleaned: pre-commit stashes the unstaged change, dbarch
    // judges the staged content, pre-commit restores the working tree.
    const std::string cleaned = kCleanOrders + "// rogue() moved elsewhere\n";
    repo.write("src/orders.cpp", cleaned);
    before = repo.snapshot();
    EXPECT_TRUE(refused(repo.sh(withDbarch("git commit -m rogue")), head));
    after = repo.snapshot();
    EXPECT_TRUE(before == after) << describe(before, after);
    EXPECT_EQ(repo.read("src/orders.cpp"), cleaned);
    EXPECT_EQ(repo.git("stash list").out, "");

    // Only non-C/C++ files: the hook is skipped (types_or).
    repo.gitOk("reset -q");
    repo.gitOk("checkout -- src/orders.cpp");
    repo.write("README.md", "# shop\n");
    repo.gitOk("add README.md");
    EXPECT_TRUE(accepted(repo.sh(withDbarch("git commit -m docs")), head, "Skipped"));

    // A clean change: accepted.
    head = repo.head();
    repo.write("src/orders.cpp", kCleanOrders + "int order_total(PGconn* c) { return PQserverVersion(c) * 2; }\n");
    repo.gitOk("add src/orders.cpp");
    EXPECT_TRUE(accepted(repo.sh(withDbarch("git commit -m total")), head));
    EXPECT_EQ(repo.git("status --porcelain").out, "");
}

TEST_F(IntegrationPreCommit, TryRepoRunsTheManifestOfTheCheckout) {
    std::string sha = checkoutHead();
    if (sha.empty())
        GTEST_SKIP() << checkoutDir() << " is not a git checkout with .pre-commit-hooks.yaml and hooks/ at HEAD";
    ASSERT_NO_FATAL_FAILURE(repo.configure());
    repo.commitAll("initial");

    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add src/orders.cpp");
    auto before = repo.snapshot();
    const std::string tryRepo =
        "pre-commit try-repo " + shellQuote(checkoutDir()) + " dbarch --ref " + sha + " --files src/orders.cpp";
    auto rejected = repo.sh(withDbarch(tryRepo));
    EXPECT_EQ(rejected.exitCode, 1) << describe(rejected);
    EXPECT_TRUE(contains(all(rejected), "dbarch (database connections only through the approved handler)")) << describe(rejected);
    EXPECT_TRUE(contains(all(rejected), diagnosticHead("src/orders.cpp", kViolatingOrders, kViolation))) << describe(rejected);
    EXPECT_TRUE(contains(all(rejected), "Failed")) << describe(rejected);
    auto after = repo.snapshot();
    EXPECT_TRUE(before == after) << describe(before, after);

    repo.write("src/orders.cpp", kCleanOrders + "int order_total(PGconn* c) { return PQserverVersion(c) * 2; }\n");
    repo.gitOk("add src/orders.cpp");
    auto passed = repo.sh(withDbarch(tryRepo));
    EXPECT_EQ(passed.exitCode, 0) << describe(passed);
    EXPECT_TRUE(contains(all(passed), "Passed")) << describe(passed);

    // The hook's types_or: a non-C++ file alone does not run it.
    repo.write("README.md", "# shop\n");
    repo.gitOk("add README.md");
    auto skipped = repo.sh(withDbarch("pre-commit try-repo " + shellQuote(checkoutDir()) + " dbarch --ref " + sha +
                                      " --files README.md"));
    EXPECT_EQ(skipped.exitCode, 0) << describe(skipped);
    EXPECT_TRUE(contains(all(skipped), "Skipped")) << describe(skipped);
}

TEST_F(IntegrationPreCommit, ConfigPinnedToTheCheckoutsHeadWithArgs) {
    std::string sha = checkoutHead();
    if (sha.empty())
        GTEST_SKIP() << checkoutDir() << " is not a git checkout with .pre-commit-hooks.yaml and hooks/ at HEAD";
    // The database is in out/, which only `args: [-p, out]` tells dbarch.
    repo.write(".pre-commit-config.yaml",
               "repos:\n"
               "  - repo: " + yamlString(checkoutDir()) + "\n"
               "    rev: " + sha + "\n"
               "    hooks:\n"
               "      - id: dbarch\n"
               "        args: [-p, out]\n");
    ASSERT_NO_FATAL_FAILURE(repo.configure("out"));
    repo.commitAll("initial");
    auto install = repo.sh("pre-commit install");
    ASSERT_EQ(install.exitCode, 0) << describe(install);

    std::string head = repo.head();
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.gitOk("add src/orders.cpp");
    auto before = repo.snapshot();
    auto rejected = repo.sh(withDbarch("git commit -m rogue"));
    EXPECT_TRUE(refused(rejected, head));
    auto after = repo.snapshot();
    EXPECT_TRUE(before == after) << describe(before, after);

    repo.write("src/orders.cpp", kCleanOrders + "int order_total(PGconn* c) { return PQserverVersion(c) * 2; }\n");
    repo.gitOk("add src/orders.cpp");
    EXPECT_TRUE(accepted(repo.sh(withDbarch("git commit -m total")), head));
}

// pre-commit's CI mode: `pre-commit run --from-ref A --to-ref B` runs the hooks on what changed
// between A and B (and exports PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF); nothing is staged. A
// violation added in that range must fail the run.
TEST_F(IntegrationPreCommit, FromRefToRefChecksTheChangesInTheRange) {
    repo.write(".pre-commit-config.yaml",
               "repos:\n"
               "  - repo: local\n"
               "    hooks:\n"
               "      - id: dbarch\n"
               "        name: dbarch\n"
               "        entry: " + yamlShellWord(checkoutDir() + "/hooks/pre-commit-framework") + "\n"
               "        language: system\n"
               "        types_or: [c, c++]\n"
               "        pass_filenames: false\n"
               "        require_serial: true\n");
    ASSERT_NO_FATAL_FAILURE(repo.configure());
    repo.commitAll("initial");
    repo.write("src/orders.cpp", kViolatingOrders);
    repo.commitAll("rogue, committed with --no-verify");
    auto r = repo.sh(withDbarch("pre-commit run --from-ref HEAD~1 --to-ref HEAD"));
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    EXPECT_TRUE(contains(all(r), diagnosticHead("src/orders.cpp", kViolatingOrders, kViolation))) << describe(r);
    EXPECT_TRUE(contains(all(r), "Failed")) << describe(r);
}

}  // namespace
}  // namespace dbarch::itest
