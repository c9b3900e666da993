// The stages `dbarch check` and `dbarch audit` share: configuration -> units -> parallel
// analysis -> filtered Findings in a Report. What each command does with the Report is its own.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/Commands.hpp"
#include "compdb/CompileCommands.hpp"
#include "config/Config.hpp"
#include "filters/ChangedLines.hpp"
#include "report/Report.hpp"

namespace dbarch {

// A usage problem found while preparing the run: printed, exit 2.
struct UsageError {
    std::string message;
};

// What --diff / --staged / --line-filter select, in the project's frame.
struct ChangeSelection {
    bool active = false;
    LineFilter lines;
    std::string framePrefix;  // the project root as seen from the filter's paths
    std::shared_ptr<std::map<std::string, std::string>> staged;  // absolute path -> staged content
    std::vector<std::string> changedProjectFiles;               // project-relative
};

struct AnalysisRun {
    Config config;
    UnitPlan plan;
    ChangeSelection changes;
    std::vector<UnitResult> results;
    Report report;  // findings deduplicated, NOLINT and changed lines applied, sorted
    bool analysisFailed = false;
    bool nothingChanged = false;  // --diff/--staged found no C/C++ file to check
    bool stop = false;            // nothing to analyse: exit 2 (already printed)
    // --stats
    double analysisSeconds = 0;   // wall time of stage 3
    size_t fromCache = 0;
    size_t preamblesBuilt = 0, preamblesChained = 0, preamblesFailed = 0, unitsOnPreamble = 0;
    size_t unitsWithLibraryBodies = 0;  // a skipped library body could have mattered (Analyzer::analyse)
    double preambleSeconds = 0;
    std::string cacheDirectory;   // "" when the cache is off
};

// The --stats lines (stderr): units, cache hits, time in parse, matching and the rest.
void printStats(const AnalysisRun& run, unsigned jobs, double totalSeconds);

AnalysisRun analyseProject(const CheckOptions& options, bool collectCallSites);

// Runs `body`, turning configuration, database, input, git and usage errors into a message on
// stderr and exit code 2.
int guarded(const std::function<int()>& body);

std::optional<std::string> readWholeFile(const std::filesystem::path& path);

}  // namespace dbarch
