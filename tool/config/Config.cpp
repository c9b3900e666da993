#include "config/Config.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "config/Embedded.hpp"
#include "util/Glob.hpp"
#include "util/Json.hpp"
#include "util/Text.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace dbarch {

bool Scope::empty() const {
    return functions.empty() && classes.empty() && namespaces.empty() && paths.empty();
}

void Scope::append(const Scope& other) {
    auto add = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
        for (const auto& item : from)
            if (std::find(to.begin(), to.end(), item) == to.end()) to.push_back(item);
    };
    add(functions, other.functions);
    add(classes, other.classes);
    add(namespaces, other.namespaces);
    add(paths, other.paths);
}

const char* ruleKindName(RuleKind kind) {
    switch (kind) {
        case RuleKind::Construct: return "construct";
        case RuleKind::Call: return "call";
        case RuleKind::Include: return "include";
        case RuleKind::Literal: return "literal";
    }
    return "?";
}

std::string Rule::messageFor(const std::string& symbol) const {
    std::string out = message;
    for (size_t at = out.find("{symbol}"); at != std::string::npos; at = out.find("{symbol}", at + symbol.size()))
        out.replace(at, 8, symbol);
    return out;
}

std::vector<Rule> Config::enabledRules() const {
    std::vector<Rule> out;
    for (const auto& rule : rules)
        if (rule.enabled) out.push_back(rule);
    return out;
}

bool Config::isExcluded(const std::string& relativePath) const {
    return std::any_of(exclude.begin(), exclude.end(),
                       [&](const std::string& glob) { return pathGlobMatch(glob, relativePath); });
}

std::string Config::fingerprint() const {
    json j;
    auto scopeJson = [](const Scope& s) {
        return json{{"functions", s.functions}, {"classes", s.classes}, {"namespaces", s.namespaces}, {"paths", s.paths}};
    };
    j["root"] = root.string();
    j["handler"] = scopeJson(handler);
    j["exclude"] = exclude;
    for (const auto& r : rules) {
        if (!r.enabled) continue;
        j["rules"].push_back({{"id", r.id}, {"kind", ruleKindName(r.kind)}, {"names", r.names},
                              {"pattern", r.pattern}, {"message", r.message},
                              {"severity", severityName(r.severity)}, {"allow", scopeJson(r.allow)}});
    }
    return j.dump();
}

std::vector<std::string> builtinPackNames() {
    std::vector<std::string> names;
    for (const auto& [name, text] : embeddedPacks()) names.push_back(name);
    return names;
}

fs::path discoverConfig(const fs::path& start) {
    std::error_code ec;
    fs::path dir = fs::absolute(start, ec);
    while (!dir.empty()) {
        fs::path candidate = dir / ".dbarch.json";
        if (fs::is_regular_file(candidate, ec)) return candidate;
        if (dir == dir.parent_path()) break;
        dir = dir.parent_path();
    }
    return {};
}

namespace {

// Reads one JSON document (a project config or a pack) and validates it against the closed
// vocabulary below. Errors carry the document's name and a JSON pointer.
class Loader {
  public:
    explicit Loader(Config& config) : config_(config) {}

    void loadProject(const fs::path& file) {
        std::string text = readFile(file);
        std::string where = file.string();
        json doc = parse(text, where);
        expectObject(doc, where, "");
        checkKeys(doc, where, "", {"$schema", "extends", "handler", "exclude", "rules", "enable", "disable", "severity"});

        std::vector<std::string> extends{"builtin:default"};
        if (doc.contains("extends")) extends = stringList(doc["extends"], where, "/extends", true);
        for (size_t i = 0; i < extends.size(); ++i)
            loadExtends(extends[i], file.parent_path(), where, "/extends/" + std::to_string(i));

        if (doc.contains("handler")) {
            Scope scope = readScope(doc["handler"], where, "/handler");
            config_.projectHandler.append(scope);
            config_.handler.append(scope);
        }
        if (doc.contains("exclude")) {
            auto globs = stringList(doc["exclude"], where, "/exclude", false);
            for (size_t i = 0; i < globs.size(); ++i) checkGlob(globs[i], where, "/exclude/" + std::to_string(i));
            config_.exclude.insert(config_.exclude.end(), globs.begin(), globs.end());
        }
        if (doc.contains("rules")) readRules(doc["rules"], where, "/rules");
        if (doc.contains("enable")) switchRules(doc["enable"], where, "/enable", true);
        if (doc.contains("disable")) switchRules(doc["disable"], where, "/disable", false);
        if (doc.contains("severity")) overrideSeverity(doc["severity"], where, "/severity");
    }

