// dbarch audit: a one-off look at a codebase: every violation, tables by rule, directory and API,
// and the functions that already act as handlers (open connections and are called from many
// places). dbarch init: a starter .dbarch.json from the same analysis.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/Commands.hpp"
#include "cli/Pipeline.hpp"

namespace fs = std::filesystem;

namespace dbarch {
namespace {

// A function that opens connections itself and is called from several places: it already does a
// handler's job, and is the first candidate for the config's handler scope.
struct HandlerCandidate {
    std::string function;
    std::string file;
    unsigned line = 0;
    std::set<std::string> opens;  // the APIs it uses
    size_t callSites = 0;
    size_t callingFiles = 0;
};

struct AuditTables {
    std::map<std::string, size_t> byRule, byDirectory;
    std::map<std::string, std::map<std::string, size_t>> byApi;  // symbol -> directory -> count
    std::vector<HandlerCandidate> candidates;                      // most call sites first
};

std::string directoryOf(const std::string& file) {
    std::string dir = fs::path(file).parent_path().generic_string();
    return dir.empty() ? "." : dir;
}

AuditTables tabulate(const AnalysisRun& run) {
    AuditTables tables;
    std::map<std::string, HandlerCandidate> openers;
    for (const auto& f : run.report.findings) {
        ++tables.byRule[f.rule];
        ++tables.byDirectory[directoryOf(f.file)];
        if (f.rule == "dbarch-nolint") continue;
        ++tables.byApi[f.symbol][directoryOf(f.file)];
        if (f.rule != "dbarch-direct-connection" || f.function.empty()) continue;
        auto [it, inserted] = openers.try_emplace(f.function);
        if (inserted) it->second = {f.function, f.file, f.line, {}, 0, 0};
        it->second.opens.insert(f.symbol);
    }
    std::map<std::string, std::set<std::string>> sites;
    for (const auto& result : run.results)
        for (const auto& [callee, where] : result.callSites) sites[callee].insert(where.begin(), where.end());
    for (auto& [name, candidate] : openers) {
        auto it = sites.find(name);
        if (it == sites.end()) continue;
        std::set<std::string> files;
        for (const auto& site : it->second) files.insert(site.substr(0, site.find(':')));
        candidate.callSites = it->second.size();
        candidate.callingFiles = files.size();
        if (candidate.callSites >= 2) tables.candidates.push_back(candidate);
    }
    std::sort(tables.candidates.begin(), tables.candidates.end(), [](const auto& a, const auto& b) {
        return std::tie(b.callSites, a.function) < std::tie(a.callSites, b.function);
    });
    return tables;
}

std::vector<std::pair<std::string, size_t>> byCount(const std::map<std::string, size_t>& counts) {
    std::vector<std::pair<std::string, size_t>> rows(counts.begin(), counts.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return rows;
}

void writeAuditText(std::ostream& out, const AnalysisRun& run, const AuditTables& tables) {
    writeText(out, run.report, {false});
    out << "\nBy rule:\n";
    for (const auto& [rule, n] : byCount(tables.byRule)) out << "  " << std::left << std::setw(36) << rule << n << "\n";
    out << "\nBy directory:\n";
    for (const auto& [dir, n] : byCount(tables.byDirectory)) out << "  " << std::left << std::setw(36) << dir << n << "\n";
    out << "\nBy API (where it is used):\n";
    std::map<std::string, size_t> apiTotals;
    for (const auto& [api, dirs] : tables.byApi)
        for (const auto& [dir, n] : dirs) apiTotals[api] += n;
    for (const auto& [api, total] : byCount(apiTotals)) {
        out << "  " << std::left << std::setw(36) << api << std::setw(5) << total;
        bool first = true;
        for (const auto& [dir, n] : byCount(tables.byApi.at(api))) {
            out << (first ? "" : ", ") << dir << " (" << n << ")";
            first = false;
        }
        out << "\n";
    }
    out << "\nFunctions that already act as handlers (open connections, called from several places):\n";
    if (tables.candidates.empty()) out << "  none found\n";
    for (const auto& c : tables.candidates) {
        std::vector<std::string> opens(c.opens.begin(), c.opens.end());
        out << "  " << c.function << "  " << c.file << ":" << c.line << "  opens ";
        for (size_t i = 0; i < opens.size(); ++i) out << (i ? ", " : "") << opens[i];
        out << "; called from " << c.callSites << " place" << (c.callSites == 1 ? "" : "s") << " in " << c.callingFiles
            << " file" << (c.callingFiles == 1 ? "" : "s") << "\n";
    }
    out << "\nNext: 'dbarch init' writes a starter .dbarch.json with these as the handler; "
           "'dbarch check --write-baseline dbarch-baseline.json' records the rest, so that CI fails only on new ones.\n";
}

void writeAuditJson(std::ostream& out, const AnalysisRun& run, const AuditTables& tables) {
    std::ostringstream check;
    writeJson(check, run.report);
    auto doc = nlohmann::ordered_json::parse(check.str());
    doc["by_rule"] = tables.byRule;
    doc["by_directory"] = tables.byDirectory;
    doc["by_api"] = tables.byApi;
    doc["handler_candidates"] = nlohmann::ordered_json::array();
    for (const auto& c : tables.candidates)
        doc["handler_candidates"].push_back({{"function", c.function}, {"file", c.file}, {"line", c.line},
                                             {"opens", c.opens}, {"call_sites", c.callSites},
                                             {"calling_files", c.callingFiles}});
    out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

int audit(const CheckOptions& options) {
    AnalysisRun run = analyseProject(options, true);
    if (run.stop) return kExitUsage;
    for (const auto& w : run.report.warnings) std::cerr << "dbarch: warning: " << w.message << "\n";
    AuditTables tables = tabulate(run);
    std::ofstream file;
    if (!options.output.empty()) file.open(options.output, std::ios::binary);
    std::ostream& out = options.output.empty() ? std::cout : file;
    if (options.format == "json") writeAuditJson(out, run, tables);
    else writeAuditText(out, run, tables);
    if (!out) throw UsageError{"cannot write " + options.output};
    if (run.analysisFailed) return kExitAnalysisFailure;
    return run.plan.missing.empty() ? kExitClean : kExitUsage;
}

int init(CheckOptions options, bool force) {
    std::error_code ec;
    fs::path target = fs::current_path(ec) / ".dbarch.json";
    if (fs::exists(target, ec) && !force)
        throw UsageError{target.string() + " exists; pass --force to overwrite it"};
    options.useDefaultConfig = true;
    AnalysisRun run = analyseProject(options, true);
    if (run.stop) return kExitUsage;
    AuditTables tables = tabulate(run);

    nlohmann::ordered_json config;
    config["extends"] = {"builtin:default"};
    std::vector<std::string> functions;
    for (const auto& c : tables.candidates) functions.push_back(c.function);
    config["handler"] = {{"functions", functions},
                         {"classes", nlohmann::ordered_json::array()},
                         {"namespaces", nlohmann::ordered_json::array()},
                         {"paths", nlohmann::ordered_json::array()}};
    std::vector<std::string> exclude;
    for (const char* vendored : {"third_party", "thirdparty", "3rdparty", "vendor", "external", "extern", "deps"})
        if (fs::is_directory(run.config.root / vendored, ec)) exclude.push_back(std::string(vendored) + "/**");
    config["exclude"] = exclude;
    config["rules"] = nlohmann::ordered_json::array();
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out << config.dump(2) << "\n";
    if (!out) throw UsageError{"cannot write " + target.string()};

    size_t remaining = 0;
    for (const auto& f : run.report.findings) {
        bool inCandidate = std::any_of(functions.begin(), functions.end(), [&](const std::string& fn) { return fn == f.function; });
        if (!inCandidate) ++remaining;
    }
    std::cout << "dbarch: wrote " << target.string() << "\n";
    std::cout << "  handler functions: " << (functions.empty() ? "none found (add yours)" : "") << "\n";
    for (const auto& c : tables.candidates)
        std::cout << "    " << c.function << " (" << c.file << ":" << c.line << ", called from " << c.callSites << " places)\n";
    if (!exclude.empty()) {
        std::cout << "  excluded:";
        for (const auto& e : exclude) std::cout << " " << e;
        std::cout << "\n";
    }
    std::cout << "  " << remaining << " finding" << (remaining == 1 ? "" : "s")
              << " outside these functions remain; review the handler list, then record them with\n"
                 "  'dbarch check --write-baseline dbarch-baseline.json' and check with '--baseline dbarch-baseline.json'.\n";
    return run.analysisFailed ? kExitAnalysisFailure : kExitClean;
}

}  // namespace

int runAudit(const CheckOptions& options) {
    return guarded([&] { return audit(options); });
}

int runInit(const CheckOptions& options, bool force) {
    return guarded([&] { return init(options, force); });
}

}  // namespace dbarch
