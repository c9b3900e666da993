// The dbarch command line end to end. Every test writes its own tiny project into a temporary
// directory (a .dbarch.json, compile flags, a few sources against the real libpq headers) and runs
// the real binary: exit codes, the message of every error class (naming the file and the
// position or JSON pointer), the JSON schema, text output, determinism, NOLINT, rules/explain.
// Suite names start with "Cli": CTest names discovered tests Suite.Name across all test binaries,
// and tests/unit has suites such as Nolint and ConfigErrors too.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <vector>

#include "support/Process.hpp"
#include "support/ReportKeys.hpp"
#include "support/SourcePosition.hpp"

namespace fs = std::filesystem;
using namespace dbarch::test;
using nlohmann::json;

namespace {

const std::string kFlags = "-std=c++20\n-I/usr/include/postgresql\n";
const std::string kLibpqConfig = R"({
  "extends": ["builtin:libpq"]
}
)";

// A source with one direct connection, at line 2.
const std::string kDirectConnection =
    "#include <libpq-fe.h>\n"
    "PGconn* open_direct() { return PQconnectdb(\"host=db\"); }\n";

// Same line of code with no violation.
const std::string kClean =
    "#include <libpq-fe.h>\n"
    "int server_version(PGconn* c) { return PQserverVersion(c); }\n";

// ---------------------------------------------------------------------------------------------
// Helpers

// A project in a fresh temporary directory: .dbarch.json (unless empty) and compile_flags.txt.
class Project {
  public:
    explicit Project(const std::string& config = kLibpqConfig, bool compileFlags = true) {
        if (!config.empty()) write(".dbarch.json", config);
        if (compileFlags) write("compile_flags.txt", kFlags);
    }
    void write(const std::string& relative, const std::string& text) const { writeFile(dir_ / relative, text); }
    const fs::path& path() const { return dir_.path(); }
    fs::path operator/(const std::string& relative) const { return dir_ / relative; }

  private:
    TempDir dir_;
};

ProcessResult dbarch(const std::string& args, const fs::path& cwd) {
    return run(shellQuote(DBARCH_BINARY) + " " + args, cwd);
}

std::string describe(const ProcessResult& r) {
    return "exit code " + std::to_string(r.exitCode) + "\n--- stdout:\n" + r.out + "--- stderr:\n" + r.err;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

json parseReport(const ProcessResult& r) {
    try {
        return json::parse(r.out);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "stdout is not a JSON document: " << e.what() << "\n" << describe(r);
        return json::object();
    }
}

// 1-based line and column of the first occurrence of `needle` in `text`.
using dbarch::test::Position;  // support/SourcePosition.hpp
using dbarch::test::positionOf;

std::string lineOf(const std::string& text, unsigned line) {
    std::istringstream in(text);
    std::string s;
    for (unsigned n = 1; std::getline(in, s); ++n)
        if (n == line) return s;
    return {};
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string s; std::getline(in, s);) out.push_back(s);
    return out;
}

using dbarch::test::Key;  // support/ReportKeys.hpp
using dbarch::test::dumpKeys;
using dbarch::test::violationKeys;

void expectRelativePath(const std::string& file, const fs::path& root) {
    EXPECT_FALSE(file.empty());
    EXPECT_FALSE(fs::path(file).is_absolute()) << file;
    EXPECT_NE(file.rfind("..", 0), 0u) << file;
    EXPECT_NE(file.rfind("./", 0), 0u) << file;
    EXPECT_FALSE(contains(file, "\\")) << file;
    EXPECT_FALSE(contains(file, root.filename().string())) << file;
}

// Every key of JSON schema version 1, with its type; paths relative to `root`; sorted.
void expectSchema(const json& doc, const fs::path& root) {
    ASSERT_TRUE(doc.is_object());
    for (const char* key : {"version", "tool", "violations", "errors", "warnings", "summary"})
        ASSERT_TRUE(doc.contains(key)) << "missing top-level key " << key;
    EXPECT_TRUE(doc["version"].is_number_integer());
    EXPECT_EQ(doc["version"], 1);
    ASSERT_TRUE(doc["tool"].is_object());
    EXPECT_EQ(doc["tool"].value("name", ""), "dbarch");
    ASSERT_TRUE(doc["tool"].contains("version") && doc["tool"]["version"].is_string());
    EXPECT_EQ(doc["tool"]["version"].get<std::string>(), DBARCH_VERSION);

    ASSERT_TRUE(doc["violations"].is_array());
    for (const auto& v : doc["violations"]) {
        ASSERT_TRUE(v.is_object());
        for (const char* key : {"rule", "severity", "file", "message", "symbol", "function"}) {
            ASSERT_TRUE(v.contains(key)) << "violation lacks " << key << ": " << v.dump();
            EXPECT_TRUE(v[key].is_string()) << key << " is not a string: " << v.dump();
        }
        for (const char* key : {"line", "column"}) {
            ASSERT_TRUE(v.contains(key)) << "violation lacks " << key << ": " << v.dump();
            EXPECT_TRUE(v[key].is_number_unsigned()) << key << ": " << v.dump();
            EXPECT_GE(v[key].get<long>(), 1) << key << ": " << v.dump();
        }
        EXPECT_TRUE(v["severity"] == "error" || v["severity"] == "warning") << v.dump();
        EXPECT_FALSE(v["rule"].get<std::string>().empty());
        EXPECT_FALSE(v["message"].get<std::string>().empty());
        expectRelativePath(v["file"].get<std::string>(), root);
        ASSERT_TRUE(v.contains("notes") && v["notes"].is_array()) << v.dump();
        for (const auto& n : v["notes"]) {
            ASSERT_TRUE(n.is_object());
            EXPECT_TRUE(n.contains("file") && n["file"].is_string()) << n.dump();
            EXPECT_TRUE(n.contains("line") && n["line"].is_number_unsigned()) << n.dump();
            EXPECT_TRUE(n.contains("column") && n["column"].is_number_unsigned()) << n.dump();
            EXPECT_TRUE(n.contains("message") && n["message"].is_string()) << n.dump();
        }
    }
    // Sorted by file, line, column, rule.
    for (size_t i = 1; i < doc["violations"].size(); ++i) {
        const auto& a = doc["violations"][i - 1];
        const auto& b = doc["violations"][i];
        auto key = [](const json& v) {
            return std::make_tuple(v["file"].get<std::string>(), v["line"].get<unsigned>(), v["column"].get<unsigned>(),
                                   v["rule"].get<std::string>());
        };
        EXPECT_FALSE(key(b) < key(a)) << "violations out of order:\n" << a.dump() << "\n" << b.dump();
    }

    ASSERT_TRUE(doc["errors"].is_array());
    for (const auto& e : doc["errors"]) {
        ASSERT_TRUE(e.is_object());
        ASSERT_TRUE(e.contains("file") && e["file"].is_string()) << e.dump();
        ASSERT_TRUE(e.contains("message") && e["message"].is_string()) << e.dump();
        expectRelativePath(e["file"].get<std::string>(), root);
        EXPECT_FALSE(e["message"].get<std::string>().empty());
    }
    ASSERT_TRUE(doc["warnings"].is_array());
    for (const auto& w : doc["warnings"]) {
        ASSERT_TRUE(w.is_object());
        ASSERT_TRUE(w.contains("message") && w["message"].is_string()) << w.dump();
    }

    const json& s = doc["summary"];
    ASSERT_TRUE(s.is_object());
    for (const char* key : {"files", "project_files", "violations", "errors", "suppressed"}) {
        ASSERT_TRUE(s.contains(key)) << "summary lacks " << key;
        EXPECT_TRUE(s[key].is_number_unsigned()) << key << ": " << s.dump();
    }
    EXPECT_EQ(s["violations"].get<size_t>(), doc["violations"].size());
    EXPECT_EQ(s["errors"].get<size_t>(), doc["errors"].size());
}

// ---------------------------------------------------------------------------------------------
// Exit codes and text output

TEST(CliCheck, CleanProjectExitsZeroAndSaysSo) {
    Project p(R"({"extends": ["builtin:libpq"], "handler": {"functions": ["app::open_primary"]}})");
    p.write("src/clean.cpp", kClean);
    p.write("src/db.cpp",
            "#include <libpq-fe.h>\n"
            "namespace app { PGconn* open_primary() { return PQconnectdb(\"host=db\"); } }\n");
    auto r = dbarch("check", p.path());
    EXPECT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "dbarch: no violations in 2 translation units")) << describe(r);
    EXPECT_FALSE(contains(r.out, "error:")) << describe(r);
    EXPECT_EQ(r.err, "");

    auto j = dbarch("check --format json", p.path());
    EXPECT_EQ(j.exitCode, 0) << describe(j);
    json doc = parseReport(j);
    expectSchema(doc, p.path());
    EXPECT_TRUE(doc["violations"].empty());
    EXPECT_TRUE(doc["errors"].empty());
    EXPECT_EQ(doc["summary"]["files"], 2);
}

