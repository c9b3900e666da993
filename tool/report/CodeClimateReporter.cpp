// GitLab Code Quality: a Code Climate issue array. GitLab compares the fingerprints of the merge
// request's report with the target branch's to show new and resolved issues, so fingerprints
// must be unique per issue and stable across unrelated edits (findings/Fingerprint.hpp).
#include <nlohmann/json.hpp>

#include "findings/Fingerprint.hpp"
#include "findings/PathFrame.hpp"
#include "report/Report.hpp"

namespace dbarch {
namespace {

using nlohmann::ordered_json;

// GitLab's scale is info < minor < major < critical < blocker. Errors fail the build, so they
// rank above warnings, and an unanalysed file ranks above both: it may hide anything.
const char* gitlabSeverity(Severity severity) {
    return severity == Severity::Error ? "major" : "minor";
}
constexpr const char* kAnalysisErrorSeverity = "critical";

ordered_json location(const Report& report, const std::string& file, unsigned line) {
    return {{"path", inFrame(report.pathPrefix, file)}, {"lines", {{"begin", line ? line : 1}}}};
}

ordered_json issue(const Report& report, const Finding& f, const std::string& fingerprint) {
    ordered_json i;
    i["type"] = "issue";
    i["check_name"] = f.rule;
    i["description"] = f.message;
    i["categories"] = {"Bug Risk"};
    i["severity"] = gitlabSeverity(f.severity);
    i["fingerprint"] = fingerprint;
    i["location"] = location(report, f.file, f.line);
    return i;
}

// Fingerprints of analysis errors: stable per file, distinct from any finding's (the rule id
// "dbarch-analysis" is never a rule's), unique when a file has several.
std::vector<std::string> errorFingerprints(const std::vector<AnalysisError>& errors) {
    std::vector<Finding> keys(errors.size());
    for (size_t i = 0; i < errors.size(); ++i) keys[i].rule = "dbarch-analysis", keys[i].file = errors[i].file;
    return uniqueFingerprints(keys);
}

ordered_json analysisIssue(const Report& report, const AnalysisError& e, const std::string& fingerprint) {
    ordered_json i;
    i["type"] = "issue";
    i["check_name"] = "dbarch-analysis";
    i["description"] = e.message;
    i["categories"] = {"Bug Risk"};
    i["severity"] = kAnalysisErrorSeverity;
    i["fingerprint"] = fingerprint;
    i["location"] = location(report, e.file, 1);
    return i;
}

}  // namespace

void writeCodeClimate(std::ostream& out, const Report& report) {
    ordered_json issues = ordered_json::array();
    std::vector<std::string> fingerprints = uniqueFingerprints(report.findings);
    for (size_t i = 0; i < report.findings.size(); ++i) issues.push_back(issue(report, report.findings[i], fingerprints[i]));
    std::vector<std::string> errorPrints = errorFingerprints(report.errors);
    for (size_t i = 0; i < report.errors.size(); ++i) issues.push_back(analysisIssue(report, report.errors[i], errorPrints[i]));
    out << issues.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace dbarch
