#include <gtest/gtest.h>

#include "config/Config.hpp"
#include "config/Embedded.hpp"
#include "support/Process.hpp"

using namespace dbarch;
using dbarch::test::TempDir;
using dbarch::test::writeFile;

namespace {

// Loads `json` as a project config; returns the error message, or "" when it loads.
std::string errorFor(const std::string& json) {
    TempDir dir;
    writeFile(dir / ".dbarch.json", json);
    try {
        loadConfig(dir / ".dbarch.json");
        return "";
    } catch (const ConfigError& e) {
        std::string message = e.what();
        // Make the temp path stable for assertions.
        std::string prefix = (dir / ".dbarch.json").string();
        if (message.rfind(prefix, 0) == 0) message = ".dbarch.json" + message.substr(prefix.size());
        return message;
    }
}

}  // namespace

TEST(BuiltinPacks, EveryPackLoadsAndDefaultExtendsTheFiveDrivers) {
    for (const auto& name : builtinPackNames()) {
        TempDir dir;
        writeFile(dir / ".dbarch.json", "{\"extends\": [\"builtin:" + name + "\"]}");
        EXPECT_NO_THROW(loadConfig(dir / ".dbarch.json")) << name;
    }
    Config config = defaultConfig("/tmp");
    for (const char* pack : {"builtin:libpq", "builtin:libpqxx", "builtin:soci", "builtin:sqlite3", "builtin:mysql", "builtin:default"})
        EXPECT_NE(std::find(config.packs.begin(), config.packs.end(), pack), config.packs.end()) << pack;
    EXPECT_EQ(config.handler.functions,
              (std::vector<std::string>{"dbarch::handler::get_background_session", "dbarch::handler::get_session"}));
    EXPECT_TRUE(config.projectHandler.empty());
}

TEST(BuiltinPacks, RuleIdsOfThePacksHaveDocs) {
    Config config = defaultConfig("/tmp");
    for (const auto& rule : config.rules)
        EXPECT_TRUE(embeddedRuleDocs().count(rule.id)) << rule.id << " from " << rule.origin << " has no rules/docs page";
    for (const char* id : {"dbarch-direct-connection", "dbarch-prepared-statement", "dbarch-hardcoded-credentials", "dbarch-driver-include"})
        EXPECT_TRUE(std::any_of(config.rules.begin(), config.rules.end(), [&](const Rule& r) { return r.id == id; })) << id;
}

TEST(BuiltinPacks, DriverIncludeIsOffUnlessEnabled) {
    Config config = defaultConfig("/tmp");
    for (const auto& rule : config.rules)
        if (rule.id == "dbarch-driver-include") EXPECT_FALSE(rule.enabled) << rule.origin;
    EXPECT_EQ(errorFor(R"({"enable": ["dbarch-driver-include"]})"), "");
}

TEST(ProjectConfig, MinimalShapeFromTheIssueLoads) {
    TempDir dir;
    writeFile(dir / ".dbarch.json", R"({ "extends": ["builtin:libpq", "builtin:libpqxx", "builtin:soci", "builtin:sqlite3", "builtin:mysql"],
      "handler": { "functions": ["shop::db::get_background_session"], "classes": ["shop::db::ConnectionPool"],
                   "namespaces": [], "paths": ["src/db/**"] },
      "exclude": ["third_party/**"],
      "rules": [ ] })");
    Config config = loadConfig(dir / ".dbarch.json");
    EXPECT_EQ(config.root, dir.path());
    EXPECT_EQ(config.projectHandler.functions, std::vector<std::string>{"shop::db::get_background_session"});
    EXPECT_TRUE(config.isExcluded("third_party/x/y.cpp"));
    EXPECT_FALSE(config.isExcluded("src/y.cpp"));
}