TEST(CliCheck, ViolationExitsOneWithClangStyleText) {
    Project p;
    p.write("src/a.cpp", kDirectConnection);
    auto where = positionOf(kDirectConnection, "PQconnectdb");
    auto r = dbarch("check", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    auto out = lines(r.out);
    ASSERT_EQ(out.size(), 4u) << describe(r);
    std::string head = "src/a.cpp:" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": error: ";
    EXPECT_EQ(out[0].rfind(head, 0), 0u) << describe(r);
    EXPECT_TRUE(contains(out[0], "calls PQconnectdb")) << out[0];
    EXPECT_EQ(out[0].substr(out[0].size() - std::string(" [dbarch-direct-connection]").size()), " [dbarch-direct-connection]");
    EXPECT_EQ(out[1], "    2 | " + lineOf(kDirectConnection, 2));
    EXPECT_EQ(out[2], "      | " + std::string(where.column - 1, ' ') + "^");
    EXPECT_EQ(out[3].rfind("dbarch: 1 violation (1 error, 0 warnings) in 1 translation unit", 0), 0u) << out[3];
    EXPECT_FALSE(contains(r.out, "\033[")) << "colour when stdout is not a terminal";
}

TEST(CliCheck, SummaryCountsSeveralViolations) {
    Project p;
    p.write("a.cpp", kDirectConnection);
    p.write("b.cpp", "#include <libpq-fe.h>\nvoid f() { PQconnectdb(\"a\"); PQconnectdb(\"b\"); }\n");
    auto r = dbarch("check", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    EXPECT_TRUE(contains(r.out, "dbarch: 3 violations (3 errors, 0 warnings) in 2 translation units")) << describe(r);
}

TEST(CliCheck, HandlerScopeIsNotReported) {
    Project p(R"({"extends": ["builtin:libpq"], "handler": {"namespaces": ["app::db"]}})");
    p.write("a.cpp",
            "#include <libpq-fe.h>\n"
            "namespace app::db { PGconn* open() { return PQconnectdb(\"host=db\"); } }\n"
            "namespace app { PGconn* rogue() { return PQconnectdb(\"host=db\"); } }\n");
    auto r = dbarch("check --format json", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseReport(r);
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"a.cpp", 3, "dbarch-direct-connection"}})) << dumpKeys(violationKeys(doc));
    ASSERT_EQ(doc["violations"].size(), 1u);
    EXPECT_EQ(doc["violations"][0]["function"], "app::rogue");
    EXPECT_EQ(doc["violations"][0]["symbol"], "PQconnectdb");
}

// ---------------------------------------------------------------------------------------------
// JSON output

TEST(CliJson, SchemaKeysTypesRelativePathsAndSorting) {
    Project p;
    p.write("src/z.cpp", kDirectConnection);
    p.write("src/a.cpp",
            "#include <libpq-fe.h>\n"
            "#define OPEN_DB(dsn) PQconnectdb(dsn)\n"
            "void later() { PGresult* r = PQprepare(nullptr, \"s\", \"select 1\", 0, nullptr); (void)r; }\n"
            "void early() { OPEN_DB(\"host=db\"); }\n"
            "void two() { PQconnectdb(\"x\"); PQconnectdb(\"y\"); }\n"
            "void quiet() { PQconnectdb(\"x\"); } // NOLINT(dbarch-direct-connection)\n");
    p.write("lib/b.cpp", kDirectConnection);
    auto r = dbarch("check --format json", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseReport(r);
    expectSchema(doc, p.path());

    std::vector<std::tuple<std::string, unsigned, std::string>> got;
    for (const auto& v : doc["violations"])
        got.emplace_back(v["file"].get<std::string>(), v["line"].get<unsigned>(), v["rule"].get<std::string>());
    std::vector<std::tuple<std::string, unsigned, std::string>> expected{
        {"lib/b.cpp", 2, "dbarch-direct-connection"},      {"src/a.cpp", 3, "dbarch-prepared-statement"},
        {"src/a.cpp", 4, "dbarch-direct-connection"},      {"src/a.cpp", 5, "dbarch-direct-connection"},
        {"src/a.cpp", 5, "dbarch-direct-connection"},      {"src/z.cpp", 2, "dbarch-direct-connection"}};
    EXPECT_EQ(got, expected) << r.out;
    // The two findings on line 5 are ordered by column.
    ASSERT_EQ(doc["violations"].size(), 6u);
    EXPECT_LT(doc["violations"][3]["column"].get<unsigned>(), doc["violations"][4]["column"].get<unsigned>());

    // The macro expansion carries a note at the macro definition, also project-relative.
    const json& macro = doc["violations"][2];
    ASSERT_EQ(macro["notes"].size(), 1u) << macro.dump(2);
    EXPECT_EQ(macro["notes"][0]["file"], "src/a.cpp");
    EXPECT_EQ(macro["notes"][0]["line"], 2);
    EXPECT_TRUE(contains(macro["notes"][0]["message"].get<std::string>(), "OPEN_DB"));
    EXPECT_EQ(macro["function"], "early");

    EXPECT_EQ(doc["summary"]["files"], 3);
    EXPECT_EQ(doc["summary"]["project_files"], 3);
    EXPECT_EQ(doc["summary"]["suppressed"], 1);
    EXPECT_TRUE(doc["errors"].empty());
    EXPECT_TRUE(doc["warnings"].empty());

    // The text report shows the same note under its finding.
    auto text = dbarch("check", p.path());
    EXPECT_EQ(text.exitCode, 1) << describe(text);
    EXPECT_TRUE(contains(text.out, "src/a.cpp:2:22: note: expanded from macro 'OPEN_DB'\n")) << text.out;
    EXPECT_TRUE(contains(text.out, "dbarch: 6 violations (6 errors, 0 warnings) in 3 translation units (3 project files)"
                                   "; 1 suppressed by NOLINT")) << text.out;
}

TEST(CliJson, OutputIsDeterministicAcrossRunsAndJobCounts) {
    Project p;
    p.write("include/legacy.hpp",
            "#pragma once\n#include <libpq-fe.h>\ninline PGconn* legacy() { return PQconnectdb(\"host=db\"); }\n");
    for (int i = 0; i < 6; ++i)
        p.write("src/unit" + std::to_string(i) + ".cpp",
                "#include \"../include/legacy.hpp\"\n"
                "void f" + std::to_string(i) + "() { PQconnectdb(\"x\"); PQprepare(nullptr, \"s\", \"q\", 0, nullptr); }\n");
    p.write("src/broken.cpp", "void f() { undeclared_call(); }\n");
    auto a = dbarch("check --format json -j 2", p.path());
    auto b = dbarch("check --format json -j 2", p.path());
    auto c = dbarch("check --format json -j 1", p.path());
    EXPECT_EQ(a.exitCode, 3) << describe(a);
    EXPECT_EQ(a.out, b.out);
    EXPECT_EQ(a.out, c.out);
    json doc = parseReport(a);
    expectSchema(doc, p.path());
    EXPECT_EQ(doc["violations"].size(), 13u) << a.out;  // 6 x 2 in the units + 1 in the header
    EXPECT_EQ(doc["errors"].size(), 1u);

    auto t1 = dbarch("check -j 2", p.path());
    auto t2 = dbarch("check -j 1", p.path());
    EXPECT_EQ(t1.out, t2.out);
    EXPECT_EQ(t1.exitCode, t2.exitCode);
}

// ---------------------------------------------------------------------------------------------
// Analysis failure (exit 3)

TEST(CliAnalysisFailure, SyntaxErrorExitsThreeAndKeepsOtherFindings) {
    Project p;
    p.write("good.cpp", kDirectConnection);
    p.write("broken.cpp", "void fine() {}\nint broken( {\n");
    auto r = dbarch("check --format json", p.path());
    EXPECT_EQ(r.exitCode, 3) << describe(r);
    json doc = parseReport(r);
    expectSchema(doc, p.path());
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"good.cpp", 2, "dbarch-direct-connection"}}));
    ASSERT_EQ(doc["errors"].size(), 1u) << r.out;
    EXPECT_EQ(doc["errors"][0]["file"], "broken.cpp");
    // The message says where the compiler stopped.
    EXPECT_TRUE(contains(doc["errors"][0]["message"].get<std::string>(), "broken.cpp:2:")) << r.out;
    EXPECT_EQ(doc["summary"]["errors"], 1);

    auto t = dbarch("check", p.path());
    EXPECT_EQ(t.exitCode, 3) << describe(t);
    EXPECT_TRUE(contains(t.out, "good.cpp:2:")) << t.out;
    EXPECT_TRUE(contains(t.out, "broken.cpp: error:")) << t.out;
    EXPECT_TRUE(contains(t.out, "could not be analysed")) << t.out;
    EXPECT_FALSE(contains(t.out, "no violations")) << t.out;
}

