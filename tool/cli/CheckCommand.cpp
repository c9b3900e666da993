// dbarch check, stage by stage:
//   configuration -> units to check (compilation database; --diff/--staged narrow them)
//   -> one parse per unit, in parallel -> Findings
//   -> filters: dedupe, NOLINT, changed lines, baseline -> reporters -> exit code.
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
#include "filters/Baseline.hpp"
#include "filters/ChangedLines.hpp"
#include "filters/Suppressions.hpp"
#include "findings/PathFrame.hpp"
#include "report/Report.hpp"
#include "report/RuleInfo.hpp"
#include "scheduler/Scheduler.hpp"
#include "vcs/Git.hpp"

namespace fs = std::filesystem;

namespace dbarch {
namespace {

// A usage problem found while preparing the run: printed, exit 2.
struct UsageError {
    std::string message;
};

std::string resolveResourceDir(const std::string& fromFlag) {
    if (!fromFlag.empty()) return fromFlag;
    if (const char* env = std::getenv("DBARCH_RESOURCE_DIR"); env && *env) return env;
    return DBARCH_CLANG_RESOURCE_DIR;
}

// no-color.org: NO_COLOR present and not empty.
bool noColorRequested() {
    const char* value = std::getenv("NO_COLOR");
    return value && *value;
}

std::optional<std::string> readWholeFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string relativeTo(const fs::path& path, const fs::path& base) {
    std::error_code ec;
    std::string rel = fs::weakly_canonical(path, ec).lexically_relative(fs::weakly_canonical(base, ec)).generic_string();
    return rel == "." ? "" : rel;
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

// What --diff / --staged / --line-filter select, in the project's frame.
struct ChangeSelection {
    bool active = false;
    LineFilter lines;
    std::string framePrefix;  // the project root as seen from the filter's paths
    std::shared_ptr<std::map<std::string, std::string>> staged;  // absolute path -> staged content
    std::vector<std::string> changedProjectFiles;               // project-relative, existing
};

ChangeSelection selectChanges(const CheckOptions& options, const Config& config, const fs::path& cwd) {
    ChangeSelection selection;
    int modes = !options.diffRef.empty() + options.staged + !options.lineFilter.empty();
    if (modes == 0) return selection;
    if (modes > 1) throw UsageError{"--diff, --staged and --line-filter exclude each other"};
    selection.active = true;
    if (!options.lineFilter.empty()) {
        selection.lines = parseLineFilter(options.lineFilter);
        // clang-tidy's names are as given: relative to the working directory, or absolute.
        selection.framePrefix = relativeTo(config.root, cwd);
        if (!selection.framePrefix.empty()) selection.framePrefix += "/";
        return selection;
    }
    Git git(config.root);
    selection.lines = parseGitDiff(options.staged ? git.stagedDiff() : git.diffAgainst(options.diffRef));
    selection.framePrefix = relativeTo(config.root, git.topLevel());
    if (!selection.framePrefix.empty()) selection.framePrefix += "/";
    if (options.staged) {
        // Analyse what the commit would contain, not the working tree: the index content of
        // every staged file is laid over the file system for the compiler.
        selection.staged = std::make_shared<std::map<std::string, std::string>>();
        for (const auto& path : git.stagedFiles())
            (*selection.staged)[(git.topLevel() / path).lexically_normal().string()] = git.stagedContent(path);
    }
    for (const auto& [path, lines] : selection.lines.files) {
        std::string inProject = path;
        if (!selection.framePrefix.empty()) {
            if (path.rfind(selection.framePrefix, 0) != 0) continue;  // outside the project
            inProject = path.substr(selection.framePrefix.size());
        }
        if (lines.allLines || !lines.ranges.empty()) selection.changedProjectFiles.push_back(inProject);
    }
    return selection;
}

bool isSourceExtension(const std::string& path) {
    static const std::set<std::string> sources{".c", ".cc", ".cpp", ".cxx", ".c++", ".C"};
    static const std::set<std::string> headers{".h", ".hh", ".hpp", ".hxx", ".h++", ".inl", ".ipp", ".tpp"};
    std::string ext = fs::path(path).extension().string();
    return sources.count(ext) || headers.count(ext);
}

// With --diff/--staged and no PATH, only the changed C/C++ files are checked: sources as their
// own units, headers standalone with the command of the nearest unit (never skipped).
std::vector<std::string> changedInputs(const ChangeSelection& selection, const Config& config) {
    std::vector<std::string> inputs;
    for (const auto& file : selection.changedProjectFiles) {
        std::error_code ec;
        if (isSourceExtension(file) && fs::exists(config.root / file, ec) && !config.isExcluded(file))
            inputs.push_back((config.root / file).string());
    }
    return inputs;
}

void writeFormat(std::ostream& out, const std::string& format, const Report& report, bool color) {
    if (format == "json") writeJson(out, report);
    else if (format == "sarif") writeSarif(out, report);
    else if (format == "github") writeGithub(out, report);
    else if (format == "codeclimate") writeCodeClimate(out, report);
    else if (format == "junit") writeJunit(out, report);
    else writeText(out, report, {color});
}

// Every requested output; "" as a path is stdout. Files are written whole or not at all.
void writeOutputs(const CheckOptions& options, const Report& report) {
    std::vector<std::pair<std::string, std::string>> outputs{{options.format, options.output}};
    for (const auto& [format, path] : options.extraOutputs) outputs.emplace_back(format, path);
    for (const auto& [format, path] : outputs) {
        if (path.empty() || path == "-") {
            bool color = format == "text" && (options.color == "always" ||
                                              (options.color == "auto" && isatty(STDOUT_FILENO) && !noColorRequested()));
            writeFormat(std::cout, format, report, color);
            std::cout.flush();
            continue;
        }
        std::ostringstream text;
        writeFormat(text, format, report, format == "text" && options.color == "always");
        fs::path target(path), temporary = target;
        temporary += ".dbarch-tmp";
        {
            std::ofstream file(temporary, std::ios::binary);
            file << text.str();
            if (!file) throw UsageError{"cannot write " + path};
        }
        std::error_code ec;
        fs::rename(temporary, target, ec);
        if (ec) throw UsageError{"cannot write " + path + ": " + ec.message()};
    }
}

}  // namespace

int runCheck(const CheckOptions& options) {
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    try {
        // 1. Configuration.
        Config config = loadEffectiveConfig(options.configFile, cwd);
        std::string resourceDir = resolveResourceDir(options.resourceDir);
        if (!fs::is_regular_file(fs::path(resourceDir) / "include" / "stddef.h", ec))
            throw UsageError{"clang resource directory '" + resourceDir + "' has no include/stddef.h; install libclang-common-" +
                             LLVM_MAJOR_VERSION + "-dev or pass --resource-dir (or set DBARCH_RESOURCE_DIR)"};
        std::optional<Baseline> baseline;
        if (!options.baselineFile.empty()) {
            auto text = readWholeFile(cwd / options.baselineFile);
            if (!text) throw UsageError{options.baselineFile + ": cannot read the baseline file"};
            baseline = loadBaseline(*text, options.baselineFile);
        }

        // 2. Units to check.
        ChangeSelection changes = selectChanges(options, config, cwd);
        DatabaseOptions db{options.buildPath, options.paths, options.extraArgs, options.haveExtraArgs, cwd};
        bool nothingChanged = false;
        if (changes.active && options.paths.empty()) {
            db.paths = changedInputs(changes, config);
            nothingChanged = db.paths.empty();
        }
        UnitPlan plan;
        if (!nothingChanged) plan = planUnits(db, config);
        for (const auto& missing : plan.missing) std::cerr << "dbarch: error: " << missing.message << "\n";
        for (const auto& skipped : plan.skipped) std::cerr << "dbarch: warning: " << skipped << "\n";
        for (const auto& note : plan.notes) std::cerr << "dbarch: note: " << note << "\n";
        if (plan.units.empty() && !nothingChanged) {
            if (plan.missing.empty())
                std::cerr << "dbarch: error: nothing to check: " << plan.source << " has no translation unit under "
                          << config.root.string() << "\n";
            return kExitUsage;
        }

        // 3. Analysis: one parse per unit, in parallel, in one process.
        AnalyzerOptions analyzerOptions{resourceDir, !options.fullParse, changes.staged};
        Analyzer analyzer(config, analyzerOptions);
        unsigned jobs = options.jobs ? options.jobs : defaultJobs();
        std::vector<UnitResult> results =
            runUnits(plan.units.size(), jobs, [&](size_t i) { return analyzer.analyse(plan.units[i]); });

        Report report;
        report.toolVersion = DBARCH_VERSION;
        report.unitsChecked = results.size();
        report.rules = describeRules(config);
        report.docsUrl = options.docsUrl;
        std::vector<Finding> findings;
        std::set<std::string> projectFiles;
        for (auto& r : results) {
            report.units.push_back(r.file);
            findings.insert(findings.end(), r.findings.begin(), r.findings.end());
            report.errors.insert(report.errors.end(), r.errors.begin(), r.errors.end());
            projectFiles.insert(r.projectFiles.begin(), r.projectFiles.end());
        }
        report.filesAnalysed = projectFiles.size();
        bool analysisFailed = !report.errors.empty();
        // Inputs that could not be checked are errors of the report too, so a JSON reader sees them.
        report.errors.insert(report.errors.end(), plan.missing.begin(), plan.missing.end());

        // 4. Filters.
        findings = dedupeFindings(std::move(findings));
        fs::path root = config.root;
        auto readProjectFile = [&](const std::string& relative) -> std::optional<std::string> {
            if (changes.staged) {
                auto it = changes.staged->find((root / relative).lexically_normal().string());
                if (it != changes.staged->end()) return it->second;
            }
            return readWholeFile(root / relative);
        };
        auto suppressed = applySuppressions(std::move(findings), {projectFiles.begin(), projectFiles.end()}, readProjectFile,
                                            {options.requireReason, options.reportUnusedSuppressions});
        findings = std::move(suppressed.kept);
        findings.insert(findings.end(), suppressed.problems.begin(), suppressed.problems.end());
        report.suppressed = suppressed.suppressed;
        if (changes.active) findings = keepChangedLines(std::move(findings), changes.lines, changes.framePrefix);
        sortFindings(findings);

        if (!options.writeBaselineFile.empty()) {
            std::ofstream out(cwd / options.writeBaselineFile, std::ios::binary);
            out << writeBaseline(findings);
            if (!out) throw UsageError{"cannot write " + options.writeBaselineFile};
            std::cerr << "dbarch: wrote " << findings.size() << " finding" << (findings.size() == 1 ? "" : "s") << " to "
                      << options.writeBaselineFile << "\n";
        }
        std::optional<BaselineOutcome> baselineOutcome;
        if (baseline) {
            baselineOutcome = applyBaseline(std::move(findings), *baseline);
            findings = baselineOutcome->fresh;
            for (const auto& entry : baselineOutcome->fixed)
                report.warnings.push_back({"fixed since the baseline (remove it from " + options.baselineFile + "): " +
                                           entry.file + ": " + entry.rule + " in '" + entry.function + "': " + entry.text +
                                           (entry.count > 1 ? " (x" + std::to_string(entry.count) + ")" : "")});
        }
        report.findings = std::move(findings);
        if (options.paths.empty() && !changes.active) {
            auto typos = unresolvedHandlerNames(config, results);
            report.warnings.insert(report.warnings.begin(), typos.begin(), typos.end());
        }
        for (const auto& skipped : plan.skipped) report.warnings.push_back({skipped});

        // 5. Reporters.
        for (size_t i = 0; i + plan.skipped.size() < report.warnings.size(); ++i)  // skipped ones were printed
            std::cerr << "dbarch: warning: " << report.warnings[i].message << "\n";
        writeOutputs(options, report);
        if (baselineOutcome) std::cerr << "dbarch: baseline: " << baselineSummary(*baselineOutcome) << "\n";
        if (nothingChanged) std::cerr << "dbarch: no changed C/C++ file to check\n";

        // 6. Exit code.
        if (analysisFailed) return kExitAnalysisFailure;
        if (!plan.missing.empty()) return kExitUsage;
        bool failing = options.failOn == "warning" ? !report.findings.empty() : report.count(Severity::Error) > 0;
        if (options.baselineStrict && baselineOutcome && !baselineOutcome->fixed.empty()) failing = true;
        return failing ? kExitViolations : kExitClean;
    } catch (const ConfigError& e) {
        std::cerr << "dbarch: error: " << e.what() << "\n";
    } catch (const DatabaseError& e) {
        std::cerr << "dbarch: error: " << e.what() << "\n";
    } catch (const InputError& e) {
        std::cerr << "dbarch: error: " << e.what() << "\n";
    } catch (const GitError& e) {
        std::cerr << "dbarch: error: " << e.what() << "\n";
    } catch (const UsageError& e) {
        std::cerr << "dbarch: error: " << e.message << "\n";
    }
    return kExitUsage;
}

}  // namespace dbarch