TEST(ProjectConfig, UserRulesOfEveryKind) {
    TempDir dir;
    writeFile(dir / ".dbarch.json", R"json({ "extends": [], "rules": [
      {"id": "no-raw-redis", "kind": "construct", "types": ["redis::Client"], "message": "use pool::redis()", "severity": "warning"},
      {"id": "no-getenv", "kind": "call", "functions": ["getenv"], "message": "use config::get()", "allow": {"paths": ["src/config/**"]}},
      {"id": "no-hiredis", "kind": "include", "headers": ["hiredis/*"], "message": "include <pool/redis.hpp>"},
      {"id": "no-redis-url", "kind": "literal", "pattern": "redis://[^@]+:[^@]+@", "message": "read REDIS_URL"} ]})json");
    Config config = loadConfig(dir / ".dbarch.json");
    ASSERT_EQ(config.rules.size(), 4u);
    EXPECT_EQ(config.rules[0].kind, RuleKind::Construct);
    EXPECT_EQ(config.rules[0].severity, Severity::Warning);
    EXPECT_EQ(config.rules[1].allow.paths, std::vector<std::string>{"src/config/**"});
    EXPECT_EQ(config.rules[3].kind, RuleKind::Literal);
    EXPECT_EQ(config.rules[0].messageFor("redis::Client"), "use pool::redis()");
}

TEST(ProjectConfig, MessagePlaceholder) {
    Rule rule;
    rule.message = "constructs {symbol}; {symbol} is forbidden";
    EXPECT_EQ(rule.messageFor("pqxx::connection"), "constructs pqxx::connection; pqxx::connection is forbidden");
}

TEST(ConfigErrors, InvalidJsonNamesLineAndColumn) {
    std::string error = errorFor("{\n  \"extends\": [\"builtin:libpq\",]\n}");
    EXPECT_EQ(error.rfind(".dbarch.json:2:", 0), 0u) << error;
    EXPECT_NE(error.find("invalid JSON"), std::string::npos) << error;
}

TEST(ConfigErrors, UnknownKeySuggestsTheClosest) {
    std::string error = errorFor(R"({"handlr": {}})");
    EXPECT_NE(error.find("at /handlr"), std::string::npos) << error;
    EXPECT_NE(error.find("did you mean 'handler'"), std::string::npos) << error;
    error = errorFor(R"({"handler": {"function": ["a::b"]}})");
    EXPECT_NE(error.find("at /handler/function"), std::string::npos) << error;
    EXPECT_NE(error.find("did you mean 'functions'"), std::string::npos) << error;
}

TEST(ConfigErrors, UnknownBuiltinSuggestsTheClosest) {
    std::string error = errorFor(R"({"extends": ["builtin:libpqq"]})");
    EXPECT_NE(error.find("at /extends/0"), std::string::npos) << error;
    EXPECT_NE(error.find("did you mean 'builtin:libpq'"), std::string::npos) << error;
}