TEST(CliAnalysisFailure, OnlyBrokenFileNeverSaysCleanAlone) {
    Project p;
    p.write("broken.cpp", "#include <libpq-fe.h>\nvoid f() { PQconnectdb(; }\n");
    auto r = dbarch("check", p.path());
    EXPECT_EQ(r.exitCode, 3) << describe(r);
    auto out = lines(r.out);
    ASSERT_FALSE(out.empty());
    const std::string& summary = out.back();
    EXPECT_EQ(summary.rfind("dbarch: ", 0), 0u) << summary;
    EXPECT_TRUE(contains(summary, "could not be analysed")) << summary;
    EXPECT_TRUE(contains(r.out, "broken.cpp")) << r.out;

    auto j = dbarch("check --format json", p.path());
    EXPECT_EQ(j.exitCode, 3) << describe(j);
    json doc = parseReport(j);
    ASSERT_EQ(doc["errors"].size(), 1u);
    EXPECT_EQ(doc["errors"][0]["file"], "broken.cpp");
}

// ---------------------------------------------------------------------------------------------
// Usage errors (exit 2)

TEST(CliUsage, BadFlagsExitTwoAndNameTheFlag) {
    Project p;
    p.write("a.cpp", kClean);
    struct Case {
        std::string args, mention;
    };
    for (const Case& c : std::vector<Case>{{"check --bogus", "--bogus"},
                                           {"check --format xml", "xml"},
                                           {"check -j 0", "jobs"},
                                           {"check -j many", "many"},
                                           {"check --fail-on fatal", "fatal"},
                                           {"check --color sometimes", "sometimes"},
                                           {"explain", "rule"},
                                           {"rules --bogus", "--bogus"}}) {
        auto r = dbarch(c.args, p.path());
        EXPECT_EQ(r.exitCode, 2) << c.args << "\n" << describe(r);
        EXPECT_TRUE(contains(r.err, c.mention)) << c.args << "\n" << describe(r);
        EXPECT_EQ(r.out, "") << c.args;
    }
}

TEST(CliUsage, NoSubcommandOrUnknownSubcommandExitsTwo) {
    Project p;
    for (const std::string args : {"", "frob"}) {
        auto r = dbarch(args, p.path());
        EXPECT_EQ(r.exitCode, 2) << "'" << args << "'\n" << describe(r);
        EXPECT_FALSE(r.err.empty());
    }
}

TEST(CliUsage, CompileFlagsOnlyGoWithCheck) {
    Project p;
    auto r = dbarch("rules -- -DX", p.path());
    EXPECT_EQ(r.exitCode, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "only go with 'dbarch check'")) << r.err;
}

TEST(CliUsage, HelpExitsZero) {
    Project p;
    auto r = dbarch("check --help", p.path());
    EXPECT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "--fail-on")) << r.out;
    EXPECT_TRUE(contains(r.out, "Exit codes")) << r.out;
}

// ---------------------------------------------------------------------------------------------
// Configuration errors (exit 2): each names the file and the line:col or the JSON pointer.

struct ConfigCase {
    std::string name;
    std::string config;
    std::string where;                   // after "FILE": ":3:34: invalid JSON: " or ": at /ptr: "
    std::vector<std::string> fragments;  // further text the message must hold
};

std::ostream& operator<<(std::ostream& os, const ConfigCase& c) { return os << c.name; }

class CliConfigErrors : public ::testing::TestWithParam<ConfigCase> {};

