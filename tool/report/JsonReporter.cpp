#include <nlohmann/json.hpp>

#include "report/Report.hpp"

namespace dbarch {

void writeJson(std::ostream& out, const Report& report) {
    using nlohmann::ordered_json;
    ordered_json doc;
    doc["version"] = 1;
    doc["tool"] = {{"name", "dbarch"}, {"version", report.toolVersion}};
    doc["violations"] = ordered_json::array();
    for (const auto& f : report.findings) {
        ordered_json v;
        v["rule"] = f.rule;
        v["severity"] = severityName(f.severity);
        v["file"] = f.file;
        v["line"] = f.line;
        v["column"] = f.column;
        v["message"] = f.message;
        v["symbol"] = f.symbol;
        v["function"] = f.function;
        v["notes"] = ordered_json::array();
        for (const auto& n : f.notes)
            v["notes"].push_back({{"file", n.file}, {"line", n.line}, {"column", n.column}, {"message", n.message}});
        doc["violations"].push_back(std::move(v));
    }
    doc["errors"] = ordered_json::array();
    for (const auto& e : report.errors) doc["errors"].push_back({{"file", e.file}, {"message", e.message}});
    doc["warnings"] = ordered_json::array();
    for (const auto& w : report.warnings) doc["warnings"].push_back({{"message", w.message}});
    doc["summary"] = {{"files", report.unitsChecked},
                      {"project_files", report.filesAnalysed},
                      {"violations", report.findings.size()},
                      {"errors", report.errors.size()},
                      {"suppressed", report.suppressed}};
    // A source line that is not UTF-8 (a Latin-1 file) is replaced, not allowed to throw.
    out << doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace dbarch
