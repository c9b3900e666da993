#include <gtest/gtest.h>

#include <algorithm>

#include "filters/Baseline.hpp"

using namespace dbarch;

namespace {

Finding at(const std::string& file, unsigned line, const std::string& rule, const std::string& function, const std::string& context) {
    Finding f;
    f.file = file;
    f.line = line;
    f.column = 3;
    f.rule = rule;
    f.function = function;
    f.context = context;
    f.message = "msg";
    return f;
}

const char* kDirect = "dbarch-direct-connection";
const char* kPrepared = "dbarch-prepared-statement";

std::vector<Finding> today() {
    return {
        at("src/b.cpp", 40, kPrepared, "app::load", "  tx.exec_prepared(\"q\");"),
        at("src/a.cpp", 12, kDirect, "app::run", "    pqxx::connection c{dsn};"),
        at("src/a.cpp", 30, kDirect, "app::run", "\tpqxx::connection   c{dsn};"),  // same normalised text
        at("src/a.cpp", 50, kDirect, "", "pqxx::connection global{dsn};"),
    };
}

std::string errorOf(const std::string& text) {
    try {
        loadBaseline(text, "dbarch-baseline.json");
        return "";
    } catch (const InputError& e) {
        return e.what();
    }
}

}  // namespace

TEST(Baseline, WritesSortedOneEntryPerLineWithCounts) {
    EXPECT_EQ(writeBaseline(today()),
              "{\n"
              "  \"version\": 1,\n"
              "  \"entries\": [\n"
              "    {\"rule\":\"dbarch-direct-connection\",\"file\":\"src/a.cpp\",\"function\":\"\",\"text\":\"pqxx::connection global{dsn};\",\"count\":1},\n"
              "    {\"rule\":\"dbarch-direct-connection\",\"file\":\"src/a.cpp\",\"function\":\"app::run\",\"text\":\"pqxx::connection c{dsn};\",\"count\":2},\n"
              "    {\"rule\":\"dbarch-prepared-statement\",\"file\":\"src/b.cpp\",\"function\":\"app::load\",\"text\":\"tx.exec_prepared(\\\"q\\\");\",\"count\":1}\n"
              "  ]\n"
              "}\n");
}

TEST(Baseline, OutputIsIndependentOfFindingOrderAndLines) {
    auto shuffled = today();
    std::reverse(shuffled.begin(), shuffled.end());
    for (auto& f : shuffled) f.line += 7;
    EXPECT_EQ(writeBaseline(shuffled), writeBaseline(today()));
    EXPECT_EQ(writeBaseline({}), "{\n  \"version\": 1,\n  \"entries\": []\n}\n");
}

TEST(Baseline, RoundTrips) {
    Baseline b = loadBaseline(writeBaseline(today()), "b.json");
    ASSERT_EQ(b.entries.size(), 3u);
    EXPECT_EQ(b.entries[1], (BaselineEntry{kDirect, "src/a.cpp", "app::run", "pqxx::connection c{dsn};", 2}));
    EXPECT_EQ(loadBaseline(writeBaseline({}), "b.json").entries.size(), 0u);
}

TEST(Baseline, EverythingBaselinedSurvivesEditsAboveTheFindings) {
    Baseline b = loadBaseline(writeBaseline(today()), "b.json");
    auto later = today();
    for (auto& f : later) f.line += 25;    // lines inserted above
    later[1].context = "pqxx::connection c{dsn};";  // and re-indented
    auto outcome = applyBaseline(later, b);
    EXPECT_TRUE(outcome.fresh.empty());
    EXPECT_EQ(outcome.baselined, 4u);
    EXPECT_TRUE(outcome.fixed.empty());
    EXPECT_EQ(baselineSummary(outcome), "4 baselined, 0 new, 0 fixed");
}

TEST(Baseline, MatchesAsMultisets) {
    Baseline b = loadBaseline(writeBaseline(today()), "b.json");
    auto later = today();
    later.push_back(at("src/a.cpp", 60, kDirect, "app::run", "pqxx::connection c{dsn};"));  // a third identical one
    auto outcome = applyBaseline(later, b);
    ASSERT_EQ(outcome.fresh.size(), 1u);
    EXPECT_EQ(outcome.fresh[0].line, 60u);
    EXPECT_EQ(outcome.baselined, 4u);
}