TEST_P(CliConfigErrors, ExitTwoNamingFileAndPlace) {
    const ConfigCase& c = GetParam();
    Project p(c.config);
    p.write("a.cpp", kDirectConnection);
    std::string prefix = "dbarch: error: " + (p / ".dbarch.json").string() + c.where;
    for (const std::string command : {"check", "check --format json", "rules", "explain dbarch-direct-connection"}) {
        auto r = dbarch(command, p.path());
        EXPECT_EQ(r.exitCode, 2) << command << "\n" << describe(r);
        EXPECT_EQ(r.out, "") << command;
        EXPECT_EQ(r.err.rfind(prefix, 0), 0u) << command << "\nexpected prefix: " << prefix << "\n" << describe(r);
        for (const auto& fragment : c.fragments)
            EXPECT_TRUE(contains(r.err, fragment)) << command << "\nexpected: " << fragment << "\n" << describe(r);
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one error line\n" << r.err;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Config, CliConfigErrors,
    ::testing::Values(
        ConfigCase{"InvalidJsonTrailingComma",
                   "{\n  \"extends\": [\"builtin:libpq\"],\n  \"handler\": {\"functions\": [\"x\"],}\n}\n",
                   ":3:34: invalid JSON: ", {"unexpected '}'"}},
        ConfigCase{"InvalidJsonTruncated", "{\n  \"extends\": [\"builtin:libpq\"]\n", ":3:1: invalid JSON: ",
                   {"end of input"}},
        ConfigCase{"InvalidJsonMissingValue", "{\n  \"exclude\": [\n    ,\n  ]\n}\n", ":3:5: invalid JSON: ", {}},
        ConfigCase{"EmptyFile", "\n", ":2:1: invalid JSON: ", {}},
        ConfigCase{"NotAnObject", "[\"builtin:libpq\"]\n", ": ", {"expected an object, got an array"}},
        ConfigCase{"UnknownTopLevelKey", "{\"extnds\": [\"builtin:libpq\"]}", ": at /extnds: ",
                   {"unknown key 'extnds'", "did you mean 'extends'?"}},
        ConfigCase{"UnknownHandlerKey", "{\"handler\": {\"function\": [\"app::open\"]}}", ": at /handler/function: ",
                   {"unknown key 'function'", "did you mean 'functions'?"}},
        ConfigCase{"UnknownRuleKey",
                   R"({"rules": [{"id": "app-x", "kind": "call", "functions": ["f"], "mesage": "m"}]})",
                   ": at /rules/0/mesage: ", {"unknown key 'mesage'", "did you mean 'message'?"}},
        ConfigCase{"UnknownKind", R"({"rules": [{"id": "app-x", "kind": "cal", "functions": ["f"], "message": "m"}]})",
                   ": at /rules/0/kind: ", {"unknown rule kind 'cal'", "did you mean 'call'?"}},
        ConfigCase{"WrongTypeHandlerFunctions", R"({"handler": {"functions": "app::open"}})",
                   ": at /handler/functions: ", {"expected an array of strings, got a string"}},
        ConfigCase{"WrongTypeEnabled",
                   R"({"rules": [{"id": "app-x", "kind": "call", "functions": ["f"], "message": "m", "enabled": "yes"}]})",
                   ": at /rules/0/enabled: ", {"expected a boolean, got a string"}},
        ConfigCase{"WrongTypeInList", R"({"exclude": ["gen/**", 3]})", ": at /exclude/1: ",
                   {"expected a string, got a number"}},
        ConfigCase{"UnknownBuiltin", R"({"extends": ["builtin:libpq", "builtin:libpqq"]})", ": at /extends/1: ",
                   {"builtin:libpqq", "did you mean 'builtin:libpq'?"}},
        ConfigCase{"MissingPackFile", R"({"extends": ["packs/team.json"]})", ": at /extends/0: ",
                   {"packs/team.json"}},
        ConfigCase{"MalformedGlobExclude", R"({"exclude": ["src/[db"]})", ": at /exclude/0: ",
                   {"malformed glob 'src/[db'"}},
        ConfigCase{"MalformedGlobHandlerPath", R"({"handler": {"paths": ["ok/**", "src/[db"]}})",
                   ": at /handler/paths/1: ", {"malformed glob 'src/[db'"}},
        ConfigCase{"MalformedRegex",
                   R"({"rules": [{"id": "app-x", "kind": "literal", "pattern": "pass(word", "message": "m"}]})",
                   ": at /rules/0/pattern: ", {"malformed regular expression 'pass(word'"}},
        ConfigCase{"KindFieldMismatch",
                   R"({"rules": [{"id": "app-x", "kind": "call", "types": ["pqxx::connection"], "message": "m"}]})",
                   ": at /rules/0/types: ", {"'types' belongs to kind 'construct'", "takes 'functions'"}},
        ConfigCase{"KindWithoutTarget", R"({"rules": [{"id": "app-x", "kind": "include", "message": "m"}]})",
                   ": at /rules/0: ", {"kind 'include' needs 'headers'"}},
        ConfigCase{"MissingMessage", R"({"rules": [{"id": "app-x", "kind": "call", "functions": ["f"]}]})",
                   ": at /rules/0: ", {"missing required key 'message'"}},
        ConfigCase{"EmptyMessage",
                   R"({"rules": [{"id": "app-x", "kind": "call", "functions": ["f"], "message": "  "}]})",
                   ": at /rules/0/message: ", {"empty"}},
        ConfigCase{"SecondRuleIsPointedAt",
                   R"({"rules": [{"id": "app-a", "kind": "call", "functions": ["f"], "message": "m"},
                                 {"id": "app-b", "kind": "call", "functions": ["g("], "message": "m"}]})",
                   ": at /rules/1/functions/0: ", {"'g(' is not a qualified C++ name"}},
        ConfigCase{"UnknownSeverity",
                   R"({"rules": [{"id": "app-x", "kind": "call", "functions": ["f"], "message": "m", "severity": "warn"}]})",
                   ": at /rules/0/severity: ", {"unknown severity 'warn'"}},
        ConfigCase{"DisableTypo", R"({"extends": ["builtin:libpq"], "disable": ["dbarch-direct-conection"]})",
                   ": at /disable/0: ", {"matches no rule", "did you mean 'dbarch-direct-connection'?"}},
        ConfigCase{"SeverityOverrideTypo", R"({"extends": ["builtin:libpq"], "severity": {"dbarch-prepared": "warning"}})",
                   ": at /severity/dbarch-prepared: ", {"matches no rule"}},
        // RFC 6901: '/' in a key is written '~1' in a JSON pointer, '~' as '~0'; otherwise the
        // pointer names a different place (here the valid /handler/functions).
        ConfigCase{"PointerEscapesSlashInKey", R"({"handler/functions": ["app::open"]})",
                   ": at /handler~1functions: ", {"unknown key 'handler/functions'"}}),
    [](const auto& info) { return info.param.name; });

TEST(CliConfigErrorsElsewhere, ErrorInLocalPackNamesThePackFile) {
    Project p(R"({"extends": ["builtin:libpq", "packs/team.json"]})");
    p.write("a.cpp", kClean);
    p.write("packs/team.json",
            R"({"pack": "team", "rules": [{"id": "team-x", "kind": "constuct", "types": ["T"], "message": "m"}]})");
    auto r = dbarch("check", p.path());
    EXPECT_EQ(r.exitCode, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, (p / "packs/team.json").string() + ": at /rules/0/kind: unknown rule kind 'constuct'"))
        << r.err;
    EXPECT_TRUE(contains(r.err, "did you mean 'construct'?")) << r.err;

    p.write("packs/team.json", "{\"pack\": \"team\",\n \"rules\": [}\n");
    r = dbarch("check", p.path());
    EXPECT_EQ(r.exitCode, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, (p / "packs/team.json").string() + ":2:12: invalid JSON: ")) << r.err;
}

TEST(CliConfigErrorsElsewhere, MissingConfigFileGivenWithConfigFlag) {
    Project p;
    p.write("a.cpp", kClean);
    auto r = dbarch("check --config nope.json", p.path());
    EXPECT_EQ(r.exitCode, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "nope.json")) << r.err;
    EXPECT_TRUE(contains(r.err, "no such config file")) << r.err;
}

// ---------------------------------------------------------------------------------------------
// Config discovery and --config

TEST(CliConfigDiscovery, FoundWalkingUpFromASubdirectory) {
    Project p(R"({"extends": ["builtin:libpq"], "exclude": ["third_party/**"]})");
    p.write("src/deep/er/a.cpp", kDirectConnection);
    p.write("third_party/vendored.cpp", kDirectConnection);
    auto r = dbarch("check --format json", p / "src/deep/er");
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseReport(r);
    expectSchema(doc, p.path());
    // Paths are relative to the config's directory, not to the cwd; the excluded tree is not checked.
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"src/deep/er/a.cpp", 2, "dbarch-direct-connection"}}));

    auto one = dbarch("check --format json a.cpp", p / "src/deep/er");
    EXPECT_EQ(one.exitCode, 1) << describe(one);
    EXPECT_EQ(violationKeys(parseReport(one)), (std::set<Key>{{"src/deep/er/a.cpp", 2, "dbarch-direct-connection"}}));
}

TEST(CliConfigDiscovery, ConfigFromAnotherDirectory) {
    TempDir root;
    writeFile(root / "proj/.dbarch.json", R"({"extends": ["builtin:libpq"], "handler": {"functions": ["open_ok"]}})");
    writeFile(root / "proj/compile_flags.txt", kFlags);
    writeFile(root / "proj/src/a.cpp", kDirectConnection);
    writeFile(root / "proj/src/ok.cpp", "#include <libpq-fe.h>\nPGconn* open_ok() { return PQconnectdb(\"\"); }\n");
    // The cwd has its own (broken) config: --config must win over discovery.
    writeFile(root / "elsewhere/.dbarch.json", "{ broken");
    fs::path cwd = root / "elsewhere";
    std::set<Key> expected{{"src/a.cpp", 2, "dbarch-direct-connection"}};

    auto r = dbarch("check --config ../proj/.dbarch.json -p ../proj --format json", cwd);
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseReport(r);
    expectSchema(doc, root / "proj");
    EXPECT_EQ(violationKeys(doc), expected) << r.out;

    auto abs = dbarch("check --config " + shellQuote((root / "proj/.dbarch.json").string()) +
                          " --format json ../proj/src/a.cpp ../proj/src/ok.cpp -- -std=c++20 -I/usr/include/postgresql",
                      cwd);
    EXPECT_EQ(abs.exitCode, 1) << describe(abs);
    EXPECT_EQ(violationKeys(parseReport(abs)), expected) << abs.out;

    // Without --config the broken config of the cwd is used, and named.
    auto broken = dbarch("check -p ../proj", cwd);
    EXPECT_EQ(broken.exitCode, 2) << describe(broken);
    EXPECT_TRUE(contains(broken.err, (cwd / ".dbarch.json").string() + ":1:")) << broken.err;
}

// ---------------------------------------------------------------------------------------------
// Compilation database

TEST(CliCompilationDatabase, NoneFoundExitsTwoNamingWhatWasLookedFor) {
    for (fs::path dir = fs::temp_directory_path();; dir = dir.parent_path()) {
        for (const char* name : {"compile_commands.json", "build/compile_commands.json", "compile_flags.txt"})
            ASSERT_FALSE(fs::exists(dir / name)) << "precondition: " << (dir / name) << " would be discovered";
        if (dir == dir.parent_path()) break;
    }
    Project p(kLibpqConfig, /*compileFlags=*/false);
    p.write("a.cpp", kDirectConnection);
    auto r = dbarch("check", p.path());
    EXPECT_EQ(r.exitCode, 2) << describe(r);
    EXPECT_EQ(r.out, "");
    for (const char* fragment : {"no compilation database", "compile_commands.json", "build/compile_commands.json",
                                 "compile_flags.txt", "-p BUILD_DIR", "--"})
        EXPECT_TRUE(contains(r.err, fragment)) << fragment << "\n" << r.err;
    EXPECT_TRUE(contains(r.err, p.path().string())) << r.err;

    // A named file without a database and without -- is the same usage error.
    auto named = dbarch("check a.cpp", p.path());
    EXPECT_EQ(named.exitCode, 2) << describe(named);
    EXPECT_TRUE(contains(named.err, "no compilation database")) << named.err;
}

TEST(CliCompilationDatabase, FlagsAfterDoubleDashServeAsDatabase) {
    Project p(kLibpqConfig, /*compileFlags=*/false);
    p.write("src/a.cpp", kDirectConnection);
    p.write("src/b.cpp", kClean);
    auto all = dbarch("check --format json -- -std=c++20 -I/usr/include/postgresql", p.path());
    EXPECT_EQ(all.exitCode, 1) << describe(all);
    json doc = parseReport(all);
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"src/a.cpp", 2, "dbarch-direct-connection"}}));
    EXPECT_EQ(doc["summary"]["files"], 2);

    auto one = dbarch("check --format json src/b.cpp -- -std=c++20 -I/usr/include/postgresql", p.path());
    EXPECT_EQ(one.exitCode, 0) << describe(one);
    EXPECT_EQ(parseReport(one)["summary"]["files"], 1);

    // The flags really are used: without the include path libpq-fe.h is not found.
    auto without = dbarch("check src/a.cpp -- -std=c++20", p.path());
    EXPECT_EQ(without.exitCode, 3) << describe(without);
    EXPECT_TRUE(contains(without.out, "libpq-fe.h")) << without.out;
}

