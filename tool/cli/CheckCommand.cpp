// dbarch check: configuration -> compilation database -> one parse per unit (in parallel) ->
// Findings -> filters -> reporters -> exit code.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "analysis/Analyzer.hpp"
#include "cli/Commands.hpp"
#include "cli/Shared.hpp"
#include "compdb/CompileCommands.hpp"
#include "filters/Suppressions.hpp"
#include "report/Report.hpp"
#include "scheduler/Scheduler.hpp"

namespace fs = std::filesystem;

namespace dbarch {
namespace {

std::string resolveResourceDir(const std::string& fromFlag) {
    if (!fromFlag.empty()) return fromFlag;
    if (const char* env = std::getenv("DBARCH_RESOURCE_DIR"); env && *env) return env;
    return DBARCH_CLANG_RESOURCE_DIR;
}

// Handler names the project wrote that no analysed unit declares: almost always a typo.
std::vector<ToolWarning> unresolvedHandlerNames(const Config& config, const std::vector<UnitResult>& results) {
    std::set<std::string> resolved;
    for (const auto& r : results) resolved.insert(r.resolvedHandlerNames.begin(), r.resolvedHandlerNames.end());
    std::vector<ToolWarning> warnings;
    auto check = [&](const std::vector<std::string>& names, const char* what) {
        for (const auto& name : names)
            if (!resolved.count(name))
                warnings.push_back({std::string("handler ") + what + " '" + name + "' in " + config.file.filename().string() +
                                    " matches no declaration in any analysed file (a typo?)"});
    };
    check(config.projectHandler.functions, "function");
    check(config.projectHandler.classes, "class");
    check(config.projectHandler.namespaces, "namespace");
    return warnings;
}

// no-color.org: NO_COLOR present and not empty.
bool noColorRequested() {
    const char* value = std::getenv("NO_COLOR");
    return value && *value;
}

}  // namespace

int runCheck(const CheckOptions& options) {
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);

    Config config;
    try {
        config = loadEffectiveConfig(options.configFile, cwd);
    } catch (const ConfigError& e) {
        std::cerr << "dbarch: error: " << e.what() << "\n";
        return kExitUsage;
    }

    std::string resourceDir = resolveResourceDir(options.resourceDir);
    if (!fs::is_regular_file(fs::path(resourceDir) / "include" / "stddef.h", ec)) {
        std::cerr << "dbarch: error: clang resource directory '" << resourceDir
                  << "' has no include/stddef.h; install libclang-common-" << LLVM_MAJOR_VERSION
                  << "-dev or pass --resource-dir (or set DBARCH_RESOURCE_DIR)\n";
        return kExitUsage;
    }

    UnitPlan plan;
    try {
        DatabaseOptions db{options.buildPath, options.paths, options.extraArgs, options.haveExtraArgs, cwd};
        plan = planUnits(db, config);
    } catch (const DatabaseError& e) {
        std::cerr << "dbarch: error: " << e.what() << "\n";
        return kExitUsage;
    }
    for (const auto& missing : plan.missing) std::cerr << "dbarch: error: " << missing.message << "\n";
    for (const auto& skipped : plan.skipped) std::cerr << "dbarch: warning: " << skipped << "\n";
    if (plan.units.empty()) {
        if (plan.missing.empty())
            std::cerr << "dbarch: error: nothing to check: " << plan.source << " has no translation unit under "
                      << config.root.string() << "\n";
        return kExitUsage;
    }

    Analyzer analyzer(config, {resourceDir, !options.fullParse});
    unsigned jobs = options.jobs ? options.jobs : defaultJobs();
    std::vector<UnitResult> results =
        runUnits(plan.units.size(), jobs, [&](size_t i) { return analyzer.analyse(plan.units[i]); });

    Report report;
    report.toolVersion = DBARCH_VERSION;
    report.unitsChecked = results.size();
    std::vector<Finding> findings;
    std::set<std::string> projectFiles;
    for (auto& r : results) {
        findings.insert(findings.end(), r.findings.begin(), r.findings.end());
        report.errors.insert(report.errors.end(), r.errors.begin(), r.errors.end());
        projectFiles.insert(r.projectFiles.begin(), r.projectFiles.end());
    }
    report.filesAnalysed = projectFiles.size();
    bool analysisFailed = !report.errors.empty();
    // Inputs that could not be checked are errors of the report too, so a JSON reader sees them.
    report.errors.insert(report.errors.end(), plan.missing.begin(), plan.missing.end());

    findings = dedupeFindings(std::move(findings));
    fs::path root = config.root;
    auto outcome = applySuppressions(std::move(findings), {projectFiles.begin(), projectFiles.end()},
                                     [&](const std::string& relative) -> std::optional<std::string> {
                                         std::ifstream in(root / relative, std::ios::binary);
                                         if (!in) return std::nullopt;
                                         std::stringstream ss;
                                         ss << in.rdbuf();
                                         return ss.str();
                                     });
    report.findings = std::move(outcome.kept);
    report.findings.insert(report.findings.end(), outcome.problems.begin(), outcome.problems.end());
    report.suppressed = outcome.suppressed;
    sortFindings(report.findings);
    if (options.paths.empty()) report.warnings = unresolvedHandlerNames(config, results);
    for (const auto& skipped : plan.skipped) report.warnings.push_back({skipped});

    std::ofstream file;
    if (!options.output.empty()) {
        file.open(options.output, std::ios::binary);
        if (!file) {
            std::cerr << "dbarch: error: cannot write " << options.output << "\n";
            return kExitUsage;
        }
    }
    std::ostream& out = options.output.empty() ? std::cout : file;
    for (size_t i = 0; i + plan.skipped.size() < report.warnings.size(); ++i)  // skipped ones were printed
        std::cerr << "dbarch: warning: " << report.warnings[i].message << "\n";
    if (options.format == "json") {
        writeJson(out, report);
    } else {
        bool color = options.color == "always" ||
                     (options.color == "auto" && options.output.empty() && isatty(STDOUT_FILENO) && !noColorRequested());
        writeText(out, report, {color});
    }
    out.flush();

    if (analysisFailed) return kExitAnalysisFailure;
    if (!plan.missing.empty()) return kExitUsage;
    bool failing = options.failOn == "warning" ? !report.findings.empty() : report.count(Severity::Error) > 0;
    return failing ? kExitViolations : kExitClean;
}

}  // namespace dbarch
