// SARIF 2.1.0. Paths are written relative to %SRCROOT% (the project root, or the repository's top
// level when Report::pathPrefix is set), which is what GitHub code scanning resolves against the
// checkout; originalUriBaseIds says where %SRCROOT% was on the machine that ran dbarch.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "findings/Fingerprint.hpp"
#include "findings/PathFrame.hpp"
#include "findings/Utf8.hpp"
#include "report/Report.hpp"

namespace dbarch {
namespace {

using nlohmann::ordered_json;

constexpr const char* kSrcRoot = "%SRCROOT%";
constexpr const char* kFingerprintName = "dbarchFindingKey/v1";

const char* levelName(Severity severity) {
    return severity == Severity::Error ? "error" : "warning";
}

std::string docsBase(const Report& report) {
    std::string base = report.docsUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

// A project file relative to %SRCROOT%; a file outside the project (absolute) as a file:// URI,
// which must not carry a uriBaseId.
ordered_json artifactLocation(const Report& report, const std::string& file) {
    if (!file.empty() && file.front() == '/') return {{"uri", "file://" + percentEncodePath(file)}};
    return {{"uri", percentEncodePath(inFrame(report.pathPrefix, file))}, {"uriBaseId", kSrcRoot}};
}

// SARIF counts columns in UTF-16 code units by default; clang (and Finding) counts bytes. The
// source line lets us convert; without it the byte column is the best we have.
unsigned utf16Column(const std::string& line, unsigned byteColumn) {
    if (byteColumn == 0 || line.empty() || byteColumn - 1 > line.size()) return byteColumn;
    return static_cast<unsigned>(utf16Length(std::string_view(line).substr(0, byteColumn - 1))) + 1;
}

ordered_json region(unsigned line, unsigned column, const std::string& sourceLine) {
    ordered_json r;
    r["startLine"] = line;
    if (column) r["startColumn"] = utf16Column(sourceLine, column);
    return r;
}

// The region (start only) runs to the end of the line, so the whole source line is the snippet of
// the context region (one line), not of the region itself.
ordered_json physicalLocation(const Report& report, const std::string& file, unsigned line, unsigned column,
                              const std::string& sourceLine) {
    ordered_json p;
    p["artifactLocation"] = artifactLocation(report, file);
    if (!line) return p;  // startLine must be >= 1: a file-level location
    p["region"] = region(line, column, sourceLine);
    if (!sourceLine.empty()) p["contextRegion"] = {{"startLine", line}, {"snippet", {{"text", sourceLine}}}};
    return p;
}

ordered_json ruleDescriptor(const Report& report, const RuleInfo& rule) {
    ordered_json d;
    d["id"] = rule.id;
    d["shortDescription"] = {{"text", rule.summary}};
    d["fullDescription"] = {{"text", rule.description.empty() ? rule.summary : rule.description}};
    ordered_json help = {{"text", rule.helpMarkdown.empty() ? rule.summary : rule.helpMarkdown}};
    if (!rule.helpMarkdown.empty()) help["markdown"] = rule.helpMarkdown;
    d["help"] = help;
    // Only built-in rules have a page under rules/docs/; a project's own rule links nowhere.
    if (!report.docsUrl.empty() && !rule.helpMarkdown.empty()) d["helpUri"] = docsBase(report) + "/rules/docs/" + rule.id + ".md";
    d["defaultConfiguration"] = {{"enabled", rule.enabled}, {"level", levelName(rule.level)}};
    return d;
}

// Report::rules, plus a minimal descriptor for any rule a finding names that the configuration
// did not describe, so every result's ruleIndex is valid.
std::vector<RuleInfo> rulesFor(const Report& report) {
    std::vector<RuleInfo> rules = report.rules;
    for (const auto& f : report.findings) {
        bool known = std::any_of(rules.begin(), rules.end(), [&](const RuleInfo& r) { return r.id == f.rule; });
        if (known) continue;
        RuleInfo info;
        info.id = f.rule;
        info.summary = info.description = "dbarch rule " + f.rule;
        info.level = f.severity;
        rules.push_back(info);
    }
    return rules;
}

ordered_json relatedLocations(const Report& report, const Finding& f) {
    ordered_json related = ordered_json::array();
    int id = 1;
    for (const auto& note : f.notes) {
        ordered_json location;
        location["id"] = id++;
        if (!note.file.empty()) location["physicalLocation"] = physicalLocation(report, note.file, note.line, note.column, "");
        location["message"] = {{"text", note.message}};
        related.push_back(std::move(location));
    }
    return related;
}

ordered_json result(const Report& report, const Finding& f, size_t ruleIndex, const std::string& fingerprint) {
    ordered_json r;
    r["ruleId"] = f.rule;
    r["ruleIndex"] = ruleIndex;
    r["level"] = levelName(f.severity);
    r["message"] = {{"text", f.message}};
    r["locations"] = ordered_json::array({{{"physicalLocation", physicalLocation(report, f.file, f.line, f.column, f.context)}}});
    r["partialFingerprints"] = {{kFingerprintName, fingerprint}};
    if (!f.notes.empty()) r["relatedLocations"] = relatedLocations(report, f);
    return r;
}

ordered_json notification(const Report& report, const char* level, const std::string& message, const std::string& file,
                          const char* descriptorId) {
    ordered_json n;
    if (!file.empty())
        n["locations"] = ordered_json::array({{{"physicalLocation", {{"artifactLocation", artifactLocation(report, file)}}}}});
    n["message"] = {{"text", message}};
    n["level"] = level;
    n["descriptor"] = {{"id", descriptorId}};
    return n;
}

// Analysis errors mean the results are incomplete: executionSuccessful is false, so a consumer
// never takes a partial run for a clean one.
ordered_json invocation(const Report& report) {
    ordered_json inv;
    inv["executionSuccessful"] = report.errors.empty();
    if (!report.errors.empty()) {
        ordered_json list = ordered_json::array();
        for (const auto& e : report.errors) list.push_back(notification(report, "error", e.message, e.file, "dbarch-analysis"));
        inv["toolExecutionNotifications"] = list;
    }
    if (!report.warnings.empty()) {
        ordered_json list = ordered_json::array();
        for (const auto& w : report.warnings) list.push_back(notification(report, "warning", w.message, "", "dbarch-config"));
        inv["toolConfigurationNotifications"] = list;
    }
    return inv;
}

ordered_json driver(const Report& report, const std::vector<RuleInfo>& rules) {
    ordered_json d;
    d["name"] = "dbarch";
    d["version"] = report.toolVersion.empty() ? "unknown" : report.toolVersion;
    if (!report.docsUrl.empty()) d["informationUri"] = docsBase(report);
    d["rules"] = ordered_json::array();
    for (const auto& rule : rules) d["rules"].push_back(ruleDescriptor(report, rule));
    return d;
}

ordered_json run(const Report& report) {
    std::vector<RuleInfo> rules = rulesFor(report);
    std::map<std::string, size_t> ruleIndex;
    for (size_t i = 0; i < rules.size(); ++i) ruleIndex.emplace(rules[i].id, i);

    ordered_json run;
    run["tool"] = {{"driver", driver(report, rules)}};
    run["invocations"] = ordered_json::array({invocation(report)});
    if (!report.rootUri.empty()) {
        std::string root = report.rootUri;
        if (root.back() != '/') root += '/';  // SARIF: a base URI must end with a slash
        run["originalUriBaseIds"] = {{kSrcRoot, {{"uri", root}}}};
    }
    if (!report.units.empty()) {
        ordered_json artifacts = ordered_json::array();
        for (const auto& unit : report.units)
            artifacts.push_back({{"location", artifactLocation(report, unit)}, {"roles", {"analysisTarget"}}});
        run["artifacts"] = artifacts;
    }
    run["results"] = ordered_json::array();
    std::vector<std::string> fingerprints = uniqueFingerprints(report.findings);
    for (size_t i = 0; i < report.findings.size(); ++i)
        run["results"].push_back(result(report, report.findings[i], ruleIndex.at(report.findings[i].rule), fingerprints[i]));
    run["columnKind"] = "utf16CodeUnits";
    return run;
}

}  // namespace

void writeSarif(std::ostream& out, const Report& report) {
    ordered_json doc;
    doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    doc["version"] = "2.1.0";
    doc["runs"] = ordered_json::array({run(report)});
    // Source lines may not be UTF-8 (a Latin-1 file); replace rather than throw mid-report.
    out << doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace dbarch
