// Adopting dbarch: `dbarch audit` finds the function that already acts as a handler, `dbarch init`
// makes it the handler of a new .dbarch.json, and `dbarch check` then reports only the rest.
#include "Support.hpp"

namespace dbarch::itest {
namespace {

// legacy::db::open() opens connections and is called from 3 places in 2 files; two other direct
// connections live elsewhere.
const std::string kLegacyHeader =
    "#pragma once\n"
    "#include <libpq-fe.h>\n"
    "namespace legacy::db { PGconn* open(); }\n";
const std::string kLegacySource =
    "#include \"db.hpp\"\n"
    "namespace legacy::db {\n"
    "PGconn* open() { return PQconnectdb(\"host=legacy\"); }\n"
    "}  // namespace legacy::db\n";
const std::string kOrders =
    "#include \"../legacy/db.hpp\"\n"
    "void place() { PGconn* c = legacy::db::open(); PQfinish(c); }\n"
    "void cancel() { PGconn* c = legacy::db::open(); PQfinish(c); }\n"
    "PGconn* orders_direct() { return PQconnectdb(\"host=orders\"); }\n";
const std::string kReports =
    "#include \"../legacy/db.hpp\"\n"
    "void daily() { PGconn* c = legacy::db::open(); PQfinish(c); }\n";
const std::string kBilling =
    "#include <libpq-fe.h>\n"
    "PGconn* billing_direct() { return PQsetdbLogin(\"db\", \"5432\", nullptr, nullptr, \"billing\", \"app\", nullptr); }\n";

const std::string kDirect = "dbarch-direct-connection";

class IntegrationAudit : public ::testing::Test {
  protected:
    Repo repo{Repo::Database::CompileFlags, ""};  // no .dbarch.json yet

