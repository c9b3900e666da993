#include "report/RuleInfo.hpp"

#include <algorithm>
#include <map>

#include "config/Embedded.hpp"
#include "util/Text.hpp"

namespace dbarch {
namespace {

// Joins a markdown paragraph's lines into one line.
std::string oneLine(std::string_view paragraph) {
    std::string text(paragraph);
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return trim(text);
}

std::string_view paragraphAt(std::string_view doc, size_t at) {
    size_t end = doc.find("\n\n", at);
    return doc.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
}

RuleInfo fromEntries(const std::string& id, const std::vector<const Rule*>& entries) {
    RuleInfo info;
    info.id = id;
    info.enabled = false;
    info.level = entries.front()->severity;
    bool enabledError = false;
    for (const Rule* r : entries) {
        info.enabled = info.enabled || r->enabled;
        enabledError = enabledError || (r->enabled && r->severity == Severity::Error);
    }
    if (enabledError) info.level = Severity::Error;
    else if (info.enabled)
        for (const Rule* r : entries)
            if (r->enabled) {
                info.level = r->severity;
                break;
            }
    info.summary = oneLine(entries.front()->message);
    info.description = info.summary;
    return info;
}

void addDoc(RuleInfo& info) {
    const auto& docs = embeddedRuleDocs();
    auto doc = docs.find(info.id);
    if (doc == docs.end()) return;
    std::string summary = ruleSummaryFromDoc(doc->second);
    if (!summary.empty()) info.summary = summary;
    info.description = std::string(doc->second);
    info.helpMarkdown = std::string(doc->second);
}

}  // namespace

std::string ruleSummaryFromDoc(std::string_view doc) {
    static constexpr std::string_view marker = "**Forbids:**";
    size_t at = doc.find(marker);
    if (at != std::string_view::npos) return oneLine(paragraphAt(doc, at + marker.size()));
    for (size_t start = 0; start < doc.size();) {
        std::string_view paragraph = paragraphAt(doc, start);
        std::string text = oneLine(paragraph);
        if (!text.empty() && text[0] != '#') return text;
        start += paragraph.size() + 2;
    }
    return {};
}

std::vector<RuleInfo> describeRules(const Config& config) {
    std::map<std::string, std::vector<const Rule*>> byId;
    for (const auto& rule : config.rules) byId[rule.id].push_back(&rule);
    std::vector<RuleInfo> out;
    for (const auto& [id, entries] : byId) out.push_back(fromEntries(id, entries));
    if (!byId.count("dbarch-nolint")) {
        RuleInfo nolint;
        nolint.id = "dbarch-nolint";
        nolint.summary = nolint.description = "unmatched NOLINTBEGIN/NOLINTEND comments";
        out.push_back(nolint);
    }
    for (auto& info : out) addDoc(info);
    std::sort(out.begin(), out.end(), [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
    return out;
}

}  // namespace dbarch