// A project with a compile_commands.json that lists only src/a.cpp (absolute paths).
class CliWithCompileCommands : public ::testing::Test {
  protected:
    void SetUp() override {
        p.write("src/a.cpp", kDirectConnection);
        p.write("src/b.cpp",
                "#include <libpq-fe.h>\nvoid from_b() { PQprepare(nullptr, \"s\", \"q\", 0, nullptr); }\n");
        std::string a = (p / "src/a.cpp").string();
        json db = json::array({{{"directory", p.path().string()},
                                {"file", a},
                                {"arguments", {"c++", "-std=c++20", "-I/usr/include/postgresql", "-c", a}}}});
        p.write("build/compile_commands.json", db.dump(2));
    }
    Project p{kLibpqConfig, /*compileFlags=*/false};
    std::set<Key> inA{{"src/a.cpp", 2, "dbarch-direct-connection"}};
    std::set<Key> inB{{"src/b.cpp", 2, "dbarch-prepared-statement"}};
};

TEST_F(CliWithCompileCommands, DiscoveredInBuildDirectory) {
    auto r = dbarch("check --format json", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseReport(r);
    expectSchema(doc, p.path());
    EXPECT_EQ(violationKeys(doc), inA);  // the database defines the project's units
    EXPECT_EQ(doc["summary"]["files"], 1);
}

TEST_F(CliWithCompileCommands, FileWithoutCompileCommandExitsTwoOthersStillReported) {
    auto r = dbarch("check src/a.cpp src/b.cpp", p.path());
    EXPECT_EQ(r.exitCode, 2) << describe(r);
    std::string expected = "no compile command for src/b.cpp in " + (p / "build/compile_commands.json").string() +
                           "; pass -p BUILD_DIR or compile flags after --";
    EXPECT_TRUE(contains(r.err, expected)) << r.err;
    EXPECT_TRUE(contains(r.out, "src/a.cpp:2:")) << "the other file is still checked\n" << describe(r);

    auto j = dbarch("check --format json src/b.cpp src/a.cpp", p.path());
    EXPECT_EQ(j.exitCode, 2) << describe(j);
    EXPECT_EQ(violationKeys(parseReport(j)), inA);

    auto alone = dbarch("check src/b.cpp", p.path());
    EXPECT_EQ(alone.exitCode, 2) << describe(alone);
    EXPECT_TRUE(contains(alone.err, "no compile command for src/b.cpp")) << alone.err;
}

TEST_F(CliWithCompileCommands, FileWithoutCompileCommandCheckedWithFlagsAfterDoubleDash) {
    auto r = dbarch("check --format json src/b.cpp src/a.cpp -- -std=c++20 -I/usr/include/postgresql", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    std::set<Key> both = inA;
    both.insert(inB.begin(), inB.end());
    EXPECT_EQ(violationKeys(parseReport(r)), both) << r.out;
    EXPECT_EQ(r.err, "");
}

TEST_F(CliWithCompileCommands, BuildPathAsDirectoryAndAsFile) {
    // From the project root, -p with the directory and with the file itself.
    for (const std::string& dashP : std::vector<std::string>{"-p build", "-p build/compile_commands.json", "--build-path=build",
                                    "-p " + shellQuote((p / "build").string())}) {
        auto r = dbarch("check --format json " + dashP, p.path());
        EXPECT_EQ(r.exitCode, 1) << dashP << "\n" << describe(r);
        EXPECT_EQ(violationKeys(parseReport(r)), inA) << dashP;
    }
    fs::rename(p / "build", p / "out");
    auto r = dbarch("check --format json -p out/compile_commands.json src/a.cpp", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    EXPECT_EQ(violationKeys(parseReport(r)), inA);
}

TEST_F(CliWithCompileCommands, BadBuildPathExitsTwo) {
    auto missing = dbarch("check -p nosuch", p.path());
    EXPECT_EQ(missing.exitCode, 2) << describe(missing);
    EXPECT_TRUE(contains(missing.err, "-p nosuch: no such directory or file")) << missing.err;

    fs::create_directories(p / "empty");
    auto empty = dbarch("check -p empty", p.path());
    EXPECT_EQ(empty.exitCode, 2) << describe(empty);
    EXPECT_TRUE(contains(empty.err, "-p empty: no compile_commands.json or compile_flags.txt in " + (p / "empty").string()))
        << empty.err;

    p.write("bad/compile_commands.json", "[{\"directory\": }]");
    auto bad = dbarch("check -p bad", p.path());
    EXPECT_EQ(bad.exitCode, 2) << describe(bad);
    EXPECT_TRUE(contains(bad.err, (p / "bad/compile_commands.json").string() + ": not a valid compilation database"))
        << bad.err;
}

// A database written by CMake for GCC: options clang does not know, and a precompiled prefix
// header (cmake_pch.hxx.gch beside `-include cmake_pch.hxx`) that clang's driver would pick up
// by name and cannot read. Both used to fail every unit (exit 3). The prefix header declares
// what a.cpp uses, so the finding proves its source was parsed.
TEST(CliForeignCompileCommands, GccOptionsAndPrecompiledHeadersDoNotCostUnits) {
    Project p(kLibpqConfig, /*compileFlags=*/false);
    p.write("build/cmake_pch.hxx", "#include <string>\n#include <libpq-fe.h>\n");
    p.write("build/cmake_pch.hxx.gch", "GCC's own format, not a clang PCH");
    p.write("src/a.cpp", "PGconn* open_direct() { return PQconnectdb(\"host=db\"); }\n");
    p.write("src/b.cpp", "#include <string>\nstd::string name() { return PQlibVersion() > 0 ? \"libpq\" : \"\"; }\n");
    std::string pch = (p / "build/cmake_pch.hxx").string();
    json db = json::array();
    for (const char* file : {"src/a.cpp", "src/b.cpp"})
        db.push_back({{"directory", (p / "build").string()},
                      {"file", (p / file).string()},
                      {"arguments", {"/usr/bin/c++", "-I/usr/include/postgresql", "-O2", "-fconcepts-diagnostics-depth=3",
                                     "-fno-allocation-dce", "-Wno-maybe-uninitialized", "-std=gnu++23", "-Winvalid-pch",
                                     "-include", pch, "-o", "x.o", "-c", (p / file).string()}}});
    p.write("build/compile_commands.json", db.dump(2));

    auto r = dbarch("check --no-cache --format json", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    EXPECT_EQ(violationKeys(parseReport(r)), (std::set<Key>{{"src/a.cpp", 1, "dbarch-direct-connection"}}));
    EXPECT_TRUE(contains(r.err, "dbarch: note: left out compiler options clang does not know (written for another "
                                "compiler): -fconcepts-diagnostics-depth=3 (2 units), -fno-allocation-dce (2 units)\n"))
        << r.err;
    EXPECT_FALSE(contains(r.err, "-Wno-maybe-uninitialized")) << "clang knows -W options: " << r.err;
    EXPECT_TRUE(contains(r.err, "parsed the header behind the precompiled header of 2 units from source")) << r.err;

    // The same database as CMake writes it for clang: the PCH passed to the frontend, and the
    // header after it; a PCH from another clang would not load either.
    fs::rename(p / "build/cmake_pch.hxx.gch", p / "build/cmake_pch.hxx.pch");
    for (auto& unit : db) {
        std::string file = unit["file"];
        unit["arguments"] = {"/usr/bin/clang++", "-I/usr/include/postgresql", "-std=c++20", "-Xclang", "-include-pch",
                             "-Xclang", pch + ".pch", "-Xclang", "-include", "-Xclang", pch, "-o", "x.o", "-c", file};
    }
    p.write("build/compile_commands.json", db.dump(2));
    auto clang = dbarch("check --no-cache --format json", p.path());
    EXPECT_EQ(clang.exitCode, 1) << describe(clang);
    EXPECT_EQ(violationKeys(parseReport(clang)), (std::set<Key>{{"src/a.cpp", 1, "dbarch-direct-connection"}}));
    EXPECT_FALSE(contains(clang.err, "left out compiler options")) << clang.err;
}

// CMake keeps long include lists in response files; the include path is only in one here.
TEST(CliForeignCompileCommands, ResponseFilesAreRead) {
    Project p(kLibpqConfig, /*compileFlags=*/false);
    p.write("src/a.cpp", kDirectConnection);
    p.write("build/includes.rsp", "-I/usr/include/postgresql -std=c++20\n");
    std::string a = (p / "src/a.cpp").string();
    json db = json::array({{{"directory", (p / "build").string()},
                            {"file", a},
                            {"command", "/usr/bin/c++ @includes.rsp -o a.o -c " + a}}});
    p.write("build/compile_commands.json", db.dump(2));
    auto r = dbarch("check --no-cache --format json", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    EXPECT_EQ(violationKeys(parseReport(r)), (std::set<Key>{{"src/a.cpp", 2, "dbarch-direct-connection"}}));
}

TEST_F(CliWithCompileCommands, FlagsAfterDoubleDashAreAppendedForListedFiles) {
    p.write("src/a.cpp", "#include <libpq-fe.h>\n#ifdef EXTRA\nvoid f() { PQconnectdb(\"\"); }\n#endif\n");
    auto plain = dbarch("check", p.path());
    EXPECT_EQ(plain.exitCode, 0) << describe(plain);
    auto extra = dbarch("check --format json -- -DEXTRA", p.path());
    EXPECT_EQ(extra.exitCode, 1) << describe(extra);
    EXPECT_EQ(violationKeys(parseReport(extra)), (std::set<Key>{{"src/a.cpp", 3, "dbarch-direct-connection"}}));
}

// Build systems write the output after the source too ("-c a.cpp -o a.o"); flags after -- must
// still be added as compile flags, not spliced into "-o a.o".
TEST_F(CliWithCompileCommands, FlagsAfterDoubleDashWithOutputAfterTheSource) {
    p.write("src/a.cpp", "#include <libpq-fe.h>\n#ifdef EXTRA\nvoid f() { PQconnectdb(\"\"); }\n#endif\n");
    std::string a = (p / "src/a.cpp").string();
    json db = json::array({{{"directory", (p / "build").string()},
                            {"file", a},
                            {"arguments", {"c++", "-std=c++20", "-I/usr/include/postgresql", "-c", a, "-o", "a.o"}}}});
    p.write("build/compile_commands.json", db.dump(2));
    auto plain = dbarch("check", p.path());
    EXPECT_EQ(plain.exitCode, 0) << "the database itself is fine\n" << describe(plain);
    auto extra = dbarch("check --format json -- -DEXTRA", p.path());
    EXPECT_EQ(extra.exitCode, 1) << describe(extra);
    json doc = parseReport(extra);
    EXPECT_TRUE(doc["errors"].empty()) << extra.out;
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"src/a.cpp", 3, "dbarch-direct-connection"}}));
}

TEST(CliPaths, NoSuchFileExitsTwoOthersStillReported) {
    Project p;
    p.write("a.cpp", kDirectConnection);
    auto r = dbarch("check --format json a.cpp nosuch.cpp", p.path());
    EXPECT_EQ(r.exitCode, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "nosuch.cpp: no such file or directory")) << r.err;
    EXPECT_EQ(violationKeys(parseReport(r)), (std::set<Key>{{"a.cpp", 2, "dbarch-direct-connection"}}));

    auto alone = dbarch("check nosuch.cpp", p.path());
    EXPECT_EQ(alone.exitCode, 2) << describe(alone);
    EXPECT_TRUE(contains(alone.err, "nosuch.cpp: no such file or directory")) << alone.err;
}

