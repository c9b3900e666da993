// JUnit XML, for CI systems that show test reports (GitLab's test report, Jenkins): each checked
// translation unit is a test case that passes when it has no finding and was fully analysed.
#include <map>
#include <set>

#include "findings/Utf8.hpp"
#include "report/Report.hpp"

namespace dbarch {
namespace {

// XML 1.0 cannot carry most control characters at all, not even as character references, so
// they (and invalid UTF-8) become U+FFFD. In attributes, tab and newlines are written as
// references so that attribute-value normalisation does not turn them into spaces.
std::string escapeXml(const std::string& raw, bool attribute) {
    std::string out;
    for (char c : toValidUtf8(raw)) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            case '\t': out += attribute ? "&#9;" : "\t"; break;
            case '\n': out += attribute ? "&#10;" : "\n"; break;
            case '\r': out += "&#13;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) out += "\xEF\xBF\xBD";
                else out += c;
        }
    }
    return out;
}

std::string attr(const char* name, const std::string& value) {
    return std::string(" ") + name + "=\"" + escapeXml(value, true) + "\"";
}

struct TestCase {
    std::vector<const Finding*> findings;
    std::vector<const AnalysisError*> errors;
};

// The clang-style text of one finding, the failure's body.
std::string failureText(const Finding& f) {
    std::string text = f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + ": " +
                       severityName(f.severity) + ": " + f.message + " [" + f.rule + "]\n";
    if (!f.context.empty()) text += f.context + "\n";
    for (const auto& note : f.notes) {
        if (!note.file.empty())
            text += note.file + (note.line ? ":" + std::to_string(note.line) + ":" + std::to_string(note.column) : "") + ": ";
        text += "note: " + note.message + "\n";
    }
    return text;
}

// Units in check order, then every other file that has findings or errors (a header, a file
// that could not be read) in path order.
std::vector<std::pair<std::string, TestCase>> testCases(const Report& report) {
    std::map<std::string, TestCase> byFile;
    for (const auto& f : report.findings) byFile[f.file].findings.push_back(&f);
    for (const auto& e : report.errors) byFile[e.file].errors.push_back(&e);
    std::vector<std::pair<std::string, TestCase>> cases;
    std::set<std::string> units;
    for (const auto& unit : report.units) {
        if (!units.insert(unit).second) continue;
        auto it = byFile.find(unit);
        cases.emplace_back(unit, it == byFile.end() ? TestCase{} : it->second);
    }
    for (const auto& [file, tc] : byFile)
        if (!units.count(file)) cases.emplace_back(file, tc);
    return cases;
}

}  // namespace

// Counts follow JUnit's meaning, per test case: "errors" are cases with an analysis error (the
// check itself failed), "failures" the other cases with findings; so tests >= failures + errors.
void writeJunit(std::ostream& out, const Report& report) {
    auto cases = testCases(report);
    size_t failures = 0, errors = 0;
    for (const auto& [name, tc] : cases) {
        if (!tc.errors.empty()) ++errors;
        else if (!tc.findings.empty()) ++failures;
    }
    std::string counts = attr("tests", std::to_string(cases.size())) + attr("failures", std::to_string(failures)) +
                         attr("errors", std::to_string(errors));
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites" << attr("name", "dbarch") << counts << ">\n";
    out << "  <testsuite" << attr("name", "dbarch") << counts << attr("skipped", "0") << ">\n";
    for (const auto& [name, tc] : cases) {
        out << "    <testcase" << attr("classname", "dbarch") << attr("name", name) << attr("file", name);
        if (tc.findings.empty() && tc.errors.empty()) {
            out << "/>\n";
            continue;
        }
        out << ">\n";
        for (const Finding* f : tc.findings)
            out << "      <failure" << attr("type", f->rule) << attr("message", f->message) << ">"
                << escapeXml(failureText(*f), false) << "</failure>\n";
        for (const AnalysisError* e : tc.errors)
            out << "      <error" << attr("type", "dbarch-analysis") << attr("message", e->message) << ">"
                << escapeXml(e->file + ": error: " + e->message + "\n", false) << "</error>\n";
        out << "    </testcase>\n";
    }
    out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace dbarch
