// Adopting dbarch on a legacy codebase: --write-baseline, --baseline, --baseline-strict, through
// edits that move, add and fix findings.
#include "Support.hpp"

namespace dbarch::itest {
namespace {

const std::string kLegacy =
    "#include <libpq-fe.h>\n"
    "namespace legacy::db {\n"
    "PGconn* open() { return PQconnectdb(\"host=legacy\"); }\n"
    "}  // namespace legacy::db\n";
// Two identical findings: one baseline entry with count 2.
const std::string kTwice =
    "#include <libpq-fe.h>\n"
    "void twice() {\n"
    "    PQconnectdb(\"host=db\");\n"
    "    PQconnectdb(\"host=db\");\n"
    "}\n";
const std::string kSecondRogue = "PGconn* rogue_two() { return PQconnectdb(\"host=orders-2\"); }\n";

class IntegrationBaseline : public ::testing::Test {
  protected:
    Repo repo{Repo::Database::CompileFlags};

    void SetUp() override {
        repo.write("src/db/session.cpp", kHandlerSource);
        repo.write("src/orders.cpp", kViolatingOrders);
        repo.write("src/legacy/db.cpp", kLegacy);
        repo.write("src/twice.cpp", kTwice);
    }
};

TEST_F(IntegrationBaseline, WriteThenAdoptThroughEditsNewAndFixedFindings) {
    // 1. Record today's four findings.
    auto write = repo.dbarch("check --write-baseline base.json");
    EXPECT_TRUE(write.exitCode == 0 || write.exitCode == 1) << describe(write);
    EXPECT_TRUE(contains(write.err, "dbarch: wrote 4 findings to base.json")) << describe(write);
    const std::string baseline = repo.read("base.json");
    EXPECT_EQ(baseline,
              "{\n"
              "  \"version\": 1,\n"
              "  \"entries\": [\n"
              "    {\"rule\":\"dbarch-direct-connection\",\"file\":\"src/legacy/db.cpp\",\"function\":\"legacy::db::open\","
              "\"text\":\"PGconn* open() { return PQconnectdb(\\\"host=legacy\\\"); }\",\"count\":1},\n"
              "    {\"rule\":\"dbarch-direct-connection\",\"file\":\"src/orders.cpp\",\"function\":\"rogue\","
              "\"text\":\"PGconn* rogue() { return PQconnectdb(\\\"host=orders\\\"); }\",\"count\":1},\n"
              "    {\"rule\":\"dbarch-direct-connection\",\"file\":\"src/twice.cpp\",\"function\":\"twice\","
              "\"text\":\"PQconnectdb(\\\"host=db\\\");\",\"count\":2}\n"
              "  ]\n"
              "}\n");
    json parsed = parseJson(baseline, "base.json");
    ASSERT_TRUE(parsed.is_object());
    EXPECT_EQ(parsed["version"], 1);
    for (const auto& entry : parsed["entries"]) {
        EXPECT_FALSE(entry.contains("line")) << "entries carry no line numbers: " << entry.dump();
        EXPECT_FALSE(entry.contains("column")) << entry.dump();
    }
    // The same bytes on a re-run.
    auto again = repo.dbarch("check --write-baseline base.json");
    EXPECT_EQ(again.exitCode, write.exitCode) << describe(again);
    EXPECT_EQ(repo.read("base.json"), baseline);

    // 2. Adopted: clean.
    auto adopted = repo.dbarch("check --baseline base.json");
    EXPECT_EQ(adopted.exitCode, 0) << describe(adopted);
    EXPECT_TRUE(contains(adopted.err, "dbarch: baseline: 4 baselined, 0 new, 0 fixed")) << describe(adopted);
    EXPECT_FALSE(contains(adopted.out, "error:")) << describe(adopted);

    // 3. Lines inserted above every finding: still baselined.
    for (const char* file : {"src/orders.cpp", "src/legacy/db.cpp", "src/twice.cpp"})
        repo.write(file, "// SPDX-License-Identifier: MIT\n\n" + repo.read(file));
    auto moved = repo.dbarch("check --baseline base.json");
    EXPECT_EQ(moved.exitCode, 0) << describe(moved);
    EXPECT_TRUE(contains(moved.err, "dbarch: baseline: 4 baselined, 0 new, 0 fixed")) << describe(moved);

    // 4. A new violation: exit 1, "1 new", and only the new one is reported.
    const std::string orders = repo.read("src/orders.cpp");
    repo.write("src/orders.cpp", orders + kSecondRogue);
    auto fresh = repo.dbarch("check --baseline base.json");
    EXPECT_EQ(fresh.exitCode, 1) << describe(fresh);
    EXPECT_TRUE(contains(fresh.err, "dbarch: baseline: 4 baselined, 1 new, 0 fixed")) << describe(fresh);
    EXPECT_TRUE(contains(fresh.out, diagnosticHead("src/orders.cpp", orders + kSecondRogue, "PQconnectdb(\"host=orders-2\")")))
        << describe(fresh);
    EXPECT_TRUE(contains(fresh.out, "dbarch: 1 violation")) << describe(fresh);
    auto freshJson = repo.dbarch("check --baseline base.json --format json");
    EXPECT_EQ(freshJson.exitCode, 1) << describe(freshJson);
    EXPECT_EQ(violationKeys(parseJson(freshJson.out, "report")),
              (std::set<Key>{{"src/orders.cpp", 7, "dbarch-direct-connection"}}))
        << freshJson.out;

    // A third identical line in twice(): the entry's count 2 absorbs two, the third is new.
    repo.write("src/orders.cpp", orders);
    const std::string twice = repo.read("src/twice.cpp");
    repo.write("src/twice.cpp", "// SPDX-License-Identifier: MIT\n\n" + std::string(
        "#include <libpq-fe.h>\nvoid twice() {\n    PQconnectdb(\"host=db\");\n    PQconnectdb(\"host=db\");\n"
        "    PQconnectdb(\"host=db\");\n}\n"));
    auto third = repo.dbarch("check --baseline base.json");
    EXPECT_EQ(third.exitCode, 1) << describe(third);
    EXPECT_TRUE(contains(third.err, "dbarch: baseline: 4 baselined, 1 new, 0 fixed")) << describe(third);
    repo.write("src/twice.cpp", twice);

    // 5. One fixed: reported, exit 0; with --baseline-strict exit 1.
    repo.write("src/orders.cpp", "// SPDX-License-Identifier: MIT\n\n" + kCleanOrders);
    auto fixed = repo.dbarch("check --baseline base.json");
    EXPECT_EQ(fixed.exitCode, 0) << describe(fixed);
    EXPECT_TRUE(contains(fixed.err, "dbarch: baseline: 3 baselined, 0 new, 1 fixed")) << describe(fixed);
    EXPECT_TRUE(contains(fixed.err, "fixed since the baseline")) << describe(fixed);
    EXPECT_TRUE(contains(fixed.err, "src/orders.cpp")) << describe(fixed);
    EXPECT_TRUE(contains(fixed.err, "base.json")) << describe(fixed);
    auto strict = repo.dbarch("check --baseline base.json --baseline-strict");
    EXPECT_EQ(strict.exitCode, 1) << describe(strict);
    EXPECT_TRUE(contains(strict.err, "1 fixed")) << describe(strict);

    // Regenerated, the file shrinks by that entry.
    auto rewrite = repo.dbarch("check --write-baseline base.json");
    EXPECT_TRUE(contains(rewrite.err, "dbarch: wrote 3 findings to base.json")) << describe(rewrite);
    EXPECT_FALSE(contains(repo.read("base.json"), "src/orders.cpp"));
    auto strictAgain = repo.dbarch("check --baseline base.json --baseline-strict");
    EXPECT_EQ(strictAgain.exitCode, 0) << describe(strictAgain);
}

TEST_F(IntegrationBaseline, MalformedBaselineIsAUsageErrorNamingFileAndPosition) {
    repo.write("bad.json", "{\n  \"version\": 1,\n  \"entries\": [\n    {\"rule\": \"x\",}\n  ]\n}\n");
    auto syntax = repo.dbarch("check --baseline bad.json");
    EXPECT_EQ(syntax.exitCode, 2) << describe(syntax);
    EXPECT_EQ(syntax.out, "") << describe(syntax);
    EXPECT_TRUE(contains(syntax.err, "bad.json:4:")) << "file:line:col of the error\n" << describe(syntax);
    EXPECT_TRUE(contains(syntax.err, "invalid JSON")) << describe(syntax);

    repo.write("count.json",
               "{\"version\": 1, \"entries\": [{\"rule\": \"dbarch-direct-connection\", \"file\": \"src/orders.cpp\", "
               "\"function\": \"rogue\", \"text\": \"x\", \"count\": 0}]}\n");
    auto count = repo.dbarch("check --baseline count.json");
    EXPECT_EQ(count.exitCode, 2) << describe(count);
    EXPECT_TRUE(contains(count.err, "count.json")) << describe(count);
    EXPECT_TRUE(contains(count.err, "/entries/0/count")) << describe(count);

    auto missing = repo.dbarch("check --baseline no-such-baseline.json");
    EXPECT_EQ(missing.exitCode, 2) << describe(missing);
    EXPECT_TRUE(contains(missing.err, "no-such-baseline.json")) << describe(missing);
}

}  // namespace
}  // namespace dbarch::itest
