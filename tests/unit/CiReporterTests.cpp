// GitHub Actions annotations, GitLab Code Quality, JUnit XML.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "findings/Fingerprint.hpp"
#include "report/Report.hpp"
#include "support/Process.hpp"

using namespace dbarch;
using nlohmann::json;

namespace {

Finding finding(const std::string& rule, Severity severity, const std::string& file, unsigned line, unsigned column,
                const std::string& message) {
    Finding f;
    f.rule = rule;
    f.severity = severity;
    f.file = file;
    f.line = line;
    f.column = column;
    f.message = message;
    f.function = "app::run";
    f.context = "    pqxx::connection c{dsn};";
    return f;
}

Report ciReport() {
    Report r;
    r.toolVersion = "0.1.0";
    r.unitsChecked = 3;
    r.filesAnalysed = 4;
    r.units = {"src/a.cpp", "src/clean.cpp", "src/broken.cpp"};
    Finding a = finding("dbarch-direct-connection", Severity::Error, "src/a.cpp", 12, 5, "constructs pqxx::connection");
    a.notes.push_back({"src/a.hpp", 3, 9, "expanded from macro 'OPEN'"});
    Finding h = finding("dbarch-prepared-statement", Severity::Warning, "src/db.hpp", 4, 1, "calls pqxx::connection::prepare");
    Finding twin = a;  // the same line twice in one function
    twin.line = 13;
    r.findings = {a, twin, h};
    sortFindings(r.findings);
    r.errors.push_back({"src/broken.cpp", "could not be fully analysed: src/broken.cpp:3:1: error: expected ';'"});
    return r;
}

std::string githubOf(const Report& r) {
    std::ostringstream out;
    writeGithub(out, r);
    return out.str();
}

json codeClimateOf(const Report& r) {
    std::ostringstream out;
    writeCodeClimate(out, r);
    return json::parse(out.str());
}

std::string junitOf(const Report& r) {
    std::ostringstream out;
    writeJunit(out, r);
    return out.str();
}

// Parses the XML with Python's expat-based parser and prints a summary, so well-formedness is
// checked by a real XML parser, not by the code under test.
dbarch::test::ProcessResult parseXml(const std::string& xml, const std::string& script) {
    dbarch::test::TempDir dir;
    dbarch::test::writeFile(dir / "junit.xml", xml);
    return dbarch::test::run("python3 -c " + dbarch::test::shellQuote("import sys, xml.etree.ElementTree as ET\nroot = ET.parse(sys.argv[1]).getroot()\n" + script) +
                             " " + dbarch::test::shellQuote((dir / "junit.xml").string()));
}

}  // namespace

TEST(Github, OneCommandPerFindingThenErrorsAndSummary) {
    std::string out = githubOf(ciReport());
    EXPECT_EQ(out,
              "::error file=src/a.cpp,line=12,col=5,title=dbarch-direct-connection::constructs pqxx::connection%0Anote: src/a.hpp:3:9: expanded from macro 'OPEN'\n"
              "::error file=src/a.cpp,line=13,col=5,title=dbarch-direct-connection::constructs pqxx::connection%0Anote: src/a.hpp:3:9: expanded from macro 'OPEN'\n"
              "::warning file=src/db.hpp,line=4,col=1,title=dbarch-prepared-statement::calls pqxx::connection::prepare\n"
              "::error file=src/broken.cpp::could not be fully analysed: src/broken.cpp:3:1: error: expected ';'\n"
              "dbarch: 3 violations (2 errors, 1 warning) in 3 translation units (4 project files); 1 file could not be analysed (results are incomplete)\n");
}

TEST(Github, EscapesMessagesAndProperties) {
    Report r;
    r.findings.push_back(finding("rule:x,y", Severity::Error, "dir,with:odd%name.cpp", 1, 2, "100% wrong\r\nsecond line: a, b"));
    std::string out = githubOf(r);
    EXPECT_NE(out.find("::error file=dir%2Cwith%3Aodd%25name.cpp,line=1,col=2,title=rule%3Ax%2Cy::100%25 wrong%0D%0Asecond line: a, b\n"),
              std::string::npos) << out;
    EXPECT_NE(out.find("\ndbarch: 1 violation (1 error, 0 warnings) in 0 translation units (0 project files)\n"), std::string::npos) << out;
}

TEST(Github, PathPrefixAndToolWarnings) {
    Report r = ciReport();
    r.pathPrefix = "services/billing/";
    r.warnings.push_back({"handler function 'x' matches no declaration"});
    std::string out = githubOf(r);
    EXPECT_NE(out.find("::error file=services/billing/src/a.cpp,line=12"), std::string::npos) << out;
    EXPECT_NE(out.find("::error file=services/billing/src/broken.cpp::"), std::string::npos) << out;
    EXPECT_NE(out.find("::warning::handler function 'x' matches no declaration\n"), std::string::npos) << out;
}

