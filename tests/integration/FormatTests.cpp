// The machine-readable outputs as CI systems consume them: SARIF 2.1.0 validated against the
// official OASIS schema (python3-jsonschema), GitHub Actions workflow commands with their
// escaping, GitLab Code Quality, JUnit XML parsed by python3's xml.etree, and several at once.
#include <algorithm>
#include <sstream>

#include "Support.hpp"

namespace dbarch::itest {
namespace {

// A project rule whose message has everything the GitHub escaping must handle: a comma, colons,
// a percent sign and a newline.
const std::string kFormatsConfig = R"({
  "extends": ["builtin:libpq"],
  "handler": {"functions": ["app::db::open_session"]},
  "rules": [
    {"id": "acme-no-getenv", "kind": "call", "functions": ["getenv"], "severity": "warning",
     "message": "reads {symbol}, directly: use 100% acme::config::get()\nsee: docs/config.md, section 2"}
  ]
}
)";

const std::string kMacro =
    "#include <libpq-fe.h>\n"
    "#define OPEN_DB(dsn) PQconnectdb(dsn)\n"
    "void early() { OPEN_DB(\"host=db\"); }\n";
const std::string kEnv =
    "#include <stdlib.h>\n"
    "const char* home() { return getenv(\"HOME\"); }\n";
// Two identical findings: same rule, file, function and source text.
const std::string kTwice =
    "#include <libpq-fe.h>\n"
    "void twice() {\n"
    "    PQconnectdb(\"host=db\");\n"
    "    PQconnectdb(\"host=db\");\n"
    "}\n";
const std::string kPrepared =
    "#include <libpq-fe.h>\n"
    "void prepare(PGconn* c) { PQprepare(c, \"s\", \"select 1\", 0, nullptr); }\n";

const std::string kDocsUrl = "https://example.invalid/dbarch";

// The project every format test reports on: 6 findings (5 errors, 1 warning) in 5 units.
class IntegrationFormats : public ::testing::Test {
  protected:
    Repo repo{Repo::Database::CompileFlags, kFormatsConfig};

    void SetUp() override {
        repo.write("src/db/session.cpp", kHandlerSource);
        repo.write("src/orders.cpp", kViolatingOrders);
        repo.write("src/macro.cpp", kMacro);
        repo.write("src/env.cpp", kEnv);
        repo.write("src/twice.cpp", kTwice);
        repo.write("src/prepared.cpp", kPrepared);
    }

    json jsonReport() {
        auto r = repo.dbarch("check --format json");
        EXPECT_EQ(r.exitCode, 1) << describe(r);
        return parseJson(r.out, "JSON report");
    }

    // "" when `file` is valid SARIF 2.1.0 per the official schema, else the validator's report.
    static std::string schemaErrors(const fs::path& file) {
        auto r = dbarch::test::run(python3() + " " + shellQuote(DBARCH_TEST_HELPERS) + " sarif " +
                                   shellQuote(DBARCH_SARIF_SCHEMA) + " " + shellQuote(file.string()));
        return r.exitCode == 0 ? "" : describe(r);
    }

    static json junit(const fs::path& file) {
        auto r = dbarch::test::run(python3() + " " + shellQuote(DBARCH_TEST_HELPERS) + " junit " + shellQuote(file.string()));
        EXPECT_EQ(r.exitCode, 0) << "not well-formed JUnit XML:\n" << describe(r) << "\n" << readFile(file);
        return parseJson(r.out, "junit summary");
    }

    json sarif(const std::string& args, int expectedExit, const std::string& env = "") {
        std::string command = env + shellQuote(dbarchBinary()) + " check --format sarif -o out.sarif " + args;
        auto r = repo.sh(command);
        EXPECT_EQ(r.exitCode, expectedExit) << command << "\n" << describe(r);
        EXPECT_EQ(r.out, "") << "-o: nothing on stdout\n" << describe(r);
        EXPECT_EQ(schemaErrors(repo / "out.sarif"), "") << "SARIF from: " << command;
        return parseJson(repo.read("out.sarif"), "SARIF");
    }
};