    void loadBuiltin(const std::string& name, const std::string& where, const std::string& pointer) {
        const auto& packs = embeddedPacks();
        auto it = packs.find(name);
        if (it == packs.end()) {
            std::string hint = closestMatch(name, builtinPackNames());
            fail(where, pointer, "unknown built-in pack 'builtin:" + name + "'" +
                                     (hint.empty() ? "" : "; did you mean 'builtin:" + hint + "'?") +
                                     " (available: " + joinStrings(builtinPackNames(), ", ") + ")");
        }
        loadPack("builtin:" + name, std::string(it->second), {});
    }

  private:
    Config& config_;
    std::set<std::string> loaded_;
    std::vector<std::string> loading_;  // for cycle detection

    // A JSON pointer to the member `key` of the object at `pointer` (RFC 6901: '~' and '/' in
    // keys are escaped as "~0" and "~1").
    static std::string member(const std::string& pointer, const std::string& key) {
        std::string escaped;
        for (char c : key) escaped += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
        return pointer + "/" + escaped;
    }

    [[noreturn]] static void fail(const std::string& where, const std::string& pointer, const std::string& what) {
        throw ConfigError(where + ": " + (pointer.empty() ? "" : "at " + pointer + ": ") + what);
    }

    static std::string readFile(const fs::path& file) {
        std::ifstream in(file, std::ios::binary);
        if (!in) throw ConfigError(file.string() + ": cannot read the file");
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    static json parse(const std::string& text, const std::string& where) {
        try {
            return json::parse(text);
        } catch (const json::parse_error& e) {
            throw ConfigError(jsonSyntaxError(where, text, e));
        }
    }

    static const char* typeName(const json& j) {
        if (j.is_string()) return "a string";
        if (j.is_number()) return "a number";
        if (j.is_boolean()) return "a boolean";
        if (j.is_null()) return "null";
        if (j.is_array()) return "an array";
        return "an object";
    }

    static void expectObject(const json& j, const std::string& where, const std::string& pointer) {
        if (!j.is_object()) fail(where, pointer, std::string("expected an object, got ") + typeName(j));
    }

    static void checkKeys(const json& j, const std::string& where, const std::string& pointer,
                          const std::vector<std::string>& allowed) {
        for (const auto& [key, value] : j.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            std::string hint = closestMatch(key, allowed);
            fail(where, member(pointer, key),
                 "unknown key '" + key + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                     " (allowed: " + joinStrings(allowed, ", ") + ")");
        }
    }

    static std::string string(const json& j, const std::string& where, const std::string& pointer) {
        if (!j.is_string()) fail(where, pointer, std::string("expected a string, got ") + typeName(j));
        return j.get<std::string>();
    }

    static std::vector<std::string> stringList(const json& j, const std::string& where, const std::string& pointer,
                                               bool allowSingle) {
        if (allowSingle && j.is_string()) return {j.get<std::string>()};
        if (!j.is_array()) fail(where, pointer, std::string("expected an array of strings, got ") + typeName(j));
        std::vector<std::string> out;
        for (size_t i = 0; i < j.size(); ++i) out.push_back(string(j[i], where, pointer + "/" + std::to_string(i)));
        return out;
    }

    static void checkGlob(const std::string& glob, const std::string& where, const std::string& pointer) {
        if (auto error = globError(glob)) fail(where, pointer, "malformed glob '" + glob + "': " + *error);
    }

    static void checkQualifiedName(const std::string& name, const std::string& where, const std::string& pointer) {
        // The last component may be an operator: "soci::details::prepare_type::operator<<".
        static const Regex qualified(
            R"(^(::)?[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*(::operator\s*([-+*/%^&|~!=<>,]+|\(\)|\[\]|new|delete))?$)");
        if (!std::regex_match(name, qualified))
            fail(where, pointer, "'" + name + "' is not a qualified C++ name (expected e.g. \"ns::Class::method\", without parameters or template arguments)");
    }

    Scope readScope(const json& j, const std::string& where, const std::string& pointer) {
        expectObject(j, where, pointer);
        checkKeys(j, where, pointer, {"functions", "classes", "namespaces", "paths"});
        Scope scope;
        auto names = [&](const char* key, std::vector<std::string>& into) {
            if (!j.contains(key)) return;
            into = stringList(j[key], where, pointer + "/" + key, false);
            for (size_t i = 0; i < into.size(); ++i)
                checkQualifiedName(into[i], where, pointer + "/" + key + "/" + std::to_string(i));
        };
        names("functions", scope.functions);
        names("classes", scope.classes);
        names("namespaces", scope.namespaces);
        if (j.contains("paths")) {
            scope.paths = stringList(j["paths"], where, pointer + "/paths", false);
            for (size_t i = 0; i < scope.paths.size(); ++i)
                checkGlob(scope.paths[i], where, pointer + "/paths/" + std::to_string(i));
        }
        return scope;
    }

    void readRules(const json& j, const std::string& where, const std::string& pointer) {
        if (!j.is_array()) fail(where, pointer, std::string("expected an array of rules, got ") + typeName(j));
        for (size_t i = 0; i < j.size(); ++i) config_.rules.push_back(readRule(j[i], where, pointer + "/" + std::to_string(i)));
    }

    Rule readRule(const json& j, const std::string& where, const std::string& pointer) {
        static const std::vector<std::string> kinds{"construct", "call", "include", "literal"};
        // The one target field of each kind, in the order of `kinds`.
        static const std::vector<std::string> targets{"types", "functions", "headers", "pattern"};
        expectObject(j, where, pointer);
        checkKeys(j, where, pointer, {"id", "kind", "types", "functions", "headers", "pattern", "message", "severity", "enabled", "allow"});
        Rule rule;
        rule.origin = where;
        rule.pointer = pointer;
        for (const char* key : {"id", "kind", "message"})
            if (!j.contains(key)) fail(where, pointer, std::string("missing required key '") + key + "'");
        rule.id = string(j["id"], where, pointer + "/id");
        static const Regex idPattern(R"(^[A-Za-z0-9][A-Za-z0-9._-]*$)");
        if (!std::regex_match(rule.id, idPattern))
            fail(where, pointer + "/id", "rule id '" + rule.id + "' may only contain letters, digits, '-', '_' and '.'");
        std::string kind = string(j["kind"], where, pointer + "/kind");
        auto kindIt = std::find(kinds.begin(), kinds.end(), kind);
        if (kindIt == kinds.end()) {
            std::string hint = closestMatch(kind, kinds);
            fail(where, pointer + "/kind", "unknown rule kind '" + kind + "'" +
                                               (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                                               " (kinds: construct, call, include, literal)");
        }
        size_t k = kindIt - kinds.begin();
        rule.kind = static_cast<RuleKind>(k);
        const std::string& target = targets[k];
        for (size_t other = 0; other < targets.size(); ++other)
            if (other != k && j.contains(targets[other]))
                fail(where, pointer + "/" + targets[other],
                     "'" + targets[other] + "' belongs to kind '" + kinds[other] + "'; kind '" + kind + "' takes '" + target + "'");
        if (!j.contains(target)) fail(where, pointer, "kind '" + kind + "' needs '" + target + "'");
        if (rule.kind == RuleKind::Literal) {
            rule.pattern = string(j[target], where, pointer + "/pattern");
            try {
                // Compiled here, once: every unit's literal check shares it (read-only, so
                // threads may search with it at once).
                rule.compiled = std::make_shared<const Regex>(rule.pattern, std::regex::ECMAScript);
            } catch (const std::regex_error& e) {
                fail(where, pointer + "/pattern", "malformed regular expression '" + rule.pattern + "': " + e.what());
            }
        } else {
            rule.names = stringList(j[target], where, pointer + "/" + target, false);
            if (rule.names.empty()) fail(where, pointer + "/" + target, "expected at least one entry");
            for (size_t i = 0; i < rule.names.size(); ++i) {
                std::string at = pointer + "/" + target + "/" + std::to_string(i);
                if (rule.kind == RuleKind::Include) checkGlob(rule.names[i], where, at);
                else checkQualifiedName(rule.names[i], where, at);
            }
        }
        rule.message = string(j["message"], where, pointer + "/message");
        if (trim(rule.message).empty()) fail(where, pointer + "/message", "the message must say what to do instead; it is empty");
        if (j.contains("severity")) rule.severity = readSeverity(j["severity"], where, pointer + "/severity");
        if (j.contains("enabled")) {
            if (!j["enabled"].is_boolean()) fail(where, pointer + "/enabled", std::string("expected a boolean, got ") + typeName(j["enabled"]));
            rule.enabled = j["enabled"].get<bool>();
        }
        if (j.contains("allow")) rule.allow = readScope(j["allow"], where, pointer + "/allow");
        return rule;
    }

    static Severity readSeverity(const json& j, const std::string& where, const std::string& pointer) {
        std::string s = string(j, where, pointer);
        if (s == "error") return Severity::Error;
        if (s == "warning") return Severity::Warning;
        fail(where, pointer, "unknown severity '" + s + "' (expected \"error\" or \"warning\")");
    }

    std::vector<std::string> ruleIds() const {
        std::vector<std::string> ids;
        for (const auto& r : config_.rules)
            if (std::find(ids.begin(), ids.end(), r.id) == ids.end()) ids.push_back(r.id);
        return ids;
    }

    void switchRules(const json& j, const std::string& where, const std::string& pointer, bool on) {
        auto globs = stringList(j, where, pointer, false);
        for (size_t i = 0; i < globs.size(); ++i) {
            bool any = false;
            for (auto& rule : config_.rules)
                if (nameGlobMatch(globs[i], rule.id)) rule.enabled = on, any = true;
            if (!any) {
                std::string hint = closestMatch(globs[i], ruleIds());
                fail(where, pointer + "/" + std::to_string(i),
                     "'" + globs[i] + "' matches no rule" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
            }
        }
    }

    void overrideSeverity(const json& j, const std::string& where, const std::string& pointer) {
        expectObject(j, where, pointer);
        for (const auto& [id, value] : j.items()) {
            Severity severity = readSeverity(value, where, member(pointer, id));
            bool any = false;
            for (auto& rule : config_.rules)
                if (nameGlobMatch(id, rule.id)) rule.severity = severity, any = true;
            if (!any) {
                std::string hint = closestMatch(id, ruleIds());
                fail(where, member(pointer, id), "'" + id + "' matches no rule" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
            }
        }
    }

    void loadExtends(const std::string& entry, const fs::path& baseDir, const std::string& where, const std::string& pointer) {
        if (entry.rfind("builtin:", 0) == 0) {
            loadBuiltin(entry.substr(8), where, pointer);
            return;
        }
        fs::path file = baseDir / entry;
        std::error_code ec;
        if (!fs::is_regular_file(file, ec))
            fail(where, pointer, "'" + entry + "' is neither 'builtin:NAME' nor a readable pack file (looked for " + file.string() + ")");
        loadPack(fs::weakly_canonical(file, ec).string(), readFile(file), file.parent_path());
    }

    // A pack: {"pack", "description", "extends", "handler", "rules"}. Each pack loads once.
    void loadPack(const std::string& name, const std::string& text, const fs::path& baseDir) {
        if (loaded_.count(name)) return;
        if (std::find(loading_.begin(), loading_.end(), name) != loading_.end())
            throw ConfigError(name + ": extends itself (cycle: " + joinStrings(loading_, " -> ") + " -> " + name + ")");
        loading_.push_back(name);
        json doc = parse(text, name);
        expectObject(doc, name, "");
        checkKeys(doc, name, "", {"$schema", "pack", "description", "extends", "handler", "rules"});
        if (doc.contains("extends")) {
            auto extends = stringList(doc["extends"], name, "/extends", true);
            for (size_t i = 0; i < extends.size(); ++i) loadExtends(extends[i], baseDir, name, "/extends/" + std::to_string(i));
        }
        if (doc.contains("handler")) config_.handler.append(readScope(doc["handler"], name, "/handler"));
        if (doc.contains("rules")) readRules(doc["rules"], name, "/rules");
        loading_.pop_back();
        loaded_.insert(name);
        config_.packs.push_back(name);
    }
};

}  // namespace

Config loadConfig(const fs::path& file) {
    Config config;
    std::error_code ec;
    config.file = fs::absolute(file, ec);
    config.root = config.file.parent_path();
    if (!fs::is_regular_file(config.file, ec)) throw ConfigError(file.string() + ": no such config file");
    Loader(config).loadProject(config.file);
    return config;
}

Config defaultConfig(const fs::path& root) {
    Config config;
    std::error_code ec;
    config.root = fs::absolute(root, ec);
    Loader(config).loadBuiltin("default", "(defaults)", "");
    return config;
}

}  // namespace dbarch
