#include "cli/Pipeline.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "analysis/Analyzer.hpp"
#include "cache/ResultCache.hpp"
#include "cli/Shared.hpp"
#include "filters/InputError.hpp"
#include "filters/Suppressions.hpp"
#include "report/RuleInfo.hpp"
#include "scheduler/Scheduler.hpp"
#include "vcs/Git.hpp"

namespace fs = std::filesystem;

namespace dbarch {
namespace {

std::string resolveResourceDir(const std::string& fromFlag) {
    if (!fromFlag.empty()) return fromFlag;
    if (const char* env = std::getenv("DBARCH_RESOURCE_DIR"); env && *env) return env;
    return DBARCH_CLANG_RESOURCE_DIR;
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
    } else {
        Git git(config.root);
        selection.lines = parseGitDiff(options.staged ? git.stagedDiff() : git.diffAgainst(options.diffRef));
        selection.framePrefix = relativeTo(config.root, git.topLevel());
        if (!selection.framePrefix.empty()) selection.framePrefix += "/";
        if (options.staged) {
            // Analyse what the commit records, not the working tree: the index content of every
            // staged file, and of every tracked file whose working-tree state differs from the
            // index (unstaged edits, deletions), is laid over the file system for the compiler.
            selection.staged = std::make_shared<std::map<std::string, std::string>>();
            std::vector<std::string> paths = git.stagedFiles();
            for (const auto& path : git.unstagedFiles()) paths.push_back(path);
            for (const auto& path : paths) {
                std::string absolute = (git.topLevel() / path).lexically_normal().string();
                if (!selection.staged->count(absolute)) (*selection.staged)[absolute] = git.stagedContent(path);
            }
        }
    }
    for (const auto& [path, lines] : selection.lines.files) {
        std::string inProject = path;
        if (fs::path(path).is_absolute()) {
            inProject = relativeTo(path, config.root);
            if (inProject.rfind("..", 0) == 0) continue;  // outside the project
        } else if (!selection.framePrefix.empty()) {
            if (path.rfind(selection.framePrefix, 0) != 0) continue;  // outside the project
            inProject = path.substr(selection.framePrefix.size());
        }
        if (lines.allLines || !lines.ranges.empty()) selection.changedProjectFiles.push_back(inProject);
    }
    return selection;
}

bool isCxxFile(const std::string& path) {
    return isSourceFile(path) || isHeaderFile(path);
}

// With --diff/--staged and no PATH, only the changed C/C++ files are checked: sources as their
// own units, headers standalone with the command of the nearest unit (never skipped).
std::vector<std::string> changedInputs(const ChangeSelection& selection, const Config& config) {
    std::vector<std::string> inputs;
    for (const auto& file : selection.changedProjectFiles) {
        std::error_code ec;
        bool exists = fs::exists(config.root / file, ec) ||
                      (selection.staged && selection.staged->count((config.root / file).lexically_normal().string()));
        if (isCxxFile(file) && exists && !config.isExcluded(file)) inputs.push_back((config.root / file).string());
    }
    return inputs;
}

}  // namespace

void printStats(const AnalysisRun& run, unsigned jobs, double totalSeconds) {
    double parse = 0, match = 0;
    for (const auto& r : run.results)
        if (!r.fromCache) parse += r.parseSeconds, match += r.matchSeconds;
    size_t parsed = run.results.size() - run.fromCache;
    auto seconds = [](double s) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.3f s", s);
        return std::string(buffer);
    };
    std::cerr << "dbarch: stats: " << run.results.size() << " units: " << run.fromCache << " from the cache, " << parsed
              << " parsed, with -j " << jobs << "\n"
              << "dbarch: stats: wall " << seconds(totalSeconds) << " (analysis " << seconds(run.analysisSeconds)
              << ", configuration, filters and reporting " << seconds(std::max(0.0, totalSeconds - run.analysisSeconds)) << ")\n"
              << "dbarch: stats: summed over parsed units: parse " << seconds(parse) << ", matching " << seconds(match) << "\n"
              << "dbarch: stats: shared preambles: " << run.preamblesBuilt << " built (" << run.preamblesChained << " on another) in " << seconds(run.preambleSeconds)
              << " (summed), " << run.preamblesFailed << " failed; " << run.unitsOnPreamble << " units parsed on one\n"
              << "dbarch: stats: parsed again with every library body: " << run.unitsWithLibraryBodies << " units\n"
              << "dbarch: stats: cache " << (run.cacheDirectory.empty() ? std::string("off") : run.cacheDirectory) << "\n";
}