// ---------------------------------------------------------------------------------------------
// SARIF

TEST_F(IntegrationFormats, SarifIsValidAndCarriesRulesAndResults) {
    json report = jsonReport();
    json doc = sarif("", 1);
    ASSERT_TRUE(doc.is_object());
    EXPECT_EQ(doc["version"], "2.1.0");
    ASSERT_EQ(doc["runs"].size(), 1u);
    const json& run = doc["runs"][0];
    const json& driver = run["tool"]["driver"];
    EXPECT_EQ(driver["name"], "dbarch");
    EXPECT_TRUE(driver.contains("version"));
    EXPECT_FALSE(driver.contains("informationUri")) << "no --docs-url, no links";

    // Rules: every rule of the configuration, fully described.
    std::set<std::string> ruleIds;
    for (const auto& rule : driver["rules"]) {
        std::string id = rule.value("id", "");
        ruleIds.insert(id);
        SCOPED_TRACE(id);
        EXPECT_FALSE(id.empty());
        EXPECT_FALSE(rule["shortDescription"].value("text", "").empty()) << rule.dump(2);
        EXPECT_FALSE(rule["fullDescription"].value("text", "").empty()) << rule.dump(2);
        ASSERT_TRUE(rule.contains("help")) << rule.dump(2);
        EXPECT_FALSE(rule["help"].value("text", "").empty()) << rule.dump(2);
        if (id.rfind("dbarch-", 0) == 0)
            EXPECT_FALSE(rule["help"].value("markdown", "").empty()) << "built-in rule without its page\n" << rule.dump(2);
        std::string level = rule["defaultConfiguration"].value("level", "");
        EXPECT_TRUE(level == "error" || level == "warning" || level == "note") << rule.dump(2);
        EXPECT_FALSE(rule.contains("helpUri")) << rule.dump(2);
    }
    for (const char* id : {"dbarch-direct-connection", "dbarch-prepared-statement", "dbarch-hardcoded-credentials", "acme-no-getenv"})
        EXPECT_TRUE(ruleIds.count(id)) << id << " missing from rules[]";
    for (const auto& rule : driver["rules"])
        if (rule["id"] == "acme-no-getenv") EXPECT_EQ(rule["defaultConfiguration"]["level"], "warning");

    // Results: one per finding of the JSON report, same places.
    ASSERT_EQ(run["results"].size(), report["violations"].size()) << run["results"].dump(2);
    std::set<Key> fromSarif;
    std::set<std::string> fingerprints;
    for (const auto& result : run["results"]) {
        SCOPED_TRACE(result.dump(2));
        std::string ruleId = result.value("ruleId", "");
        ASSERT_TRUE(result.contains("ruleIndex"));
        size_t index = result["ruleIndex"].get<size_t>();
        ASSERT_LT(index, driver["rules"].size());
        EXPECT_EQ(driver["rules"][index]["id"], ruleId);
        std::string level = result.value("level", "");
        EXPECT_EQ(level, ruleId == "acme-no-getenv" ? "warning" : "error");
        EXPECT_FALSE(result["message"].value("text", "").empty());
        const json& location = result["locations"][0]["physicalLocation"];
        std::string uri = location["artifactLocation"].value("uri", "");
        EXPECT_EQ(location["artifactLocation"].value("uriBaseId", ""), "%SRCROOT%");
        EXPECT_EQ(uri.rfind("src/", 0), 0u) << "not relative to the project root: " << uri;
        unsigned line = location["region"].value("startLine", 0u);
        EXPECT_GE(line, 1u);
        EXPECT_GE(location["region"].value("startColumn", 0u), 1u);
        fromSarif.emplace(uri, line, ruleId);
        ASSERT_TRUE(result.contains("partialFingerprints"));
        ASSERT_FALSE(result["partialFingerprints"].empty());
        for (const auto& [name, value] : result["partialFingerprints"].items()) fingerprints.insert(name + "=" + value.get<std::string>());
        if (uri == "src/macro.cpp") {
            ASSERT_TRUE(result.contains("relatedLocations"));
            EXPECT_TRUE(contains(result["relatedLocations"][0]["message"]["text"].get<std::string>(), "OPEN_DB"));
            EXPECT_EQ(result["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 2);
        }
    }
    EXPECT_EQ(fromSarif, violationKeys(report)) << dumpKeys(fromSarif) << "vs\n" << dumpKeys(violationKeys(report));
    EXPECT_EQ(fingerprints.size(), run["results"].size()) << "partialFingerprints are not unique";
    EXPECT_EQ(run["invocations"][0]["executionSuccessful"], true);
}

TEST_F(IntegrationFormats, SarifFingerprintsSurviveLinesInsertedAbove) {
    auto fingerprintsOf = [](const json& doc) {
        std::vector<std::pair<std::string, std::string>> out;  // uri, fingerprints
        for (const auto& result : doc["runs"][0]["results"])
            out.emplace_back(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>(),
                             result["partialFingerprints"].dump());
        return out;
    };
    auto linesOf = [](const json& doc) {
        std::vector<unsigned> out;
        for (const auto& result : doc["runs"][0]["results"])
            out.push_back(result["locations"][0]["physicalLocation"]["region"]["startLine"].get<unsigned>());
        return out;
    };
    json before = sarif("", 1);
    const std::string header = "// Copyright the shop authors.\n//\n// Licensed under the terms in LICENSE.\n";
    for (const char* file : {"src/orders.cpp", "src/macro.cpp", "src/env.cpp", "src/twice.cpp", "src/prepared.cpp"})
        repo.write(file, header + repo.read(file));
    json after = sarif("", 1);
    EXPECT_EQ(fingerprintsOf(before), fingerprintsOf(after));
    auto shifted = linesOf(before);
    for (auto& line : shifted) line += 3;
    EXPECT_EQ(linesOf(after), shifted) << "the findings did not move with the inserted lines";
}

TEST_F(IntegrationFormats, SarifDocsUrlGivesRuleLinks) {
    for (const std::string& how : {std::string("flag"), std::string("environment")}) {
        SCOPED_TRACE(how);
        json doc = how == "flag" ? sarif("--docs-url " + kDocsUrl, 1) : sarif("", 1, "DBARCH_DOCS_URL=" + kDocsUrl + "/ ");
        const json& driver = doc["runs"][0]["tool"]["driver"];
        EXPECT_EQ(driver.value("informationUri", ""), kDocsUrl);
        for (const auto& rule : driver["rules"]) {
            std::string id = rule["id"].get<std::string>();
            if (id.rfind("dbarch-", 0) != 0) continue;
            EXPECT_EQ(rule.value("helpUri", ""), kDocsUrl + "/rules/docs/" + id + ".md") << rule.dump(2);
            EXPECT_TRUE(fs::exists(fs::path(checkoutDir()) / "rules/docs" / (id + ".md"))) << "no page for " << id;
        }
    }
}

// Every helpUri must lead somewhere: the docs URL is where dbarch's repository is browsable, so
// a project's own rule (which has no page there) must not link to URL/rules/docs/ID.md.
TEST_F(IntegrationFormats, SarifHelpLinksPointOnlyAtExistingPages) {
    json doc = sarif("--docs-url " + kDocsUrl, 1);
    for (const auto& rule : doc["runs"][0]["tool"]["driver"]["rules"]) {
        if (!rule.contains("helpUri")) continue;
        std::string uri = rule["helpUri"].get<std::string>();
        ASSERT_EQ(uri.rfind(kDocsUrl + "/", 0), 0u) << uri;
        EXPECT_TRUE(fs::exists(fs::path(checkoutDir()) / uri.substr(kDocsUrl.size() + 1)))
            << "rule " << rule["id"] << " links to " << uri << ", which is not a page of the repository";
    }
}

TEST_F(IntegrationFormats, SarifOfCleanAndOfFailedRunsIsValid) {
    Repo clean(Repo::Database::CompileFlags);
    clean.write("src/orders.cpp", kCleanOrders);
    auto r = clean.dbarch("check --format sarif -o out.sarif");
    EXPECT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_EQ(schemaErrors(clean / "out.sarif"), "");
    json doc = parseJson(clean.read("out.sarif"), "SARIF");
    EXPECT_TRUE(doc["runs"][0]["results"].empty());
    EXPECT_EQ(doc["runs"][0]["invocations"][0]["executionSuccessful"], true);

    repo.write("src/broken.cpp", "int broken( {\n");
    json failed = sarif("", 3);
    const json& invocation = failed["runs"][0]["invocations"][0];
    EXPECT_EQ(invocation["executionSuccessful"], false);
    ASSERT_TRUE(invocation.contains("toolExecutionNotifications")) << invocation.dump(2);
    EXPECT_TRUE(contains(invocation["toolExecutionNotifications"].dump(), "src/broken.cpp")) << invocation.dump(2);
    EXPECT_FALSE(failed["runs"][0]["results"].empty()) << "the other findings are still reported";
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions annotations

TEST_F(IntegrationFormats, GithubAnnotationsWithEscaping) {
    repo.write("src/odd,name:v2%.cpp", kViolatingOrders);
    auto r = repo.dbarch("check --format github");
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    std::vector<std::string> lines;
    std::istringstream in(r.out);
    for (std::string s; std::getline(in, s);) lines.push_back(s);
    ASSERT_EQ(lines.size(), 8u) << r.out;  // 7 findings and the summary
    for (size_t i = 0; i + 1 < lines.size(); ++i)
        EXPECT_TRUE(lines[i].rfind("::error file=", 0) == 0 || lines[i].rfind("::warning file=", 0) == 0) << lines[i];
    EXPECT_EQ(lines.back().rfind("dbarch: 7 violations (6 errors, 1 warning)", 0), 0u) << lines.back();

    auto where = positionOf(kViolatingOrders, "PQconnectdb(\"host=orders\")");
    std::string expectedOrders = "::error file=src/orders.cpp,line=" + std::to_string(where.line) + ",col=" +
                                 std::to_string(where.column) + ",title=dbarch-direct-connection::calls PQconnectdb";
    auto env = positionOf(kEnv, "getenv(");
    std::string expectedEnv = "::warning file=src/env.cpp,line=" + std::to_string(env.line) + ",col=" +
                              std::to_string(env.column) +
                              ",title=acme-no-getenv::reads getenv, directly: use 100%25 acme::config::get()%0A"
                              "see: docs/config.md, section 2";
    // A property value escapes ',' and ':' too (and '%').
    std::string expectedOdd = "::error file=src/odd%2Cname%3Av2%25.cpp,line=" + std::to_string(where.line) + ",col=" +
                              std::to_string(where.column) + ",title=dbarch-direct-connection::";
    bool orders = false, envSeen = false, odd = false, macroNote = false;
    for (const auto& line : lines) {
        orders = orders || line.rfind(expectedOrders, 0) == 0;
        envSeen = envSeen || line == expectedEnv;
        odd = odd || line.rfind(expectedOdd, 0) == 0;
        if (line.rfind("::error file=src/macro.cpp,line=3,", 0) == 0)
            macroNote = contains(line, "%0Anote: src/macro.cpp:2:") && contains(line, "OPEN_DB");
    }
    EXPECT_TRUE(orders) << "expected a line starting with\n" << expectedOrders << "\n" << r.out;
    EXPECT_TRUE(envSeen) << "expected the line\n" << expectedEnv << "\n" << r.out;
    EXPECT_TRUE(odd) << "expected a line starting with\n" << expectedOdd << "\n" << r.out;
    EXPECT_TRUE(macroNote) << "the macro note is not in the message\n" << r.out;
}

// GitHub resolves annotation paths (and SARIF's %SRCROOT%-relative URIs, and GitLab its paths)
// against the repository's top level. Report.hpp: "Applied by SARIF, GitHub and GitLab output":
// a project in a subdirectory must be reported with that subdirectory in front.
TEST(IntegrationFormatsPaths, CiPathsAreRelativeToTheRepositoryTopLevel) {
    Repo repo(Repo::Database::None, "");
    repo.write("services/billing/.dbarch.json", R"({"extends": ["builtin:libpq"]})");
    repo.write("services/billing/compile_flags.txt", "-std=c++17\n-I/usr/include/postgresql\n");
    repo.write("services/billing/src/invoice.cpp", kViolatingOrders);
    repo.commitAll("billing");
    const std::string expected = "services/billing/src/invoice.cpp";

    auto github = repo.dbarch("check --format github", "services/billing");
    EXPECT_EQ(github.exitCode, 1) << describe(github);
    EXPECT_TRUE(contains(github.out, "::error file=" + expected + ",line=4,")) << github.out;

    auto codeclimate = repo.dbarch("check --format codeclimate", "services/billing");
    EXPECT_EQ(codeclimate.exitCode, 1) << describe(codeclimate);
    json issues = parseJson(codeclimate.out, "codeclimate");
    ASSERT_TRUE(issues.is_array() && issues.size() == 1) << codeclimate.out;
    EXPECT_EQ(issues[0]["location"]["path"], expected);

    auto sarif = repo.dbarch("check --format sarif", "services/billing");
    EXPECT_EQ(sarif.exitCode, 1) << describe(sarif);
    json doc = parseJson(sarif.out, "SARIF");
    ASSERT_EQ(doc["runs"][0]["results"].size(), 1u);
    EXPECT_EQ(doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], expected);

    // The JSON and text reports stay relative to the project root (README).
    auto text = repo.dbarch("check", "services/billing");
    EXPECT_TRUE(contains(text.out, "src/invoice.cpp:4:")) << text.out;
}

// ---------------------------------------------------------------------------------------------
// GitLab Code Quality

TEST_F(IntegrationFormats, CodeClimateIssuesWithUniqueFingerprints) {
    json report = jsonReport();
    auto r = repo.dbarch("check --format codeclimate");
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json issues = parseJson(r.out, "Code Climate report");
    ASSERT_TRUE(issues.is_array()) << r.out;
    ASSERT_EQ(issues.size(), report["violations"].size()) << r.out;
    std::set<std::string> fingerprints;
    std::set<Key> keys;
    for (const auto& issue : issues) {
        SCOPED_TRACE(issue.dump(2));
        EXPECT_EQ(issue.value("type", ""), "issue");
        EXPECT_FALSE(issue.value("description", "").empty());
        std::string rule = issue.value("check_name", "");
        EXPECT_EQ(issue.value("severity", ""), rule == "acme-no-getenv" ? "minor" : "major");
        std::string fingerprint = issue.value("fingerprint", "");
        EXPECT_FALSE(fingerprint.empty());
        fingerprints.insert(fingerprint);
        std::string path = issue["location"].value("path", "");
        EXPECT_EQ(path.rfind("src/", 0), 0u) << path;
        keys.emplace(path, issue["location"]["lines"].value("begin", 0u), rule);
    }
    EXPECT_EQ(keys, violationKeys(report)) << dumpKeys(keys);
    EXPECT_EQ(fingerprints.size(), issues.size()) << "fingerprints are not unique";
    // The two identical findings of twice() in particular.
    std::vector<std::string> twice;
    for (const auto& issue : issues)
        if (issue["location"]["path"] == "src/twice.cpp") twice.push_back(issue["fingerprint"]);
    ASSERT_EQ(twice.size(), 2u);
    EXPECT_NE(twice[0], twice[1]);
    // The description is the message, unescaped.
    bool env = false;
    for (const auto& issue : issues)
        if (issue["check_name"] == "acme-no-getenv")
            env = issue["description"] == "reads getenv, directly: use 100% acme::config::get()\nsee: docs/config.md, section 2";
    EXPECT_TRUE(env) << r.out;

    // An analysis failure is a critical issue of its own.
    repo.write("src/broken.cpp", "int broken( {\n");
    auto failed = repo.dbarch("check --format codeclimate");
    EXPECT_EQ(failed.exitCode, 3) << describe(failed);
    json withError = parseJson(failed.out, "Code Climate report");
    ASSERT_EQ(withError.size(), issues.size() + 1) << failed.out;
    bool critical = false;
    for (const auto& issue : withError)
        critical = critical || (issue["check_name"] == "dbarch-analysis" && issue["severity"] == "critical" &&
                                issue["location"]["path"] == "src/broken.cpp");
    EXPECT_TRUE(critical) << failed.out;
}

// ---------------------------------------------------------------------------------------------
// JUnit

TEST_F(IntegrationFormats, JunitIsWellFormedAndCountsFailures) {
    json report = jsonReport();
    auto r = repo.dbarch("check --format junit -o junit.xml");
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = junit(repo / "junit.xml");
    ASSERT_TRUE(doc.is_object() && doc.contains("suites"));
    EXPECT_EQ(doc["tag"], "testsuites");
    ASSERT_EQ(doc["suites"].size(), 1u);
    const json& suite = doc["suites"][0];
    size_t failures = 0, failedCases = 0;
    std::set<std::string> names;
    for (const auto& c : suite["cases"]) {
        names.insert(c["attrib"]["name"].get<std::string>());
        failures += c["failures"].size();
        if (!c["failures"].empty()) ++failedCases;
        for (const auto& f : c["failures"]) {
            EXPECT_FALSE(f["type"].get<std::string>().empty());
            EXPECT_FALSE(f["message"].get<std::string>().empty());
        }
    }
    EXPECT_EQ(failures, report["violations"].size()) << "one <failure> per finding";
    EXPECT_EQ(suite["attrib"]["tests"], std::to_string(suite["cases"].size()));
    EXPECT_EQ(suite["attrib"]["failures"], std::to_string(failedCases));
    EXPECT_EQ(suite["attrib"]["errors"], "0");
    EXPECT_EQ(doc["attrib"]["failures"], std::to_string(failedCases));
    // One test case per unit: the six sources, the handler's passing.
    EXPECT_EQ(names, (std::set<std::string>{"src/db/session.cpp", "src/orders.cpp", "src/macro.cpp", "src/env.cpp",
                                            "src/twice.cpp", "src/prepared.cpp"}));
    for (const auto& c : suite["cases"])
        if (c["attrib"]["name"] == "src/twice.cpp") EXPECT_EQ(c["failures"].size(), 2u);
        else if (c["attrib"]["name"] == "src/db/session.cpp") EXPECT_TRUE(c["failures"].empty());
    // The newline of the project rule's message survives the attribute.
    bool newline = false;
    for (const auto& c : suite["cases"])
        for (const auto& f : c["failures"])
            newline = newline || f["message"] == "reads getenv, directly: use 100% acme::config::get()\nsee: docs/config.md, section 2";
    EXPECT_TRUE(newline) << readFile(repo / "junit.xml");

    repo.write("src/broken.cpp", "int broken( {\n");
    auto failed = repo.dbarch("check --format junit -o junit.xml");
    EXPECT_EQ(failed.exitCode, 3) << describe(failed);
    json withError = junit(repo / "junit.xml");
    EXPECT_EQ(withError["suites"][0]["attrib"]["errors"], "1");
}

// ---------------------------------------------------------------------------------------------
// Several formats in one run

TEST_F(IntegrationFormats, SeveralOutputsInOneRun) {
    json report = jsonReport();
    const size_t n = report["violations"].size();
    auto r = repo.dbarch(
        "check --format text --sarif-output=a.sarif --json-output=b.json --junit-output=c.xml "
        "--codeclimate-output=d.json --github-output=e.txt");
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    EXPECT_TRUE(contains(r.out, "dbarch: " + std::to_string(n) + " violations")) << r.out;
    EXPECT_TRUE(contains(r.out, diagnosticHead("src/orders.cpp", kViolatingOrders, "PQconnectdb(\"host=orders\")"))) << r.out;

    EXPECT_EQ(schemaErrors(repo / "a.sarif"), "");
    EXPECT_EQ(parseJson(repo.read("a.sarif"), "a.sarif")["runs"][0]["results"].size(), n);
    json b = parseJson(repo.read("b.json"), "b.json");
    EXPECT_EQ(violationKeys(b), violationKeys(report));
    EXPECT_EQ(b, report) << "the JSON file differs from --format json";
    json c = junit(repo / "c.xml");
    size_t failures = 0;
    for (const auto& tc : c["suites"][0]["cases"]) failures += tc["failures"].size();
    EXPECT_EQ(failures, n);
    EXPECT_EQ(parseJson(repo.read("d.json"), "d.json").size(), n);
    std::string e = repo.read("e.txt");
    EXPECT_EQ(static_cast<size_t>(std::count(e.begin(), e.end(), '\n')), n + 1) << e;

    // The main format to a file too: nothing on stdout.
    auto quiet = repo.dbarch("check --format json -o main.json --sarif-output=main.sarif");
    EXPECT_EQ(quiet.exitCode, 1) << describe(quiet);
    EXPECT_EQ(quiet.out, "");
    EXPECT_EQ(parseJson(repo.read("main.json"), "main.json"), report);
    EXPECT_EQ(schemaErrors(repo / "main.sarif"), "");
}

// "A file is written whole (through a temporary and a rename) or not at all": a target that
// cannot be written is an error naming it, and nothing half-written is left behind.
TEST_F(IntegrationFormats, UnwritableOutputIsAnErrorAndLeavesNoTemporaryFile) {
    fs::create_directories(repo / "report.sarif");  // a directory where the file should go
    auto r = repo.dbarch("check --sarif-output=report.sarif");
    EXPECT_EQ(r.exitCode, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "cannot write report.sarif")) << describe(r);
    auto missing = repo.dbarch("check --json-output=missing-dir/report.json");
    EXPECT_EQ(missing.exitCode, 2) << describe(missing);
    EXPECT_TRUE(contains(missing.err, "cannot write missing-dir/report.json")) << describe(missing);
    for (const auto& entry : fs::recursive_directory_iterator(repo.root())) {
        std::string name = entry.path().filename().string();
        EXPECT_FALSE(contains(name, "dbarch-tmp")) << "left behind: " << entry.path();
    }
}

// Hard-coded passwords are masked in every output that carries source text, and in the
// baseline, which is committed to the repository.
TEST(IntegrationFormatsSecrets, PasswordsAreMaskedInEveryOutput) {
    Repo repo(Repo::Database::CompileFlags);
    repo.write("src/settings.cpp",
               "const char* kDsn = \"host=db user=app password=hunter2secret\";\n"
               "const char* kUri = \"postgresql://app:s3cr3tpw@db/app\";\n");
    auto expectMasked = [](const std::string& what, const std::string& text) {
        EXPECT_FALSE(contains(text, "hunter2secret")) << what << ":\n" << text;
        EXPECT_FALSE(contains(text, "s3cr3tpw")) << what << ":\n" << text;
    };
    for (const char* format : {"text", "json", "sarif", "github", "codeclimate", "junit"}) {
        auto r = repo.dbarch(std::string("check --format ") + format);
        EXPECT_EQ(r.exitCode, 1) << format << "\n" << describe(r);
        EXPECT_TRUE(contains(r.out, "dbarch-hardcoded-credentials")) << format << "\n" << r.out;
        expectMasked(format, r.out + r.err);
    }
    auto baseline = repo.dbarch("check --write-baseline base.json");
    expectMasked("baseline", repo.read("base.json"));
    EXPECT_TRUE(contains(repo.read("base.json"), "dbarch-hardcoded-credentials"));
    auto audit = repo.dbarch("audit --format json");
    expectMasked("audit", audit.out + audit.err);
}

}  // namespace
}  // namespace dbarch::itest
