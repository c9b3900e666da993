#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "config/Config.hpp"
#include "config/Embedded.hpp"
#include "report/Report.hpp"
#include "report/RuleInfo.hpp"
#include "support/Process.hpp"

using namespace dbarch;
using dbarch::test::TempDir;
using nlohmann::json;

namespace {

Finding finding(const std::string& rule, Severity severity, const std::string& file, unsigned line, unsigned column,
                const std::string& context) {
    Finding f;
    f.rule = rule;
    f.severity = severity;
    f.file = file;
    f.line = line;
    f.column = column;
    f.message = "message for " + rule;
    f.symbol = "sym";
    f.function = "app::run";
    f.context = context;
    return f;
}

// A run as the CLI builds it: default rules, several findings of several rules, notes inside and
// outside the project, a warning, a NOLINT problem, an analysis error and a configuration warning.
Report realisticReport() {
    Report r;
    r.toolVersion = "0.1.0";
    r.rules = describeRules(defaultConfig("/tmp"));
    r.units = {"src/a.cpp", "src/b.cpp", "src/with space.cpp", "src/broken.cpp"};
    r.unitsChecked = 4;
    r.filesAnalysed = 6;
    r.docsUrl = "https://github.com/example/dbarch/blob/v0.1.0/";
    r.rootUri = directoryUri("/home/ci/project");
    Finding a = finding("dbarch-direct-connection", Severity::Error, "src/a.cpp", 12, 22, "    pqxx::connection conn{kDsn};");
    a.notes.push_back({"src/a.hpp", 9, 5, "expanded from macro 'OPEN_DB'"});
    a.notes.push_back({"/usr/include/pqxx/connection.hxx", 120, 3, "in instantiation of 'pqxx::connection'"});
    a.notes.push_back({"", 0, 0, "a note without a location"});
    Finding b = finding("dbarch-prepared-statement", Severity::Warning, "src/b.cpp", 7, 9, "tx.exec_prepared(\"q\");");
    Finding c = finding("dbarch-hardcoded-credentials", Severity::Error, "src/with space.cpp", 3, 26,
                        "const char* s = \"caf\xC3\xA9\"; auto d = \"password=x\";");
    Finding d = finding("dbarch-nolint", Severity::Error, "src/a.hpp", 1, 4, "// NOLINTBEGIN(dbarch-*)");
    Finding e = b;  // an identical line twice in one function: fingerprints must still differ
    e.line = 8;
    r.findings = {a, b, e, c, d};
    sortFindings(r.findings);
    r.errors.push_back({"src/broken.cpp", "could not be fully analysed: src/broken.cpp:3:1: error: expected ';'"});
    r.warnings.push_back({"handler function 'x::y' in .dbarch.json matches no declaration in any analysed file (a typo?)"});
    return r;
}

std::string sarifOf(const Report& r) {
    std::ostringstream out;
    writeSarif(out, r);
    return out.str();
}

// Validates with Python's jsonschema against the OASIS schema; returns "" when valid, else the
// validator's complaint.
std::string schemaErrors(const std::string& sarif) {
    TempDir dir;
    dbarch::test::writeFile(dir / "out.sarif", sarif);
    auto result = dbarch::test::run(
        "python3 -c 'import jsonschema,json,sys; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' " +
        dbarch::test::shellQuote((dir / "out.sarif").string()) + " " + dbarch::test::shellQuote(DBARCH_SARIF_SCHEMA));
    return result.exitCode == 0 ? "" : "exit " + std::to_string(result.exitCode) + ": " + result.err;
}

const json* ruleById(const json& rules, const std::string& id) {
    for (const auto& rule : rules)
        if (rule["id"] == id) return &rule;
    return nullptr;
}

}  // namespace

TEST(Sarif, RealisticReportValidatesAgainstTheOfficialSchema) {
    std::string sarif = sarifOf(realisticReport());
    EXPECT_EQ(schemaErrors(sarif), "") << sarif;
}