std::optional<std::string> readWholeFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int guarded(const std::function<int()>& body) {
    try {
        return body();
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

AnalysisRun analyseProject(const CheckOptions& options, bool collectCallSites) {
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    AnalysisRun run;

    // 1. Configuration.
    run.config = options.useDefaultConfig ? defaultConfig(cwd) : loadEffectiveConfig(options.configFile, cwd);
    const Config& config = run.config;
    std::string resourceDir = resolveResourceDir(options.resourceDir);
    if (!fs::is_regular_file(fs::path(resourceDir) / "include" / "stddef.h", ec))
        throw UsageError{"clang resource directory '" + resourceDir + "' has no include/stddef.h; install libclang-common-" +
                         LLVM_MAJOR_VERSION + "-dev or pass --resource-dir (or set DBARCH_RESOURCE_DIR)"};

    // 2. Units to check.
    run.changes = selectChanges(options, config, cwd);
    DatabaseOptions db{options.buildPath, options.paths, options.extraArgs, options.haveExtraArgs, cwd, {}};
    if (run.changes.staged)
        for (const auto& [path, content] : *run.changes.staged) db.virtualFiles.insert(path);
    if (run.changes.active && options.paths.empty()) {
        db.paths = changedInputs(run.changes, config);
        run.nothingChanged = db.paths.empty();
    }
    if (!run.nothingChanged) run.plan = planUnits(db, config);

    // The cache: results of unchanged units are reused (cache/ResultCache.hpp).
    std::unique_ptr<ResultCache> cache;
    if (!options.noCache && !run.nothingChanged) {
        fs::path dir = options.cacheDir.empty() ? ResultCache::defaultDirectory(run.plan.databaseDirectory)
                                                : fs::absolute(cwd / options.cacheDir, ec);
        cache = std::make_unique<ResultCache>(dir, run.changes.staged.get());
        run.cacheDirectory = dir.string();
    }
    // A changed header is checked through the units that read it when the cache knows them
    // (standalone only when it does not), as a compiler would see it.
    if (cache && run.changes.active && options.paths.empty()) {
        std::vector<std::string> expanded;
        bool changed = false;
        for (const auto& input : db.paths) {
            auto includers = isCxxFile(input) && !isSourceFile(input) ? cache->unitsReading(input) : std::vector<std::string>{};
            if (includers.empty()) expanded.push_back(input);
            else expanded.insert(expanded.end(), includers.begin(), includers.end()), changed = true;
        }
        if (changed) {
            std::sort(expanded.begin(), expanded.end());
            expanded.erase(std::unique(expanded.begin(), expanded.end()), expanded.end());
            db.paths = expanded;
            run.plan = planUnits(db, config);
        }
    }
    const UnitPlan& plan = run.plan;
    for (const auto& missing : plan.missing) std::cerr << "dbarch: error: " << missing.message << "\n";
    for (const auto& skipped : plan.skipped) std::cerr << "dbarch: warning: " << skipped << "\n";
    for (const auto& note : plan.notes) std::cerr << "dbarch: note: " << note << "\n";
    if (plan.units.empty() && !run.nothingChanged) {
        if (plan.missing.empty())
            std::cerr << "dbarch: error: nothing to check: " << plan.source << " has no translation unit under "
                      << config.root.string() << "\n";
        run.stop = true;
        return run;
    }

    // 3. Analysis: one parse per unit, in parallel, in one process.
    AnalyzerOptions analyzerOptions{resourceDir, !options.fullParse, run.changes.staged, collectCallSites};
    Analyzer analyzer(config, analyzerOptions);
    unsigned jobs = options.jobs ? options.jobs : defaultJobs();
    std::string fingerprint = config.fingerprint();
    // The binary itself is part of the key: a rebuilt dbarch (same version, other code) must not
    // trust results of the old one.
    std::string binary;
    {
        struct stat st;
        if (::stat("/proc/self/exe", &st) == 0)
            binary = std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
    }
    auto cacheKey = [&](const clang::tooling::CompileCommand& command) {
        std::string line;
        for (const auto& arg : command.CommandLine) line += arg + '\0';
        return ResultCache::keyOf({DBARCH_VERSION, binary, fingerprint, resourceDir, command.Directory, command.Filename, line,
                                   options.fullParse ? "full-parse" : "skip-bodies", collectCallSites ? "call-sites" : ""});
    };
    auto started = std::chrono::steady_clock::now();
    // Cached results first (cheap); only the misses are parsed.
    run.results.resize(plan.units.size());
    std::vector<std::string> keys(plan.units.size());
    std::vector<size_t> misses;
    for (size_t i = 0; i < plan.units.size(); ++i) {
        if (cache) {
            keys[i] = cacheKey(plan.units[i]);
            if (auto cached = cache->load(keys[i])) {
                run.results[i] = std::move(*cached);
                run.results[i].fromCache = true;
                continue;
            }
        }
        misses.push_back(i);
    }
    // Units that start with the same library includes share one precompiled prefix. Preambles
    // are built with library bodies skipped, so --full-parse has no use for them.
    PreamblePlan preambles;
    fs::path preambleDir;
    if (!options.fullParse && !options.noSharedPreamble && !run.changes.staged && misses.size() >= 2) {
        preambleDir = fs::temp_directory_path() / ("dbarch-preamble-" + std::to_string(::getpid()));
        std::vector<clang::tooling::CompileCommand> missed;
        for (size_t i : misses) missed.push_back(plan.units[i]);
        preambles = buildSharedPreambles(config, missed, resourceDir, preambleDir, jobs);
        run.preamblesBuilt = preambles.built;
        run.preamblesChained = preambles.chained;
        run.preamblesFailed = preambles.failed;
        run.preambleSeconds = preambles.buildSeconds;
    }
    std::atomic<size_t> unitsStarted{0};
    std::vector<UnitResult> parsed = runUnits(misses.size(), jobs, [&](size_t k) {
        const auto& command = plan.units[misses[k]];
        const Preamble* preamble = preambles.forUnit.empty() ? nullptr : preambles.forUnit[k].get();
        // The last unit to start: only reporting follows it (its compiler state is kept to the end).
        bool lastUnit = ++unitsStarted == misses.size();
        UnitResult result = analyzer.analyse(command, preamble, lastUnit);
        if (cache) {
            fs::path main = fs::path(command.Filename).is_absolute() ? fs::path(command.Filename)
                                                                      : fs::path(command.Directory) / command.Filename;
            cache->store(keys[misses[k]], main.lexically_normal().string(), result);
        }
        return result;
    });
    for (size_t k = 0; k < misses.size(); ++k) {
        run.unitsOnPreamble += parsed[k].usedPreamble;
        run.unitsWithLibraryBodies += parsed[k].reparsedWithLibraryBodies;
        run.results[misses[k]] = std::move(parsed[k]);
    }
    if (!preambleDir.empty()) fs::remove_all(preambleDir, ec);
    run.analysisSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    for (const auto& r : run.results) run.fromCache += r.fromCache;

    Report& report = run.report;
    report.toolVersion = DBARCH_VERSION;
    report.unitsChecked = run.results.size();
    report.rules = describeRules(config);
    report.docsUrl = options.docsUrl;
    std::vector<Finding> findings;
    std::set<std::string> projectFiles;
    for (auto& r : run.results) {
        report.units.push_back(r.file);
        findings.insert(findings.end(), r.findings.begin(), r.findings.end());
        report.errors.insert(report.errors.end(), r.errors.begin(), r.errors.end());
        projectFiles.insert(r.projectFiles.begin(), r.projectFiles.end());
    }
    report.filesAnalysed = projectFiles.size();
    run.analysisFailed = !report.errors.empty();
    // Inputs that could not be checked are errors of the report too, so a JSON reader sees them.
    report.errors.insert(report.errors.end(), plan.missing.begin(), plan.missing.end());

    // 4. Filters: dedupe, NOLINT, changed lines.
    findings = dedupeFindings(std::move(findings));
    const auto& staged = run.changes.staged;
    auto readProjectFile = [&](const std::string& relative) -> std::optional<std::string> {
        if (staged) {
            auto it = staged->find((config.root / relative).lexically_normal().string());
            if (it != staged->end()) return it->second;
        }
        return readWholeFile(config.root / relative);
    };
    auto suppressed = applySuppressions(std::move(findings), {projectFiles.begin(), projectFiles.end()}, readProjectFile,
                                        {options.requireReason, options.reportUnusedSuppressions});
    findings = std::move(suppressed.kept);
    findings.insert(findings.end(), suppressed.problems.begin(), suppressed.problems.end());
    report.suppressed = suppressed.suppressed;
    if (run.changes.active) findings = keepChangedLines(std::move(findings), run.changes.lines, run.changes.framePrefix);
    sortFindings(findings);
    report.findings = std::move(findings);

    if (options.paths.empty() && !run.changes.active) report.warnings = unresolvedHandlerNames(config, run.results);
    return run;
}

}  // namespace dbarch