TEST(ConfigErrors, WrongTypes) {
    EXPECT_NE(errorFor(R"({"handler": {"functions": "a::b"}})").find("at /handler/functions: expected an array of strings, got a string"), std::string::npos);
    EXPECT_NE(errorFor(R"({"handler": {"paths": ["ok/**", 3]}})").find("at /handler/paths/1: expected a string, got a number"), std::string::npos);
    EXPECT_NE(errorFor(R"([1, 2])").find("expected an object, got an array"), std::string::npos);
    EXPECT_NE(errorFor(R"({"rules": [{"id": "x", "kind": "call", "functions": ["f"], "message": "m", "enabled": "yes"}]})")
                  .find("at /rules/0/enabled: expected a boolean"), std::string::npos);
}

TEST(ConfigErrors, RuleKindsAndTheirFields) {
    std::string error = errorFor(R"({"rules": [{"id": "x", "kind": "calls", "functions": ["f"], "message": "m"}]})");
    EXPECT_NE(error.find("at /rules/0/kind: unknown rule kind 'calls'; did you mean 'call'?"), std::string::npos) << error;
    error = errorFor(R"({"rules": [{"id": "x", "kind": "construct", "functions": ["f"], "message": "m"}]})");
    EXPECT_NE(error.find("at /rules/0/functions: 'functions' belongs to kind 'call'; kind 'construct' takes 'types'"), std::string::npos) << error;
    error = errorFor(R"({"rules": [{"id": "x", "kind": "call", "message": "m"}]})");
    EXPECT_NE(error.find("at /rules/0: kind 'call' needs 'functions'"), std::string::npos) << error;
    error = errorFor(R"({"rules": [{"id": "x", "kind": "call", "functions": ["f"]}]})");
    EXPECT_NE(error.find("at /rules/0: missing required key 'message'"), std::string::npos) << error;
    error = errorFor(R"({"rules": [{"id": "x", "kind": "call", "functions": ["f("], "message": "m"}]})");
    EXPECT_NE(error.find("at /rules/0/functions/0: 'f(' is not a qualified C++ name"), std::string::npos) << error;
    error = errorFor(R"({"rules": [{"id": "x", "kind": "call", "functions": ["f"], "message": "m", "severity": "fatal"}]})");
    EXPECT_NE(error.find("at /rules/0/severity: unknown severity 'fatal'"), std::string::npos) << error;
}

TEST(ConfigErrors, MalformedGlobAndRegex) {
    std::string error = errorFor(R"({"handler": {"paths": ["src/[db"]}})");
    EXPECT_NE(error.find("at /handler/paths/0: malformed glob 'src/[db'"), std::string::npos) << error;
    error = errorFor(R"({"exclude": ["gen**"]})");
    EXPECT_NE(error.find("at /exclude/0: malformed glob"), std::string::npos) << error;
    error = errorFor(R"({"rules": [{"id": "x", "kind": "literal", "pattern": "pass(word", "message": "m"}]})");
    EXPECT_NE(error.find("at /rules/0/pattern: malformed regular expression 'pass(word'"), std::string::npos) << error;
}

TEST(ConfigErrors, EnableDisableSeverityMustMatchARule) {
    std::string error = errorFor(R"({"disable": ["dbarch-direct-conection"]})");
    EXPECT_NE(error.find("at /disable/0: 'dbarch-direct-conection' matches no rule; did you mean 'dbarch-direct-connection'?"),
              std::string::npos) << error;
    error = errorFor(R"({"severity": {"dbarch-prepared-statement": "info"}})");
    EXPECT_NE(error.find("at /severity/dbarch-prepared-statement: unknown severity 'info'"), std::string::npos) << error;
    EXPECT_EQ(errorFor(R"({"disable": ["dbarch-hardcoded-*"], "severity": {"dbarch-prepared-statement": "warning"}})"), "");
}

TEST(ConfigErrors, ExtendsAFileAndDetectsCycles) {
    TempDir dir;
    writeFile(dir / "team.json", R"({"pack": "team", "extends": ["builtin:libpq"], "handler": {"functions": ["team::db::open"]}})");
    writeFile(dir / ".dbarch.json", R"({"extends": ["team.json"]})");
    Config config = loadConfig(dir / ".dbarch.json");
    EXPECT_EQ(config.handler.functions, std::vector<std::string>{"team::db::open"});
    writeFile(dir / "a.json", R"({"extends": ["b.json"]})");
    writeFile(dir / "b.json", R"({"extends": ["a.json"]})");
    writeFile(dir / ".dbarch.json", R"({"extends": ["a.json"]})");
    try {
        loadConfig(dir / ".dbarch.json");
        FAIL() << "a cycle must be an error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("extends itself"), std::string::npos) << e.what();
    }
    writeFile(dir / ".dbarch.json", R"({"extends": ["missing.json"]})");
    EXPECT_THROW(loadConfig(dir / ".dbarch.json"), ConfigError);
}

TEST(ConfigDiscovery, WalksUpFromTheWorkingDirectory) {
    TempDir dir;
    writeFile(dir / ".dbarch.json", "{}");
    std::filesystem::create_directories(dir / "src" / "deep");
    EXPECT_EQ(discoverConfig(dir / "src" / "deep"), dir / ".dbarch.json");
}

TEST(ConfigFingerprint, ChangesWithTheRules) {
    TempDir dir;
    writeFile(dir / ".dbarch.json", R"({"extends": ["builtin:libpq"]})");
    std::string a = loadConfig(dir / ".dbarch.json").fingerprint();
    writeFile(dir / ".dbarch.json", R"({"extends": ["builtin:libpq"], "disable": ["dbarch-prepared-statement"]})");
    std::string b = loadConfig(dir / ".dbarch.json").fingerprint();
    EXPECT_NE(a, b);
    EXPECT_EQ(b, loadConfig(dir / ".dbarch.json").fingerprint());
}
