#include "findings/Finding.hpp"

#include <algorithm>
#include <tuple>

namespace dbarch {

const char* severityName(Severity severity) {
    return severity == Severity::Error ? "error" : "warning";
}

bool findingLess(const Finding& a, const Finding& b) {
    return std::tie(a.file, a.line, a.column, a.rule, a.message) <
           std::tie(b.file, b.line, b.column, b.rule, b.message);
}

void sortFindings(std::vector<Finding>& findings) {
    std::stable_sort(findings.begin(), findings.end(), findingLess);
}

}  // namespace dbarch