TEST(Sarif, TheSchemaCheckRejectsInvalidLogs) {
    // Guards the test above: a validator that accepts anything would prove nothing.
    json doc = json::parse(sarifOf(realisticReport()));
    doc["runs"][0]["results"][0]["level"] = "fatal";
    EXPECT_NE(schemaErrors(doc.dump()), "");
    doc = json::parse(sarifOf(realisticReport()));
    doc.erase("version");
    EXPECT_NE(schemaErrors(doc.dump()), "");
}

TEST(Sarif, MinimalReportWithoutDocsOrRootValidates) {
    Report r;
    r.toolVersion = "0.1.0";
    r.findings.push_back(finding("custom-rule", Severity::Error, "a.cpp", 1, 1, "x();"));
    r.findings.push_back(finding("custom-rule", Severity::Error, "b.cpp", 0, 0, ""));  // no line: file-level
    std::string sarif = sarifOf(r);
    EXPECT_EQ(schemaErrors(sarif), "") << sarif;
    json run = json::parse(sarif)["runs"][0];
    EXPECT_FALSE(run["tool"]["driver"].contains("informationUri"));
    EXPECT_FALSE(run.contains("originalUriBaseIds"));
    EXPECT_TRUE(run["invocations"][0]["executionSuccessful"].get<bool>());
    // A rule the configuration did not describe still gets a descriptor, so ruleIndex is valid.
    ASSERT_EQ(run["tool"]["driver"]["rules"].size(), 1u);
    EXPECT_EQ(run["tool"]["driver"]["rules"][0]["id"], "custom-rule");
    EXPECT_FALSE(run["tool"]["driver"]["rules"][0].contains("helpUri"));
    EXPECT_EQ(run["results"][0]["ruleIndex"], 0);
    EXPECT_EQ(run["results"][1]["ruleIndex"], 0);
    EXPECT_FALSE(run["results"][1]["locations"][0]["physicalLocation"].contains("region"));
}

