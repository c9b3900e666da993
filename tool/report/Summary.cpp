#include "report/Report.hpp"

namespace dbarch {
namespace {

std::string plural(size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

// Same wording as the text reporter's last line, so CI logs read like a local run.
std::string summaryLine(const Report& report) {
    std::string out = "dbarch: ";
    if (report.findings.empty()) out += "no violations";
    else
        out += plural(report.findings.size(), "violation") + " (" + plural(report.count(Severity::Error), "error") +
               ", " + plural(report.count(Severity::Warning), "warning") + ")";
    out += " in " + plural(report.unitsChecked, "translation unit") + " (" + plural(report.filesAnalysed, "project file") + ")";
    if (report.suppressed) out += "; " + std::to_string(report.suppressed) + " suppressed by NOLINT";
    if (!report.errors.empty())
        out += "; " + plural(report.errors.size(), "file") + " could not be analysed (results are incomplete)";
    return out;
}

}  // namespace dbarch