TEST(Baseline, NewAndFixedFindings) {
    Baseline b = loadBaseline(writeBaseline(today()), "b.json");
    std::vector<Finding> later = {
        at("src/a.cpp", 12, kDirect, "app::run", "pqxx::connection c{dsn};"),          // one of two left
        at("src/a.cpp", 13, kDirect, "app::other", "pqxx::connection c{dsn};"),        // other function: new
        at("src/c.cpp", 1, kDirect, "app::run", "pqxx::connection c{dsn};"),           // other file: new
        at("src/b.cpp", 40, kPrepared, "app::load", "tx.exec_prepared(\"q2\");"),      // changed line: new
    };
    auto outcome = applyBaseline(later, b);
    EXPECT_EQ(outcome.baselined, 1u);
    ASSERT_EQ(outcome.fresh.size(), 3u);
    EXPECT_EQ(outcome.fresh[0].function, "app::other") << "fresh keeps the input order";
    ASSERT_EQ(outcome.fixed.size(), 3u);
    EXPECT_EQ(outcome.fixed[0], (BaselineEntry{kDirect, "src/a.cpp", "", "pqxx::connection global{dsn};", 1}));
    EXPECT_EQ(outcome.fixed[1], (BaselineEntry{kDirect, "src/a.cpp", "app::run", "pqxx::connection c{dsn};", 1}));
    EXPECT_EQ(outcome.fixed[2].rule, kPrepared);
    EXPECT_EQ(baselineSummary(outcome), "1 baselined, 3 new, 3 fixed");
}

TEST(Baseline, HandEditedEntriesAreNormalisedAndMerged) {
    Baseline b = loadBaseline(R"({"version": 1, "entries": [
        {"rule": "dbarch-direct-connection", "file": "src/a.cpp", "function": "app::run", "text": "  pqxx::connection   c{dsn}; "},
        {"rule": "dbarch-direct-connection", "file": "src/a.cpp", "function": "app::run", "text": "pqxx::connection c{dsn};", "count": 2}
    ]})", "b.json");
    ASSERT_EQ(b.entries.size(), 1u);
    EXPECT_EQ(b.entries[0].count, 3u) << "count defaults to 1; duplicates add up";
    EXPECT_EQ(b.entries[0].text, "pqxx::connection c{dsn};");
}

TEST(Baseline, InvalidJsonNamesLineAndColumn) {
    EXPECT_EQ(errorOf("{\n  \"version\": 1,\n  \"entries\": [,]\n}\n").rfind("dbarch-baseline.json:3:15: invalid JSON: ", 0), 0u)
        << errorOf("{\n  \"version\": 1,\n  \"entries\": [,]\n}\n");
}

TEST(Baseline, WrongShapesNameTheJsonPointer) {
    EXPECT_EQ(errorOf("[]"), "dbarch-baseline.json: expected an object, got an array");
    EXPECT_EQ(errorOf(R"({"entries": []})"), "dbarch-baseline.json: missing required key 'version'");
    EXPECT_EQ(errorOf(R"({"version": 2, "entries": []})"),
              "dbarch-baseline.json: at /version: unsupported baseline version 2 (this dbarch reads version 1; regenerate the baseline)");
    EXPECT_EQ(errorOf(R"({"version": 1})"), "dbarch-baseline.json: missing required key 'entries'");
    EXPECT_EQ(errorOf(R"({"version": 1, "entries": {}})"), "dbarch-baseline.json: at /entries: expected an array, got an object");
    EXPECT_EQ(errorOf(R"({"version": 1, "entries": [], "extra": 1})"),
              "dbarch-baseline.json: at /extra: unknown key 'extra' (allowed: version, entries)");
    const std::string entry = R"("rule": "r", "file": "f", "function": "", "text": "t")";
    EXPECT_EQ(errorOf(R"({"version": 1, "entries": [{)" + entry + R"(}, 3]})"),
              "dbarch-baseline.json: at /entries/1: expected an object, got a number");
    EXPECT_EQ(errorOf(R"({"version": 1, "entries": [{"rule": "r", "file": "f", "text": "t"}]})"),
              "dbarch-baseline.json: at /entries/0: missing required key 'function'");
    EXPECT_EQ(errorOf(R"({"version": 1, "entries": [{"rule": 7, "file": "f", "function": "", "text": "t"}]})"),
              "dbarch-baseline.json: at /entries/0/rule: expected a string, got a number");
    EXPECT_EQ(errorOf(R"({"version": 1, "entries": [{)" + entry + R"(, "count": 0}]})"),
              "dbarch-baseline.json: at /entries/0/count: expected a positive integer, got 0");
    EXPECT_EQ(errorOf(R"({"version": 1, "entries": [{)" + entry + R"(, "count": "2"}]})"),
              "dbarch-baseline.json: at /entries/0/count: expected a positive integer, got a string");
    EXPECT_EQ(errorOf(R"({"version": 1, "entries": [{)" + entry + R"(, "line": 3}]})"),
              "dbarch-baseline.json: at /entries/0/line: unknown key 'line' (allowed: rule, file, function, text, count)");
}

TEST(Baseline, NonUtf8SourceLinesStillRoundTrip) {
    std::vector<Finding> findings = {at("src/a.cpp", 1, kDirect, "f", "s = \"caf\xE9 password=x\";")};
    std::string text;
    ASSERT_NO_THROW(text = writeBaseline(findings));
    auto outcome = applyBaseline(findings, loadBaseline(text, "b.json"));
    EXPECT_EQ(outcome.baselined, 1u);
    EXPECT_TRUE(outcome.fresh.empty());
}