TEST(Sarif, ToolDriverAndRules) {
    json doc = json::parse(sarifOf(realisticReport()));
    EXPECT_EQ(doc["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    EXPECT_EQ(doc["version"], "2.1.0");
    ASSERT_EQ(doc["runs"].size(), 1u);
    const json& driver = doc["runs"][0]["tool"]["driver"];
    EXPECT_EQ(driver["name"], "dbarch");
    EXPECT_EQ(driver["version"], "0.1.0");
    EXPECT_EQ(driver["informationUri"], "https://github.com/example/dbarch/blob/v0.1.0");
    const json* direct = ruleById(driver["rules"], "dbarch-direct-connection");
    ASSERT_TRUE(direct);
    EXPECT_EQ((*direct)["helpUri"], "https://github.com/example/dbarch/blob/v0.1.0/rules/docs/dbarch-direct-connection.md");
    EXPECT_EQ((*direct)["shortDescription"]["text"].get<std::string>().rfind("creating a database connection or session", 0), 0u)
        << (*direct)["shortDescription"];
    EXPECT_EQ((*direct)["help"]["markdown"], std::string(embeddedRuleDocs().at("dbarch-direct-connection")));
    EXPECT_EQ((*direct)["fullDescription"]["text"], std::string(embeddedRuleDocs().at("dbarch-direct-connection")));
    EXPECT_EQ((*direct)["defaultConfiguration"]["level"], "error");
    EXPECT_TRUE((*direct)["defaultConfiguration"]["enabled"].get<bool>());
    const json* include = ruleById(driver["rules"], "dbarch-driver-include");
    ASSERT_TRUE(include);
    EXPECT_FALSE((*include)["defaultConfiguration"]["enabled"].get<bool>());
    EXPECT_TRUE(ruleById(driver["rules"], "dbarch-nolint"));
}

TEST(Sarif, ResultsLocationsNotesAndFingerprints) {
    Report report = realisticReport();
    json run = json::parse(sarifOf(report))["runs"][0];
    const json& results = run["results"];
    ASSERT_EQ(results.size(), report.findings.size());
    for (size_t i = 0; i < results.size(); ++i) {
        const json& res = results[i];
        EXPECT_EQ(res["ruleId"], report.findings[i].rule);
        EXPECT_EQ(run["tool"]["driver"]["rules"][res["ruleIndex"].get<size_t>()]["id"], res["ruleId"]) << i;
        EXPECT_EQ(res["message"]["text"], report.findings[i].message);
        EXPECT_EQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        EXPECT_TRUE(res["partialFingerprints"].contains("dbarchFindingKey/v1"));
    }
    // Sorted: src/a.cpp (direct), src/a.hpp (nolint), src/b.cpp x2 (warnings), src/with space.cpp.
    const json& direct = results[0];
    EXPECT_EQ(direct["level"], "error");
    const json& loc = direct["locations"][0]["physicalLocation"];
    EXPECT_EQ(loc["artifactLocation"]["uri"], "src/a.cpp");
    EXPECT_EQ(loc["region"]["startLine"], 12);
    EXPECT_EQ(loc["region"]["startColumn"], 22);
    EXPECT_EQ(loc["contextRegion"]["startLine"], 12);
    EXPECT_EQ(loc["contextRegion"]["snippet"]["text"], "    pqxx::connection conn{kDsn};");
    ASSERT_EQ(direct["relatedLocations"].size(), 3u);
    EXPECT_EQ(direct["relatedLocations"][0]["message"]["text"], "expanded from macro 'OPEN_DB'");
    EXPECT_EQ(direct["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/a.hpp");
    EXPECT_EQ(direct["relatedLocations"][1]["physicalLocation"]["artifactLocation"]["uri"],
              "file:///usr/include/pqxx/connection.hxx");
    EXPECT_FALSE(direct["relatedLocations"][1]["physicalLocation"]["artifactLocation"].contains("uriBaseId"));
    EXPECT_FALSE(direct["relatedLocations"][2].contains("physicalLocation"));

    EXPECT_EQ(results[2]["level"], "warning");
    EXPECT_NE(results[2]["partialFingerprints"], results[3]["partialFingerprints"]);

    const json& spaced = results[4]["locations"][0]["physicalLocation"];
    EXPECT_EQ(spaced["artifactLocation"]["uri"], "src/with%20space.cpp");
    // Byte column 26 is after "é" (2 bytes, 1 UTF-16 unit): SARIF's default column unit.
    EXPECT_EQ(spaced["region"]["startColumn"], 25);
    EXPECT_EQ(run["columnKind"], "utf16CodeUnits");
}

TEST(Sarif, AnalysisErrorsMakeTheRunUnsuccessful) {
    json run = json::parse(sarifOf(realisticReport()))["runs"][0];
    const json& invocation = run["invocations"][0];
    EXPECT_FALSE(invocation["executionSuccessful"].get<bool>());
    ASSERT_EQ(invocation["toolExecutionNotifications"].size(), 1u);
    const json& n = invocation["toolExecutionNotifications"][0];
    EXPECT_EQ(n["level"], "error");
    EXPECT_NE(n["message"]["text"].get<std::string>().find("expected ';'"), std::string::npos);
    EXPECT_EQ(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/broken.cpp");
    EXPECT_EQ(invocation["toolConfigurationNotifications"][0]["level"], "warning");
    EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///home/ci/project/");
    ASSERT_EQ(run["artifacts"].size(), 4u);
    EXPECT_EQ(run["artifacts"][0]["roles"][0], "analysisTarget");
}

TEST(Sarif, FingerprintIsUnchangedWhenTheFindingMovesToAnotherLine) {
    Report before = realisticReport();
    Report after = before;
    for (auto& f : after.findings) f.line += 30;  // e.g. a license header was added above
    after.findings[0].context = "\t\tpqxx::connection   conn{kDsn};";  // and the file re-indented
    json b = json::parse(sarifOf(before))["runs"][0]["results"];
    json a = json::parse(sarifOf(after))["runs"][0]["results"];
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_NE(a[i]["locations"][0]["physicalLocation"]["region"]["startLine"],
                  b[i]["locations"][0]["physicalLocation"]["region"]["startLine"]);
        EXPECT_EQ(a[i]["partialFingerprints"], b[i]["partialFingerprints"]) << i;
    }
}

TEST(Sarif, PathPrefixPutsPathsInTheRepositoryFrame) {
    Report r = realisticReport();
    r.pathPrefix = "services/billing";
    json run = json::parse(sarifOf(r))["runs"][0];
    EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "services/billing/src/a.cpp");
}

TEST(Sarif, IsDeterministic) {
    EXPECT_EQ(sarifOf(realisticReport()), sarifOf(realisticReport()));
}

TEST(Sarif, InvalidUtf8InASourceLineDoesNotBreakTheLog) {
    Report r;
    r.findings.push_back(finding("dbarch-hardcoded-credentials", Severity::Error, "a.cpp", 1, 5, "s = \"caf\xE9 password=x\";"));
    std::string sarif;
    ASSERT_NO_THROW(sarif = sarifOf(r));
    EXPECT_NO_THROW(json::parse(sarif));
}

TEST(RuleInfo, DescribesEveryRuleIdOnceFromTheDocs) {
    auto rules = describeRules(defaultConfig("/tmp"));
    std::vector<std::string> ids;
    for (const auto& r : rules) ids.push_back(r.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"dbarch-direct-connection", "dbarch-driver-include", "dbarch-hardcoded-credentials",
                                             "dbarch-nolint", "dbarch-prepared-statement"}));
    for (const auto& r : rules) {
        EXPECT_FALSE(r.summary.empty()) << r.id;
        EXPECT_EQ(r.summary.find('\n'), std::string::npos) << r.id;
        EXPECT_EQ(r.helpMarkdown, std::string(embeddedRuleDocs().at(r.id))) << r.id;
        EXPECT_EQ(r.summary, ruleSummaryFromDoc(embeddedRuleDocs().at(r.id))) << r.id;
    }
}

