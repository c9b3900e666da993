#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "report/Report.hpp"

using namespace dbarch;

namespace {

Report sample() {
    Report r;
    r.toolVersion = "9.9.9";
    r.unitsChecked = 3;
    r.filesAnalysed = 4;
    Finding f;
    f.rule = "dbarch-direct-connection";
    f.severity = Severity::Error;
    f.file = "src/a.cpp";
    f.line = 12;
    f.column = 5;
    f.message = "constructs pqxx::connection; use get_background_session()";
    f.symbol = "pqxx::connection";
    f.function = "app::run";
    f.context = "\tpqxx::connection c{\"x\"};";
    f.notes.push_back({"src/a.hpp", 3, 9, "expanded from macro 'OPEN'"});
    r.findings.push_back(f);
    f.severity = Severity::Warning;
    f.line = 20;
    f.notes.clear();
    f.context.clear();
    r.findings.push_back(f);
    return r;
}

}  // namespace

TEST(TextReporter, ClangStyleWithSourceLineCaretNotesAndSummary) {
    std::ostringstream out;
    writeText(out, sample(), {false});
    std::string text = out.str();
    EXPECT_NE(text.find("src/a.cpp:12:5: error: constructs pqxx::connection; use get_background_session() [dbarch-direct-connection]\n"),
              std::string::npos) << text;
    // Columns count bytes, as clang's do; the tab is expanded so that the caret for column 5
    // (the second 'x' of "pqxx" after one tab) stands under it.
    EXPECT_NE(text.find("   12 |         pqxx::connection c{\"x\"};\n      |            ^\n"), std::string::npos) << text;
    EXPECT_NE(text.find("src/a.hpp:3:9: note: expanded from macro 'OPEN'\n"), std::string::npos) << text;
    EXPECT_NE(text.find("src/a.cpp:20:5: warning:"), std::string::npos) << text;
    EXPECT_NE(text.find("dbarch: 2 violations (1 error, 1 warning) in 3 translation units (4 project files)\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("\033["), std::string::npos) << "no colour unless asked";
}

TEST(TextReporter, ColourOnlyWhenAsked) {
    std::ostringstream out;
    writeText(out, sample(), {true});
    EXPECT_NE(out.str().find("\033[1;31merror: "), std::string::npos);
}

TEST(TextReporter, NeverSaysCleanWhenSomethingWasNotAnalysed) {
    Report r;
    r.unitsChecked = 2;
    r.errors.push_back({"src/broken.cpp", "could not be fully analysed: src/broken.cpp:3:1: error: expected ';'"});
    std::ostringstream out;
    writeText(out, r, {false});
    EXPECT_NE(out.str().find("src/broken.cpp: error: could not be fully analysed"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("1 file could not be analysed (results are incomplete)"), std::string::npos) << out.str();
}

TEST(JsonReporter, SchemaVersionOne) {
    std::ostringstream out;
    Report r = sample();
    r.errors.push_back({"src/b.cpp", "could not be fully analysed"});
    r.warnings.push_back({"handler function 'x' matches no declaration"});
    writeJson(out, r);
    auto j = nlohmann::json::parse(out.str());
    EXPECT_EQ(j["version"], 1);
    EXPECT_EQ(j["tool"]["name"], "dbarch");
    EXPECT_EQ(j["tool"]["version"], "9.9.9");
    ASSERT_EQ(j["violations"].size(), 2u);
    const auto& v = j["violations"][0];
    for (const char* key : {"rule", "severity", "file", "line", "column", "message", "symbol", "notes"})
        EXPECT_TRUE(v.contains(key)) << key;
    EXPECT_EQ(v["severity"], "error");
    EXPECT_EQ(v["line"], 12);
    EXPECT_EQ(v["notes"][0]["message"], "expanded from macro 'OPEN'");
    EXPECT_EQ(j["errors"][0]["file"], "src/b.cpp");
    EXPECT_EQ(j["summary"]["files"], 3);
    EXPECT_EQ(j["summary"]["violations"], 2);
    EXPECT_EQ(j["summary"]["errors"], 1);
    EXPECT_EQ(j["warnings"].size(), 1u);
}

TEST(Findings, SortByFileLineColumnRule) {
    std::vector<Finding> f(4);
    f[0].file = "b.cpp", f[0].line = 1;
    f[1].file = "a.cpp", f[1].line = 9;
    f[2].file = "a.cpp", f[2].line = 2, f[2].rule = "z";
    f[3].file = "a.cpp", f[3].line = 2, f[3].rule = "a";
    sortFindings(f);
    EXPECT_EQ(f[0].rule, "a");
    EXPECT_EQ(f[1].rule, "z");
    EXPECT_EQ(f[2].line, 9u);
    EXPECT_EQ(f[3].file, "b.cpp");
}