TEST(CliPaths, DirectoryArgumentChecksOnlyThatTree) {
    Project p;
    p.write("src/db/a.cpp", kDirectConnection);
    p.write("src/web/b.cpp", kDirectConnection);
    auto r = dbarch("check --format json src/db", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseReport(r);
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"src/db/a.cpp", 2, "dbarch-direct-connection"}}));
    EXPECT_EQ(doc["summary"]["files"], 1);
}

// ---------------------------------------------------------------------------------------------
// Severity, --fail-on, -o, colour

const std::string kWarningRuleConfig = R"({
  "extends": ["builtin:libpq"],
  "rules": [
    {"id": "app-no-finish", "kind": "call", "functions": ["PQfinish"],
     "message": "calls {symbol}; let the handler close connections", "severity": "warning"}
  ]
}
)";

TEST(CliFailOn, WarningSeverityFailsOnlyWithFailOnWarning) {
    Project p(kWarningRuleConfig);
    p.write("a.cpp", "#include <libpq-fe.h>\nvoid done(PGconn* c) { PQfinish(c); }\n");
    auto def = dbarch("check", p.path());
    EXPECT_EQ(def.exitCode, 0) << describe(def);
    EXPECT_TRUE(contains(def.out, "a.cpp:2:24: warning: calls PQfinish; let the handler close connections [app-no-finish]"))
        << def.out;
    EXPECT_TRUE(contains(def.out, "dbarch: 1 violation (0 errors, 1 warning)")) << def.out;

    auto onError = dbarch("check --fail-on error", p.path());
    EXPECT_EQ(onError.exitCode, 0) << describe(onError);
    auto onWarning = dbarch("check --fail-on warning", p.path());
    EXPECT_EQ(onWarning.exitCode, 1) << describe(onWarning);

    auto j = dbarch("check --format json --fail-on warning", p.path());
    EXPECT_EQ(j.exitCode, 1) << describe(j);
    json doc = parseReport(j);
    ASSERT_EQ(doc["violations"].size(), 1u);
    EXPECT_EQ(doc["violations"][0]["severity"], "warning");
    EXPECT_EQ(doc["violations"][0]["rule"], "app-no-finish");
    EXPECT_EQ(doc["violations"][0]["symbol"], "PQfinish");
}

TEST(CliFailOn, SeverityOverrideToWarning) {
    Project p(R"({"extends": ["builtin:libpq"], "severity": {"dbarch-direct-*": "warning"}})");
    p.write("a.cpp", kDirectConnection);
    auto def = dbarch("check", p.path());
    EXPECT_EQ(def.exitCode, 0) << describe(def);
    EXPECT_TRUE(contains(def.out, ": warning: ")) << def.out;
    auto strict = dbarch("check --fail-on warning", p.path());
    EXPECT_EQ(strict.exitCode, 1) << describe(strict);
}

TEST(CliOutput, ReportToFile) {
    Project p;
    p.write("a.cpp", kDirectConnection);
    auto text = dbarch("check -o report.txt", p.path());
    EXPECT_EQ(text.exitCode, 1) << describe(text);
    EXPECT_EQ(text.out, "");
    std::string written = readFile(p / "report.txt");
    EXPECT_TRUE(contains(written, "a.cpp:2:")) << written;
    EXPECT_TRUE(contains(written, "dbarch: 1 violation")) << written;
    EXPECT_EQ(written, dbarch("check", p.path()).out) << "same report as on stdout";

    auto js = dbarch("check --format json --output out/report.json", p.path());
    // The directory does not exist: cannot write, named.
    EXPECT_EQ(js.exitCode, 2) << describe(js);
    EXPECT_TRUE(contains(js.err, "cannot write out/report.json")) << js.err;

    auto ok = dbarch("check --format json --output report.json", p.path());
    EXPECT_EQ(ok.exitCode, 1) << describe(ok);
    EXPECT_EQ(ok.out, "");
    json doc = json::parse(readFile(p / "report.json"));
    expectSchema(doc, p.path());
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"a.cpp", 2, "dbarch-direct-connection"}}));
}

std::string stripAnsi(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\033' && i + 1 < s.size() && s[i + 1] == '[') {
            i += 2;
            while (i < s.size() && !std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
            continue;
        }
        out += s[i];
    }
    return out;
}

TEST(CliColour, NeverWhenPipedAlwaysOnRequest) {
    Project p;
    p.write("a.cpp", kDirectConnection);
    auto piped = dbarch("check", p.path());
    auto never = dbarch("check --color never", p.path());
    auto always = dbarch("check --color always", p.path());
    EXPECT_FALSE(contains(piped.out, "\033[")) << piped.out;
    EXPECT_FALSE(contains(never.out, "\033[")) << never.out;
    EXPECT_TRUE(contains(always.out, "\033[")) << always.out;
    EXPECT_EQ(always.exitCode, 1);
    EXPECT_EQ(stripAnsi(always.out), never.out);
    EXPECT_EQ(piped.out, never.out);
    auto asJson = dbarch("check --format json --color always", p.path());
    EXPECT_FALSE(contains(asJson.out, "\033[")) << asJson.out;
}

// --color auto on a terminal: util-linux `script` provides a pseudo-terminal.
TEST(CliColour, AutoOnATerminalUnlessNoColorOrFile) {
    if (run("command -v script").exitCode != 0) GTEST_SKIP() << "script(1) not installed";
    if (run("script -qec true /dev/null").exitCode != 0) GTEST_SKIP() << "no pseudo-terminal available";
    Project p;
    p.write("a.cpp", kDirectConnection);
    std::string command = shellQuote(DBARCH_BINARY) + " check";
    auto tty = run("env -u NO_COLOR script -qec " + shellQuote(command) + " /dev/null", p.path());
    EXPECT_TRUE(contains(tty.out, "a.cpp:2:")) << describe(tty);
    EXPECT_TRUE(contains(tty.out, "\033[")) << describe(tty);
    auto noColor = run("NO_COLOR=1 script -qec " + shellQuote(command) + " /dev/null", p.path());
    EXPECT_TRUE(contains(noColor.out, "a.cpp:2:")) << describe(noColor);
    EXPECT_FALSE(contains(noColor.out, "\033[")) << describe(noColor);
    auto toFile = run("env -u NO_COLOR script -qec " + shellQuote(command + " -o report.txt") + " /dev/null", p.path());
    std::string written = readFile(p / "report.txt");
    EXPECT_TRUE(contains(written, "a.cpp:2:")) << written;
    EXPECT_FALSE(contains(written, "\033[")) << written;
}