TEST(RuleInfo, EnabledAndLevelAcrossEntriesAndUndocumentedRules) {
    Config config;
    Rule r;
    r.id = "acme-no-raw-sockets";
    r.message = "opens {symbol}; use acme::net instead";
    r.severity = Severity::Error;
    r.enabled = false;
    config.rules.push_back(r);
    r.severity = Severity::Warning;
    r.enabled = true;
    r.message = "second entry";
    config.rules.push_back(r);
    auto rules = describeRules(config);
    ASSERT_EQ(rules.size(), 2u);  // plus dbarch-nolint
    EXPECT_EQ(rules[0].id, "acme-no-raw-sockets");
    EXPECT_TRUE(rules[0].enabled) << "enabled when any entry is";
    EXPECT_EQ(rules[0].level, Severity::Warning) << "the disabled error entry does not count";
    EXPECT_EQ(rules[0].summary, "opens {symbol}; use acme::net instead") << "no doc: the first entry's message";
    EXPECT_EQ(rules[0].helpMarkdown, "");
    EXPECT_EQ(rules[1].id, "dbarch-nolint");
}

TEST(RuleInfo, SummaryFromDoc) {
    EXPECT_EQ(ruleSummaryFromDoc("# x\n\n**Forbids:** one\ntwo.\n\n**Why:** z\n"), "one two.");
    EXPECT_EQ(ruleSummaryFromDoc("# x\n\nFirst\nparagraph.\n\nSecond.\n"), "First paragraph.");
    EXPECT_EQ(ruleSummaryFromDoc(""), "");
}