TEST(CodeClimate, GitLabIssueShape) {
    Report r = ciReport();
    json issues = codeClimateOf(r);
    ASSERT_TRUE(issues.is_array());
    ASSERT_EQ(issues.size(), 4u);  // 3 findings + 1 analysis error
    const json& first = issues[0];
    EXPECT_EQ(first["type"], "issue");
    EXPECT_EQ(first["check_name"], "dbarch-direct-connection");
    EXPECT_EQ(first["description"], "constructs pqxx::connection");
    EXPECT_EQ(first["severity"], "major");
    EXPECT_EQ(first["categories"], json::array({"Bug Risk"}));
    EXPECT_EQ(first["location"]["path"], "src/a.cpp");
    EXPECT_EQ(first["location"]["lines"]["begin"], 12);
    EXPECT_EQ(first["fingerprint"], findingKey(r.findings[0]));
    EXPECT_EQ(issues[2]["severity"], "minor");
    EXPECT_EQ(issues[3]["check_name"], "dbarch-analysis");
    EXPECT_EQ(issues[3]["severity"], "critical");
    EXPECT_EQ(issues[3]["location"]["path"], "src/broken.cpp");
    std::set<std::string> prints;
    for (const auto& issue : issues) {
        prints.insert(issue["fingerprint"].get<std::string>());
        for (const char* key : {"description", "check_name", "fingerprint", "severity", "location"})
            EXPECT_TRUE(issue.contains(key)) << key;
        EXPECT_TRUE(std::set<std::string>({"info", "minor", "major", "critical", "blocker"}).count(issue["severity"].get<std::string>()));
    }
    EXPECT_EQ(prints.size(), issues.size()) << "GitLab needs a unique fingerprint per issue";
}

TEST(CodeClimate, FingerprintsSurviveLineMovesAndPathPrefixApplies) {
    Report r = ciReport();
    json before = codeClimateOf(r);
    for (auto& f : r.findings) f.line += 10;
    r.pathPrefix = "svc";
    json after = codeClimateOf(r);
    for (size_t i = 0; i < before.size(); ++i) EXPECT_EQ(before[i]["fingerprint"], after[i]["fingerprint"]) << i;
    EXPECT_EQ(after[0]["location"]["path"], "svc/src/a.cpp");
    EXPECT_EQ(after[0]["location"]["lines"]["begin"], 22);
}

TEST(CodeClimate, EmptyReportIsAnEmptyArray) {
    EXPECT_EQ(codeClimateOf(Report{}), json::array());
}

TEST(Junit, OneTestCasePerUnitAndPerOtherFile) {
    std::string xml = junitOf(ciReport());
    auto result = parseXml(xml,
        "suite = root.find('testsuite')\n"
        "print(root.tag, suite.get('name'), suite.get('tests'), suite.get('failures'), suite.get('errors'))\n"
        "for case in suite.findall('testcase'):\n"
        "    print(case.get('classname'), case.get('name'), [(c.tag, c.get('type')) for c in case])\n");
    ASSERT_EQ(result.exitCode, 0) << result.err << xml;
    EXPECT_EQ(result.out,
              "testsuites dbarch 4 2 1\n"
              "dbarch src/a.cpp [('failure', 'dbarch-direct-connection'), ('failure', 'dbarch-direct-connection')]\n"
              "dbarch src/clean.cpp []\n"
              "dbarch src/broken.cpp [('error', 'dbarch-analysis')]\n"
              "dbarch src/db.hpp [('failure', 'dbarch-prepared-statement')]\n")
        << xml;
    EXPECT_NE(xml.find("src/a.cpp:12:5: error: constructs pqxx::connection [dbarch-direct-connection]\n"), std::string::npos) << xml;
    EXPECT_NE(xml.find("src/a.hpp:3:9: note: expanded from macro &apos;OPEN&apos;"), std::string::npos) << xml;
}

TEST(Junit, EscapesMarkupQuotesAndControlCharacters) {
    Report r;
    r.units = {"src/<odd> & \"name\".cpp"};
    r.findings.push_back(finding("dbarch-x", Severity::Error, "src/<odd> & \"name\".cpp", 1, 1,
                                 "a < b && c > 'd' \"e\"\x01\x1b[0m\ttab\nnewline \xE9"));
    std::string xml = junitOf(r);
    EXPECT_NE(xml.find("name=\"src/&lt;odd&gt; &amp; &quot;name&quot;.cpp\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("message=\"a &lt; b &amp;&amp; c &gt; &apos;d&apos; &quot;e&quot;\xEF\xBF\xBD\xEF\xBF\xBD[0m&#9;tab&#10;newline \xEF\xBF\xBD\""),
              std::string::npos) << xml;
    auto result = parseXml(xml,
        "case = root.find('testsuite').find('testcase')\n"
        "sys.stdout.buffer.write((case.get('name') + '|' + case.find('failure').get('message')).encode())\n");
    ASSERT_EQ(result.exitCode, 0) << result.err << xml;
    EXPECT_EQ(result.out, "src/<odd> & \"name\".cpp|a < b && c > 'd' \"e\"\xEF\xBF\xBD\xEF\xBF\xBD[0m\ttab\nnewline \xEF\xBF\xBD");
}

TEST(Junit, CleanRunIsAllPassingAndEmptyRunIsValid) {
    Report r;
    r.units = {"a.cpp", "b.cpp"};
    auto result = parseXml(junitOf(r), "s = root.find('testsuite')\nprint(s.get('tests'), s.get('failures'), s.get('errors'), len(s))\n");
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(result.out, "2 0 0 2\n");
    result = parseXml(junitOf(Report{}), "print(root.find('testsuite').get('tests'))\n");
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(result.out, "0\n");
}
