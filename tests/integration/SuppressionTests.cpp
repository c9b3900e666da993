// Suppression hygiene: --require-reason and --report-unused-suppressions on real sources.
#include "Support.hpp"

namespace dbarch::itest {
namespace {

const std::string kNolint = "dbarch-nolint";

TEST(IntegrationSuppressions, RequireReasonReportsMarkersWithoutOne) {
    Repo repo(Repo::Database::CompileFlags);
    const std::string source =
        "#include <libpq-fe.h>\n"
        "PGconn* a() { return PQconnectdb(\"x\"); } // NOLINT(dbarch-direct-connection)\n"
        "PGconn* b() { return PQconnectdb(\"x\"); } // NOLINT(dbarch-direct-connection): migration tool, runs once\n"
        "// NOLINTNEXTLINE(dbarch-direct-connection)\n"
        "PGconn* c() { return PQconnectdb(\"x\"); }\n"
        "// NOLINTNEXTLINE(dbarch-direct-connection): one-off import\n"
        "PGconn* d() { return PQconnectdb(\"x\"); }\n";
    repo.write("src/tools.cpp", source);

    auto plain = repo.dbarch("check --format json");
    EXPECT_EQ(plain.exitCode, 0) << describe(plain);
    json plainDoc = parseJson(plain.out, "report");
    EXPECT_TRUE(violationKeys(plainDoc).empty()) << plain.out;
    EXPECT_EQ(plainDoc["summary"]["suppressed"], 4);

    auto r = repo.dbarch("check --require-reason --format json");
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseJson(r.out, "report");
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"src/tools.cpp", 2, kNolint}, {"src/tools.cpp", 4, kNolint}})) << r.out;
    for (const auto& v : doc["violations"]) {
        EXPECT_TRUE(contains(v["message"].get<std::string>(), "reason")) << v.dump();
        EXPECT_TRUE(contains(v["message"].get<std::string>(), "NOLINT")) << v.dump();
    }
    // At the comment, in the text output too.
    auto text = repo.dbarch("check --require-reason");
    EXPECT_EQ(text.exitCode, 1) << describe(text);
    EXPECT_TRUE(contains(text.out, diagnosticHead("src/tools.cpp", source, "NOLINT(dbarch-direct-connection)\n")))
        << text.out;
    EXPECT_TRUE(contains(text.out, "[dbarch-nolint]")) << text.out;
}

TEST(IntegrationSuppressions, ReportUnusedSuppressionsReportsOnlyStaleMarkers) {
    Repo repo(Repo::Database::CompileFlags);
    const std::string source =
        "#include <libpq-fe.h>\n"
        "PGconn* a() { return PQconnectdb(\"x\"); } // NOLINT(dbarch-direct-connection): used\n"
        "int v(PGconn* c) { return PQserverVersion(c); } // NOLINT(dbarch-direct-connection): stale\n"
        "// NOLINTNEXTLINE(dbarch-prepared-statement): stale too\n"
        "int w(PGconn* c) { return PQserverVersion(c); }\n"
        "int x(PGconn* c) { return PQserverVersion(c); } // NOLINT(bugprone-branch-clone): another tool's\n";
    repo.write("src/tools.cpp", source);

    auto plain = repo.dbarch("check");
    EXPECT_EQ(plain.exitCode, 0) << describe(plain);

    auto r = repo.dbarch("check --report-unused-suppressions --format json");
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseJson(r.out, "report");
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"src/tools.cpp", 3, kNolint}, {"src/tools.cpp", 4, kNolint}})) << r.out;
    for (const auto& v : doc["violations"]) EXPECT_TRUE(contains(v["message"].get<std::string>(), "unused")) << v.dump();
    EXPECT_EQ(doc["summary"]["suppressed"], 1);

    // Both flags together: the used marker has its reason, so still only the two stale ones.
    auto both = repo.dbarch("check --report-unused-suppressions --require-reason --format json");
    EXPECT_EQ(violationKeys(parseJson(both.out, "report")),
              (std::set<Key>{{"src/tools.cpp", 3, kNolint}, {"src/tools.cpp", 4, kNolint}}))
        << both.out;
}

}  // namespace
}  // namespace dbarch::itest
