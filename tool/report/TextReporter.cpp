#include <algorithm>

#include "report/Report.hpp"

namespace dbarch {

size_t Report::count(Severity severity) const {
    return std::count_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.severity == severity; });
}

namespace {

struct Palette {
    const char *bold = "", *red = "", *magenta = "", *cyan = "", *green = "", *reset = "";
};

Palette paletteFor(const TextStyle& style) {
    if (!style.color) return {};
    return {"\033[1m", "\033[1;31m", "\033[1;35m", "\033[1;36m", "\033[1;32m", "\033[0m"};
}

std::string plural(size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Expands tabs so that the caret lines up under the reported column.
void writeSourceLine(std::ostream& out, const Palette& p, unsigned line, unsigned column, const std::string& text) {
    std::string number = std::to_string(line);
    std::string gutter(std::max<size_t>(5, number.size() + 1), ' ');
    std::string expanded, caret;
    for (size_t i = 0; i < text.size(); ++i) {
        size_t width = text[i] == '\t' ? 8 - expanded.size() % 8 : 1;
        if (i + 1 < column) caret.append(width, ' ');
        expanded.append(width, text[i] == '\t' ? ' ' : text[i]);
    }
    out << std::string(gutter.size() - number.size(), ' ') << number << " | " << expanded << "\n";
    out << gutter << " | " << p.green << caret << "^" << p.reset << "\n";
}

}  // namespace

void writeText(std::ostream& out, const Report& report, const TextStyle& style) {
    Palette p = paletteFor(style);
    for (const auto& f : report.findings) {
        const char* color = f.severity == Severity::Error ? p.red : p.magenta;
        out << p.bold << f.file << ":" << f.line << ":" << f.column << ": " << p.reset << color
            << severityName(f.severity) << ": " << p.reset << p.bold << f.message << " [" << f.rule << "]" << p.reset
            << "\n";
        if (!f.context.empty()) writeSourceLine(out, p, f.line, f.column, f.context);
        for (const auto& note : f.notes) {
            out << p.bold;
            if (!note.file.empty()) {
                out << note.file;
                if (note.line) out << ":" << note.line << ":" << note.column;
                out << ": ";
            }
            out << p.reset << p.cyan << "note: " << p.reset << note.message << "\n";
        }
    }
    for (const auto& e : report.errors)
        out << p.bold << e.file << ": " << p.reset << p.red << "error: " << p.reset << e.message << " [dbarch-analysis]\n";

    size_t errors = report.count(Severity::Error), warnings = report.count(Severity::Warning);
    out << "dbarch: ";
    if (report.findings.empty()) out << "no violations";
    else out << plural(report.findings.size(), "violation") << " (" << plural(errors, "error") << ", " << plural(warnings, "warning") << ")";
    out << " in " << plural(report.unitsChecked, "translation unit") << " (" << plural(report.filesAnalysed, "project file") << ")";
    if (report.suppressed) out << "; " << report.suppressed << " suppressed by NOLINT";
    if (!report.errors.empty())
        out << "; " << p.red << plural(report.errors.size(), "file") << " could not be analysed" << p.reset
            << " (results are incomplete)";
    out << "\n";
}

}  // namespace dbarch