    void SetUp() override {
        repo.write("src/legacy/db.hpp", kLegacyHeader);
        repo.write("src/legacy/db.cpp", kLegacySource);
        repo.write("src/orders/orders.cpp", kOrders);
        repo.write("src/reports/daily.cpp", kReports);
        repo.write("src/billing/billing.cpp", kBilling);
    }
};

TEST_F(IntegrationAudit, AuditShowsTablesAndTheHandlerCandidate) {
    auto r = repo.dbarch("audit");
    EXPECT_EQ(r.exitCode, 0) << "audit exits 0 whatever it found\n" << describe(r);
    const std::string& out = r.out;
    // Every violation, as check shows them.
    EXPECT_TRUE(contains(out, diagnosticHead("src/legacy/db.cpp", kLegacySource, "PQconnectdb"))) << out;
    EXPECT_TRUE(contains(out, diagnosticHead("src/orders/orders.cpp", kOrders, "PQconnectdb"))) << out;
    EXPECT_TRUE(contains(out, diagnosticHead("src/billing/billing.cpp", kBilling, "PQsetdbLogin"))) << out;

    auto section = [&](const std::string& title) {
        size_t at = out.find(title);
        if (at == std::string::npos) return std::string();
        size_t end = out.find("\n\n", at);
        return out.substr(at, end == std::string::npos ? std::string::npos : end - at);
    };
    std::string byRule = section("By rule:");
    ASSERT_FALSE(byRule.empty()) << out;
    EXPECT_TRUE(contains(byRule, kDirect)) << byRule;
    EXPECT_TRUE(contains(byRule, " 3")) << byRule;
    std::string byDirectory = section("By directory:");
    ASSERT_FALSE(byDirectory.empty()) << out;
    for (const char* dir : {"src/legacy", "src/orders", "src/billing"}) EXPECT_TRUE(contains(byDirectory, dir)) << byDirectory;
    EXPECT_FALSE(contains(byDirectory, "src/reports")) << "src/reports only calls the legacy function\n" << byDirectory;
    std::string byApi = section("By API");
    ASSERT_FALSE(byApi.empty()) << out;
    EXPECT_TRUE(contains(byApi, "PQconnectdb")) << byApi;
    EXPECT_TRUE(contains(byApi, "PQsetdbLogin")) << byApi;
    EXPECT_TRUE(contains(byApi, "src/legacy (1)")) << byApi;
    std::string candidates = section("Functions that already act as handlers");
    ASSERT_FALSE(candidates.empty()) << out;
    EXPECT_TRUE(contains(candidates, "legacy::db::open  src/legacy/db.cpp:3")) << candidates;
    EXPECT_TRUE(contains(candidates, "called from 3 places in 2 files")) << candidates;
    EXPECT_FALSE(contains(candidates, "orders_direct")) << candidates;
    EXPECT_FALSE(contains(candidates, "billing_direct")) << candidates;

    auto j = repo.dbarch("audit --format json");
    EXPECT_EQ(j.exitCode, 0) << describe(j);
    json doc = parseJson(j.out, "audit JSON");
    ASSERT_TRUE(doc.is_object());
    for (const char* key : {"violations", "summary", "by_rule", "by_directory", "by_api", "handler_candidates"})
        EXPECT_TRUE(doc.contains(key)) << "audit JSON lacks " << key;
    EXPECT_EQ(doc["by_rule"], json({{kDirect, 3}})) << doc.dump(2);
    EXPECT_EQ(doc["by_directory"], json({{"src/billing", 1}, {"src/legacy", 1}, {"src/orders", 1}})) << doc.dump(2);
    EXPECT_EQ(doc["by_api"]["PQconnectdb"], json({{"src/legacy", 1}, {"src/orders", 1}})) << doc.dump(2);
    EXPECT_EQ(doc["by_api"]["PQsetdbLogin"], json({{"src/billing", 1}})) << doc.dump(2);
    ASSERT_EQ(doc["handler_candidates"].size(), 1u) << doc.dump(2);
    const json& candidate = doc["handler_candidates"][0];
    EXPECT_EQ(candidate["function"], "legacy::db::open");
    EXPECT_EQ(candidate["file"], "src/legacy/db.cpp");
    EXPECT_EQ(candidate["line"], 3);
    EXPECT_EQ(candidate["call_sites"], 3);
    EXPECT_EQ(candidate["calling_files"], 2);
    EXPECT_EQ(candidate["opens"], json::array({"PQconnectdb"}));

    // audit writes nothing into the project.
    EXPECT_FALSE(fs::exists(repo / ".dbarch.json"));
}

TEST_F(IntegrationAudit, InitWritesTheHandlerAndCheckHonoursIt) {
    repo.write("third_party/vendored.cpp", "#include <libpq-fe.h>\nPGconn* v() { return PQconnectdb(\"x\"); }\n");
    auto r = repo.dbarch("init");
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "dbarch: wrote " + (repo / ".dbarch.json").string())) << describe(r);
    EXPECT_TRUE(contains(r.out, "legacy::db::open (src/legacy/db.cpp:3, called from 3 places)")) << describe(r);
    const std::string written = repo.read(".dbarch.json");
    json config = parseJson(written, ".dbarch.json");
    ASSERT_TRUE(config.is_object()) << written;
    EXPECT_EQ(config["handler"]["functions"], json::array({"legacy::db::open"})) << written;
    EXPECT_EQ(config["exclude"], json::array({"third_party/**"})) << written;

    // Not overwritten without --force.
    repo.write(".dbarch.json", written + "\n");
    auto refused = repo.dbarch("init");
    EXPECT_EQ(refused.exitCode, 2) << describe(refused);
    EXPECT_TRUE(contains(refused.err, ".dbarch.json")) << describe(refused);
    EXPECT_TRUE(contains(refused.err, "--force")) << describe(refused);
    EXPECT_EQ(repo.read(".dbarch.json"), written + "\n") << "init overwrote the config without --force";
    auto forced = repo.dbarch("init --force");
    EXPECT_EQ(forced.exitCode, 0) << describe(forced);
    EXPECT_EQ(repo.read(".dbarch.json"), written);

    // check with the new config: the violation inside legacy::db::open is gone, the other two stay.
    auto check = repo.dbarch("check --format json");
    EXPECT_EQ(check.exitCode, 1) << describe(check);
    json doc = parseJson(check.out, "report");
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"src/orders/orders.cpp", 4, kDirect}, {"src/billing/billing.cpp", 2, kDirect}}))
        << dumpKeys(violationKeys(doc));
    EXPECT_TRUE(doc["warnings"].empty()) << "the handler name resolves: " << doc["warnings"].dump();
    auto text = repo.dbarch("check");
    EXPECT_FALSE(contains(text.out, "src/legacy/db.cpp")) << text.out;
    EXPECT_FALSE(contains(text.out, "third_party")) << text.out;
}

}  // namespace
}  // namespace dbarch::itest