// ---------------------------------------------------------------------------------------------
// NOLINT

TEST(CliNolint, ClangTidyGrammar) {
    Project p;
    const std::string source =
        "#include <libpq-fe.h>\n"
        "void bare() { PQconnectdb(\"a\"); } // NOLINT\n"
        "void named() { PQconnectdb(\"a\"); } // NOLINT(dbarch-direct-connection)\n"
        "void glob() { PQconnectdb(\"a\"); } // NOLINT(dbarch-*)\n"
        "void star() { PQconnectdb(\"a\"); } // NOLINT(*)\n"
        "void listed() { PQconnectdb(\"a\"); } // NOLINT(bugprone-foo, dbarch-direct-connection)\n"
        "void other() { PQconnectdb(\"a\"); } // NOLINT(bugprone-foo)\n"
        "void wrong_rule() { PQconnectdb(\"a\"); } // NOLINT(dbarch-prepared-statement)\n"
        "void lower_case() { PQconnectdb(\"a\"); } // nolint\n"
        "// NOLINTNEXTLINE(dbarch-direct-connection)\n"
        "void next() { PQconnectdb(\"a\"); }\n"
        "void after_next() { PQconnectdb(\"a\"); }\n"
        "// NOLINTBEGIN(dbarch-direct-connection)\n"
        "void block1() { PQconnectdb(\"a\"); }\n"
        "void block2() { PQconnectdb(\"a\"); }\n"
        "// NOLINTEND(dbarch-direct-connection)\n"
        "void after_block() { PQconnectdb(\"a\"); }\n"
        "/* NOLINTBEGIN */\n"
        "void block3() { PQconnectdb(\"a\"); }\n"
        "/* NOLINTEND */\n";
    p.write("n.cpp", source);
    auto r = dbarch("check --format json", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseReport(r);
    std::set<Key> expected;
    for (const char* fn : {"void other", "void wrong_rule", "void lower_case", "void after_next", "void after_block"})
        expected.emplace("n.cpp", positionOf(source, fn).line, "dbarch-direct-connection");
    EXPECT_EQ(violationKeys(doc), expected) << "got:\n" << dumpKeys(violationKeys(doc)) << "expected:\n" << dumpKeys(expected);
    EXPECT_EQ(doc["summary"]["suppressed"], 9);

    auto t = dbarch("check", p.path());
    EXPECT_TRUE(contains(t.out, "9 suppressed by NOLINT")) << t.out;
}

TEST(CliNolint, UnmatchedBeginAndEndAreReported) {
    Project p;
    const std::string begin =
        "#include <libpq-fe.h>\n"
        "// NOLINTBEGIN(dbarch-direct-connection)\n"
        "void opened() { PQconnectdb(\"a\"); }\n";
    const std::string end =
        "#include <libpq-fe.h>\n"
        "void closed() { PQconnectdb(\"a\"); }\n"
        "  // NOLINTEND(dbarch-direct-connection)\n";
    const std::string mismatched =
        "#include <libpq-fe.h>\n"
        "// NOLINTBEGIN(dbarch-direct-connection)\n"
        "void inside() {}\n"
        "// NOLINTEND(dbarch-*)\n";
    const std::string foreign =
        "#include <libpq-fe.h>\n"
        "// NOLINTBEGIN(bugprone-foo)\n"
        "void unrelated() {}\n";
    p.write("begin.cpp", begin);
    p.write("end.cpp", end);
    p.write("mismatched.cpp", mismatched);
    p.write("foreign.cpp", foreign);
    auto r = dbarch("check --format json", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseReport(r);
    expectSchema(doc, p.path());
    std::set<Key> expected{{"begin.cpp", 2, "dbarch-nolint"},      {"begin.cpp", 3, "dbarch-direct-connection"},
                           {"end.cpp", 2, "dbarch-direct-connection"}, {"end.cpp", 3, "dbarch-nolint"},
                           {"mismatched.cpp", 2, "dbarch-nolint"}, {"mismatched.cpp", 4, "dbarch-nolint"}};
    EXPECT_EQ(violationKeys(doc), expected) << "got:\n" << dumpKeys(violationKeys(doc));
    for (const auto& v : doc["violations"]) {
        if (v["rule"] != "dbarch-nolint") continue;
        std::string message = v["message"].get<std::string>();
        EXPECT_TRUE(contains(message, "unmatched")) << message;
        if (v["file"] == "end.cpp") {
            EXPECT_EQ(v["column"], 6) << "column of the marker";
            EXPECT_TRUE(contains(message, "NOLINTEND")) << message;
        }
        if (v["file"] == "begin.cpp") {
            EXPECT_EQ(v["column"], 4);
            EXPECT_TRUE(contains(message, "NOLINTBEGIN")) << message;
        }
    }
}

TEST(CliNolint, InHeaderIncludedTwiceReportedOnce) {
    Project p;
    p.write("inc/h.hpp", "#pragma once\n// NOLINTBEGIN(dbarch-direct-connection)\ninline void h() {}\n");
    p.write("a.cpp", "#include \"inc/h.hpp\"\n");
    p.write("b.cpp", "#include \"inc/h.hpp\"\n");
    auto r = dbarch("check --format json", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseReport(r);
    EXPECT_EQ(doc["violations"].size(), 1u) << r.out;
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"inc/h.hpp", 2, "dbarch-nolint"}}));
}

// ---------------------------------------------------------------------------------------------
// Handler names that match nothing; header deduplication; credentials

TEST(CliHandlerTypo, WarnedInWholeProjectRun) {
    Project p(R"({"extends": ["builtin:libpq"], "handler": {"functions": ["app::open_primary"]}})");
    p.write("src/db.cpp",
            "#include <libpq-fe.h>\nnamespace app { PGconn* open_primry() { return PQconnectdb(\"\"); } }\n");
    p.write("src/other.cpp", kClean);
    auto r = dbarch("check", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);  // the typo leaves the connection outside the handler
    EXPECT_TRUE(contains(r.err, "dbarch: warning: handler function 'app::open_primary'")) << r.err;
    EXPECT_TRUE(contains(r.err, "matches no declaration")) << r.err;
    EXPECT_TRUE(contains(r.err, "(a typo?)")) << r.err;

    auto j = dbarch("check --format json", p.path());
    json doc = parseReport(j);
    expectSchema(doc, p.path());
    ASSERT_EQ(doc["warnings"].size(), 1u) << j.out;
    std::string message = doc["warnings"][0]["message"].get<std::string>();
    EXPECT_TRUE(contains(message, "app::open_primary")) << message;
    EXPECT_TRUE(contains(message, "matches no declaration")) << message;
    EXPECT_TRUE(contains(message, ".dbarch.json")) << message;

    // Checking one file is not a whole-project run: the name may be declared elsewhere.
    auto partial = dbarch("check --format json src/other.cpp", p.path());
    EXPECT_EQ(partial.exitCode, 0) << describe(partial);
    EXPECT_FALSE(contains(partial.err, "matches no declaration")) << partial.err;
    EXPECT_TRUE(parseReport(partial)["warnings"].empty());
}

TEST(CliHandlerTypo, NoWarningWhenTheNameResolves) {
    Project p(R"({"extends": ["builtin:libpq"], "handler": {"functions": ["app::open_primary"], "classes": ["app::Pool"]}})");
    p.write("src/db.cpp",
            "#include <libpq-fe.h>\n"
            "namespace app { PGconn* open_primary() { return PQconnectdb(\"\"); }\n"
            "struct Pool { PGconn* grow() { return PQconnectdb(\"\"); } }; }\n");
    auto r = dbarch("check --format json", p.path());
    EXPECT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(parseReport(r)["warnings"].empty()) << r.out;
}

TEST(CliHeaders, ViolationInHeaderIncludedByThreeUnitsReportedOnce) {
    Project p;
    p.write("include/legacy_db.hpp",
            "#pragma once\n#include <libpq-fe.h>\ninline PGconn* legacy() { return PQconnectdb(\"host=db\"); }\n");
    p.write("src/a.cpp", "#include \"../include/legacy_db.hpp\"\nvoid a() { legacy(); }\n");
    p.write("src/b.cpp", "#include \"../include/legacy_db.hpp\"\n#include \"../include/legacy_db.hpp\"\nvoid b() {}\n");
    p.write("src/c/c.cpp", "#include \"../../include/../include/legacy_db.hpp\"\nvoid c() {}\n");
    auto r = dbarch("check --format json", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseReport(r);
    expectSchema(doc, p.path());
    ASSERT_EQ(doc["violations"].size(), 1u) << r.out;
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"include/legacy_db.hpp", 3, "dbarch-direct-connection"}}));
    EXPECT_EQ(doc["summary"]["files"], 3);
    EXPECT_EQ(doc["summary"]["project_files"], 4);

    auto t = dbarch("check", p.path());
    EXPECT_TRUE(contains(t.out, "dbarch: 1 violation (1 error, 0 warnings) in 3 translation units")) << t.out;
}

