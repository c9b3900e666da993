// dbarch rules / dbarch explain: the rules in effect, and one rule's documentation.
#include <iomanip>
#include <iostream>
#include <map>

#include "cli/Commands.hpp"
#include "cli/Pipeline.hpp"
#include "cli/Shared.hpp"
#include "report/RuleInfo.hpp"
#include "config/Embedded.hpp"
#include "util/Text.hpp"

namespace fs = std::filesystem;

namespace dbarch {

Config loadEffectiveConfig(const std::string& configFile, const fs::path& cwd) {
    if (!configFile.empty()) return loadConfig(cwd / configFile);
    fs::path found = discoverConfig(cwd);
    return found.empty() ? defaultConfig(cwd) : loadConfig(found);
}

namespace {

struct RuleGroup {
    std::vector<const Rule*> entries;
};

std::map<std::string, RuleGroup> groupById(const Config& config) {
    std::map<std::string, RuleGroup> groups;
    for (const auto& rule : config.rules) groups[rule.id].entries.push_back(&rule);
    return groups;
}

std::string describeTargets(const Rule& rule) {
    if (rule.kind == RuleKind::Literal) return "literal /" + rule.pattern + "/";
    return std::string(ruleKindName(rule.kind)) + ": " + joinStrings(rule.names, ", ");
}

int rules(const std::string& configFile) {
    std::error_code ec;
    Config config = loadEffectiveConfig(configFile, fs::current_path(ec));
    const auto& docs = embeddedRuleDocs();
    for (const auto& [id, group] : groupById(config)) {
        const Rule& first = *group.entries.front();
        bool enabled = false;
        for (const Rule* r : group.entries) enabled = enabled || r->enabled;
        auto doc = docs.find(id);
        std::string summary = doc != docs.end() ? ruleSummaryFromDoc(doc->second) : first.message;
        std::cout << std::left << std::setw(32) << id << " " << std::setw(8) << severityName(first.severity) << " "
                  << (enabled ? "" : "(disabled) ") << summary << "\n";
        for (const Rule* r : group.entries)
            std::cout << "    " << r->origin << ": " << describeTargets(*r) << (r->enabled ? "" : " [disabled]") << "\n";
    }
    std::cout << "\nRun 'dbarch explain RULE' for what a rule forbids, why, and what to do instead.\n";
    return kExitClean;
}

int explain(const std::string& ruleId, const std::string& configFile) {
    std::error_code ec;
    Config config = loadEffectiveConfig(configFile, fs::current_path(ec));
    auto groups = groupById(config);
    const auto& docs = embeddedRuleDocs();
    auto doc = docs.find(ruleId);
    auto group = groups.find(ruleId);
    if (doc == docs.end() && group == groups.end()) {
        std::vector<std::string> ids;
        for (const auto& [id, g] : groups) ids.push_back(id);
        for (const auto& [id, d] : docs) ids.push_back(id);
        std::string hint = closestMatch(ruleId, ids);
        std::cerr << "dbarch: error: unknown rule '" << ruleId << "'" << (hint.empty() ? "" : "; did you mean '" + hint + "'?")
                  << " (see 'dbarch rules')\n";
        return kExitUsage;
    }
    if (doc != docs.end()) std::cout << doc->second;
    if (group != groups.end()) {
        std::cout << (doc != docs.end() ? "\n" : "# " + ruleId + "\n\n") << "## In this configuration\n\n";
        for (const Rule* r : group->second.entries) {
            std::cout << "- " << r->origin << r->pointer << " (" << severityName(r->severity) << (r->enabled ? "" : ", disabled")
                      << "): " << describeTargets(*r) << "\n  message: " << r->message << "\n";
        }
    }
    return kExitClean;
}

}  // namespace

int runRules(const std::string& configFile) {
    return guarded([&] { return rules(configFile); });
}

int runExplain(const std::string& ruleId, const std::string& configFile) {
    return guarded([&] { return explain(ruleId, configFile); });
}

}  // namespace dbarch
