// The effective configuration of one run: built-in packs + the project's .dbarch.json, validated.
// Pure data; no Clang. The analyzer resolves the names in here to declarations, once per unit.
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "findings/Finding.hpp"
#include "util/Regex.hpp"

namespace dbarch {

// Where code may do what the rules forbid elsewhere (the handler), or one rule's own exemptions.
struct Scope {
    std::vector<std::string> functions;   // qualified names; lambdas/local classes inside count
    std::vector<std::string> classes;     // every member function of these classes
    std::vector<std::string> namespaces;  // everything inside these namespaces
    std::vector<std::string> paths;       // path globs relative to the project root

    bool empty() const;
    void append(const Scope& other);
};

enum class RuleKind { Construct, Call, Include, Literal };

const char* ruleKindName(RuleKind kind);

struct Rule {
    std::string id;
    RuleKind kind = RuleKind::Call;
    std::vector<std::string> names;  // construct: types; call: functions; include: header globs
    std::string pattern;             // literal: ECMAScript regex searched in string literals
    std::shared_ptr<const Regex> compiled;  // literal: `pattern`, compiled once per run
    std::string message;             // what to do instead; "{symbol}" is replaced by the match
    Severity severity = Severity::Error;
    bool enabled = true;
    Scope allow;                     // this rule's own exemptions, besides the handler scope
    std::string origin;              // "builtin:libpq" or the config file's path
    std::string pointer;             // JSON pointer of the rule inside its origin, e.g. "/rules/2"

    // The message with {symbol} filled in.
    std::string messageFor(const std::string& symbol) const;
};

struct Config {
    std::filesystem::path root;      // project root: the config file's directory, else the cwd
    std::filesystem::path file;      // the config file; empty when running on defaults
    std::vector<std::string> packs;  // every pack loaded, in load order
    Scope handler;                   // approved scope: the packs' and the project's together
    Scope projectHandler;            // only what the project config wrote (checked for typos)
    std::vector<std::string> exclude;  // path globs never analysed or reported
    std::vector<Rule> rules;           // every rule, enabled or not, in load order

    std::vector<Rule> enabledRules() const;
    bool isExcluded(const std::string& relativePath) const;
    // Changes whenever anything that affects findings changes (cache keys).
    std::string fingerprint() const;
};

// A configuration problem. what() already names the place: "file:line:col: ..." or
// "file: at /json/pointer: ...".
class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Finds .dbarch.json in `start` or the nearest parent directory.
std::filesystem::path discoverConfig(const std::filesystem::path& start);

// Loads and validates a project config (throws ConfigError).
Config loadConfig(const std::filesystem::path& file);

// The configuration used when no .dbarch.json exists: builtin:default, rooted at `root`.
Config defaultConfig(const std::filesystem::path& root);

// The names of the built-in packs, for `dbarch rules` and error messages.
std::vector<std::string> builtinPackNames();

}  // namespace dbarch
