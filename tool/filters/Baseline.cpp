#include "filters/Baseline.hpp"

#include <map>
#include <tuple>

#include "findings/Fingerprint.hpp"

namespace dbarch {
namespace {

using nlohmann::json;
using Key = std::tuple<std::string, std::string, std::string, std::string>;  // file, rule, function, text

constexpr int kVersion = 1;

Key keyOf(const Finding& f) {
    return {f.file, f.rule, f.function, normalizeSourceText(f.context)};
}

Key keyOf(const BaselineEntry& e) {
    return {e.file, e.rule, e.function, e.text};
}

// Counts per key, in key order: the sorted, merged entries.
std::vector<BaselineEntry> toEntries(const std::map<Key, size_t>& counts) {
    std::vector<BaselineEntry> entries;
    for (const auto& [key, count] : counts) {
        const auto& [file, rule, function, text] = key;
        entries.push_back({rule, file, function, text, count});
    }
    return entries;
}

std::string entryLine(const BaselineEntry& e) {
    nlohmann::ordered_json j = {{"rule", e.rule}, {"file", e.file}, {"function", e.function}, {"text", e.text}, {"count", e.count}};
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string stringField(const json& entry, const char* key, const std::string& where, const std::string& pointer) {
    if (!entry.contains(key)) input::fail(where, pointer, std::string("missing required key '") + key + "'");
    const json& v = entry[key];
    if (!v.is_string()) input::fail(where, pointer + "/" + key, std::string("expected a string, got ") + input::typeName(v));
    return v.get<std::string>();
}

size_t countField(const json& entry, const std::string& where, const std::string& pointer) {
    if (!entry.contains("count")) return 1;
    const json& v = entry["count"];
    if (!v.is_number_unsigned() || v.get<unsigned long long>() == 0)
        input::fail(where, pointer + "/count", std::string("expected a positive integer, got ") +
                                                   (v.is_number() ? v.dump() : input::typeName(v)));
    return v.get<size_t>();
}

BaselineEntry readEntry(const json& j, const std::string& where, const std::string& pointer) {
    if (!j.is_object()) input::fail(where, pointer, std::string("expected an object, got ") + input::typeName(j));
    for (const auto& [key, value] : j.items())
        if (key != "rule" && key != "file" && key != "function" && key != "text" && key != "count")
            input::fail(where, pointer + "/" + key, "unknown key '" + key + "' (allowed: rule, file, function, text, count)");
    BaselineEntry e;
    e.rule = stringField(j, "rule", where, pointer);
    e.file = stringField(j, "file", where, pointer);
    e.function = stringField(j, "function", where, pointer);
    // Normalised again: a hand-edited entry with different spacing still matches.
    e.text = normalizeSourceText(stringField(j, "text", where, pointer));
    e.count = countField(j, where, pointer);
    return e;
}

}  // namespace

std::string writeBaseline(const std::vector<Finding>& findings) {
    std::map<Key, size_t> counts;
    for (const auto& f : findings) ++counts[keyOf(f)];
    std::vector<BaselineEntry> entries = toEntries(counts);
    std::string out = "{\n  \"version\": " + std::to_string(kVersion) + ",\n  \"entries\": [";
    for (size_t i = 0; i < entries.size(); ++i) out += (i ? ",\n    " : "\n    ") + entryLine(entries[i]);
    out += entries.empty() ? "]\n}\n" : "\n  ]\n}\n";
    return out;
}

Baseline loadBaseline(const std::string& text, const std::string& path) {
    json doc = input::parseJson(text, path);
    if (!doc.is_object()) input::fail(path, "", std::string("expected an object, got ") + input::typeName(doc));
    for (const auto& [key, value] : doc.items())
        if (key != "version" && key != "entries")
            input::fail(path, "/" + key, "unknown key '" + key + "' (allowed: version, entries)");
    if (!doc.contains("version")) input::fail(path, "", "missing required key 'version'");
    if (doc["version"] != kVersion)
        input::fail(path, "/version", "unsupported baseline version " + doc["version"].dump() + " (this dbarch reads version " +
                                          std::to_string(kVersion) + "; regenerate the baseline)");
    if (!doc.contains("entries")) input::fail(path, "", "missing required key 'entries'");
    const json& entries = doc["entries"];
    if (!entries.is_array()) input::fail(path, "/entries", std::string("expected an array, got ") + input::typeName(entries));
    std::map<Key, size_t> counts;
    for (size_t i = 0; i < entries.size(); ++i) {
        BaselineEntry e = readEntry(entries[i], path, "/entries/" + std::to_string(i));
        counts[keyOf(e)] += e.count;
    }
    return {toEntries(counts)};
}

BaselineOutcome applyBaseline(std::vector<Finding> findings, const Baseline& baseline) {
    std::map<Key, size_t> remaining;
    for (const auto& e : baseline.entries) remaining[keyOf(e)] += e.count;
    BaselineOutcome outcome;
    for (auto& f : findings) {
        auto it = remaining.find(keyOf(f));
        if (it != remaining.end() && it->second > 0) {
            --it->second;
            ++outcome.baselined;
        } else {
            outcome.fresh.push_back(std::move(f));
        }
    }
    std::erase_if(remaining, [](const auto& item) { return item.second == 0; });
    outcome.fixed = toEntries(remaining);
    return outcome;
}

std::string baselineSummary(const BaselineOutcome& outcome) {
    size_t fixed = 0;
    for (const auto& e : outcome.fixed) fixed += e.count;
    return std::to_string(outcome.baselined) + " baselined, " + std::to_string(outcome.fresh.size()) + " new, " +
           std::to_string(fixed) + " fixed";
}

}  // namespace dbarch