// The source line printed under a credentials finding, and its caret line.
struct Shown {
    std::string source, caret;
};
Shown shownLine(const std::string& out, const std::string& rule, unsigned line) {
    auto all = lines(out);
    for (size_t i = 0; i + 2 < all.size(); ++i)
        if (contains(all[i], "[" + rule + "]") && contains(all[i], ":" + std::to_string(line) + ":"))
            return {all[i + 1], all[i + 2]};
    ADD_FAILURE() << "no " << rule << " finding at line " << line << " in\n" << out;
    return {};
}

TEST(CliCredentials, UriPasswordMaskedInPrintedLine) {
    Project p;
    const std::string source = "const char* dsn = \"postgresql://app:s3cret@db/shop\";\n";
    p.write("a.cpp", source);
    auto r = dbarch("check", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    EXPECT_FALSE(contains(r.out, "s3cret")) << r.out;
    Shown shown = shownLine(r.out, "dbarch-hardcoded-credentials", 1);
    EXPECT_TRUE(contains(shown.source, "****")) << shown.source;
    EXPECT_EQ(shown.source.size(), std::string("    1 | ").size() + lineOf(source, 1).size()) << "mask keeps the length";
    EXPECT_EQ(shown.caret, "      | " + std::string(positionOf(source, "\"postgresql").column - 1, ' ') + "^");
    auto j = dbarch("check --format json", p.path());
    EXPECT_FALSE(contains(j.out, "s3cret")) << j.out;
}

TEST(CliCredentials, KeywordPasswordMaskedInPrintedLine) {
    Project p;
    const std::string source = "const char* dsn = \"host=db user=app password=hunter2 dbname=shop\";\n";
    p.write("a.cpp", source);
    auto r = dbarch("check", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    Shown shown = shownLine(r.out, "dbarch-hardcoded-credentials", 1);
    EXPECT_TRUE(contains(shown.source, "*")) << shown.source;
    // No part of the password may show: not the whole word, not its tail.
    for (const char* leak : {"hunter2", "unter2", "nter2", "ter2"})
        EXPECT_FALSE(contains(r.out, leak)) << "password '" << leak << "' shown:\n" << shown.source;
    EXPECT_TRUE(contains(shown.source, "dbname=shop")) << "only the secret is masked: " << shown.source;
}

TEST(CliCredentials, SecretNotShownByAnotherFindingOnTheSameLine) {
    Project p;
    const std::string source =
        "#include <libpq-fe.h>\n"
        "PGconn* c() { return PQconnectdb(\"postgresql://app:t0psecret@db/shop\"); }\n";
    p.write("a.cpp", source);
    auto r = dbarch("check", p.path());
    EXPECT_EQ(r.exitCode, 1) << describe(r);
    json doc = parseReport(dbarch("check --format json", p.path()));
    EXPECT_EQ(violationKeys(doc), (std::set<Key>{{"a.cpp", 2, "dbarch-direct-connection"},
                                                 {"a.cpp", 2, "dbarch-hardcoded-credentials"}}));
    EXPECT_FALSE(contains(r.out, "t0psecret")) << "the password is printed in the clear:\n" << r.out;
}

// ---------------------------------------------------------------------------------------------
// rules, explain, --version

TEST(CliVersion, PrintsNameAndVersion) {
    TempDir dir;
    auto r = dbarch("--version", dir.path());
    EXPECT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_EQ(r.out, std::string("dbarch ") + DBARCH_VERSION + "\n");
}

TEST(CliRules, ListsIdsSeveritiesAndSummaries) {
    TempDir dir;  // no .dbarch.json here or above: the built-in defaults (every pack)
    auto r = dbarch("rules", dir.path());
    EXPECT_EQ(r.exitCode, 0) << describe(r);
    std::map<std::string, std::string> rows;
    for (const auto& line : lines(r.out)) {
        if (line.empty() || line[0] == ' ') continue;
        size_t space = line.find(' ');
        if (space == std::string::npos) continue;
        rows[line.substr(0, space)] = line.substr(space);
    }
    for (const char* id : {"dbarch-direct-connection", "dbarch-prepared-statement", "dbarch-hardcoded-credentials",
                           "dbarch-driver-include"}) {
        ASSERT_TRUE(rows.count(id)) << id << " not listed:\n" << r.out;
        std::string rest = rows[id];
        EXPECT_TRUE(contains(rest, "error") || contains(rest, "warning")) << id << rest;
        // A summary sentence after the severity.
        size_t words = 0;
        std::istringstream in(rest);
        for (std::string w; in >> w;) ++words;
        EXPECT_GE(words, 5u) << id << ": no summary: " << rest;
    }
    EXPECT_TRUE(contains(rows["dbarch-direct-connection"], "connection")) << rows["dbarch-direct-connection"];
    EXPECT_TRUE(contains(rows["dbarch-driver-include"], "(disabled)")) << rows["dbarch-driver-include"];
    EXPECT_TRUE(contains(r.out, "builtin:libpq")) << r.out;
    EXPECT_TRUE(contains(r.out, "builtin:soci")) << r.out;
    EXPECT_TRUE(contains(r.out, "dbarch explain")) << r.out;
}

TEST(CliRules, ProjectRulesAndConfigFlag) {
    Project p(kWarningRuleConfig);
    auto r = dbarch("rules", p.path());
    EXPECT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "app-no-finish")) << r.out;
    EXPECT_TRUE(contains(r.out, "calls {symbol}; let the handler close connections")) << r.out;
    EXPECT_FALSE(contains(r.out, "builtin:soci")) << "only libpq is extended\n" << r.out;

    TempDir other;
    auto withConfig = dbarch("rules --config " + shellQuote((p / ".dbarch.json").string()), other.path());
    EXPECT_EQ(withConfig.exitCode, 0) << describe(withConfig);
    EXPECT_EQ(withConfig.out, r.out);
}

TEST(CliExplain, DirectConnectionDocumentation) {
    TempDir dir;
    auto r = dbarch("explain dbarch-direct-connection", dir.path());
    EXPECT_EQ(r.exitCode, 0) << describe(r);
    for (const char* part : {"dbarch-direct-connection", "Forbids", "Why", "Instead", "Example", "```cpp",
                             "get_background_session", "PQconnectdb"})
        EXPECT_TRUE(contains(r.out, part)) << part << "\n" << r.out;
    // The configuration in effect is listed too.
    EXPECT_TRUE(contains(r.out, "builtin:libpq")) << r.out;
}

TEST(CliExplain, EveryListedRuleIsExplained) {
    TempDir dir;
    for (const char* id : {"dbarch-prepared-statement", "dbarch-hardcoded-credentials", "dbarch-driver-include",
                           "dbarch-nolint"}) {
        auto r = dbarch(std::string("explain ") + id, dir.path());
        EXPECT_EQ(r.exitCode, 0) << id << "\n" << describe(r);
        EXPECT_TRUE(contains(r.out, id)) << r.out;
        EXPECT_TRUE(contains(r.out, "Why")) << id << "\n" << r.out;
    }
}

TEST(CliExplain, UnknownRuleExitsTwoWithSuggestion) {
    TempDir dir;
    auto r = dbarch("explain dbarch-direct-conection", dir.path());
    EXPECT_EQ(r.exitCode, 2) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains(r.err, "unknown rule 'dbarch-direct-conection'")) << r.err;
    EXPECT_TRUE(contains(r.err, "did you mean 'dbarch-direct-connection'?")) << r.err;

    auto far = dbarch("explain zzzzzzzzzzzzzzzzzzzz", dir.path());
    EXPECT_EQ(far.exitCode, 2) << describe(far);
    EXPECT_TRUE(contains(far.err, "unknown rule 'zzzzzzzzzzzzzzzzzzzz'")) << far.err;
}

TEST(CliExplain, ProjectRuleShowsItsConfiguration) {
    Project p(kWarningRuleConfig);
    auto r = dbarch("explain app-no-finish", p.path());
    EXPECT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "app-no-finish")) << r.out;
    EXPECT_TRUE(contains(r.out, "/rules/0")) << r.out;
    EXPECT_TRUE(contains(r.out, "warning")) << r.out;
    EXPECT_TRUE(contains(r.out, "let the handler close connections")) << r.out;
}

}  // namespace
