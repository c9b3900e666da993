// dbarch check: the shared pipeline (cli/Pipeline.hpp), then the baseline, the reporters and the
// exit code.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/Commands.hpp"
#include "cli/Pipeline.hpp"
#include "filters/Baseline.hpp"
#include "report/Report.hpp"
#include "scheduler/Scheduler.hpp"
#include "vcs/Git.hpp"

namespace fs = std::filesystem;

namespace dbarch {
namespace {

// no-color.org: NO_COLOR present and not empty.
bool noColorRequested() {
    const char* value = std::getenv("NO_COLOR");
    return value && *value;
}

void writeFormat(std::ostream& out, const std::string& format, const Report& report, bool color) {
    if (format == "json") writeJson(out, report);
    else if (format == "sarif") writeSarif(out, report);
    else if (format == "github") writeGithub(out, report);
    else if (format == "codeclimate") writeCodeClimate(out, report);
    else if (format == "junit") writeJunit(out, report);
    else writeText(out, report, {color});
}

// Every requested output; "" or "-" as a path is stdout. A file is written whole (through a
// temporary and a rename) or not at all, so a CI step never uploads half a report.
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
        std::error_code ec;
        auto status = fs::status(target, ec);
        if (fs::exists(status) && !fs::is_regular_file(status)) {
            // A device, FIFO or the like (-o /dev/null, -o /dev/stderr): written into, never
            // replaced; renaming over it would destroy it (as root, even /dev/null).
            std::ofstream file(target, std::ios::binary);
            file << text.str();
            if (!file) throw UsageError{"cannot write " + path};
            continue;
        }
        temporary += ".dbarch-tmp";
        {
            std::ofstream file(temporary, std::ios::binary);
            file << text.str();
            if (!file) {
                fs::remove(temporary, ec);
                throw UsageError{"cannot write " + path};
            }
        }
        fs::rename(temporary, target, ec);
        if (ec) {
            std::error_code ignored;
            fs::remove(temporary, ignored);
            throw UsageError{"cannot write " + path + ": " + ec.message()};
        }
    }
}

int check(const CheckOptions& options) {
    auto started = std::chrono::steady_clock::now();
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    std::optional<Baseline> baseline;
    if (!options.baselineFile.empty()) {
        auto text = readWholeFile(cwd / options.baselineFile);
        if (!text) throw UsageError{options.baselineFile + ": cannot read the baseline file"};
        baseline = loadBaseline(*text, options.baselineFile);
    }

    AnalysisRun run = analyseProject(options, false);
    if (run.stop) return kExitUsage;
    Report& report = run.report;
    // CI formats name files from the repository's top level, where their viewers resolve them.
    bool ciFormat = options.format == "sarif" || options.format == "github" || options.format == "codeclimate";
    for (const auto& [format, path] : options.extraOutputs)
        ciFormat = ciFormat || format == "sarif" || format == "github" || format == "codeclimate";
    if (ciFormat) {
        try {
            Git git(run.config.root);
            std::string prefix = fs::weakly_canonical(run.config.root, ec)
                                     .lexically_relative(fs::weakly_canonical(git.topLevel(), ec))
                                     .generic_string();
            report.pathPrefix = (prefix.empty() || prefix == ".") ? "" : prefix + "/";
            report.rootUri = directoryUri(git.topLevel().string());
        } catch (const GitError&) {
            report.rootUri = directoryUri(run.config.root.string());  // not in git: the project root
        }
    }

    if (!options.writeBaselineFile.empty()) {
        std::ofstream out(cwd / options.writeBaselineFile, std::ios::binary);
        out << writeBaseline(report.findings);
        if (!out) throw UsageError{"cannot write " + options.writeBaselineFile};
        std::cerr << "dbarch: wrote " << report.findings.size() << " finding" << (report.findings.size() == 1 ? "" : "s")
                  << " to " << options.writeBaselineFile << "\n";
    }
    std::optional<BaselineOutcome> baselineOutcome;
    if (baseline) {
        baselineOutcome = applyBaseline(std::move(report.findings), *baseline);
        report.findings = baselineOutcome->fresh;
        for (const auto& entry : baselineOutcome->fixed)
            report.warnings.push_back({"fixed since the baseline (remove it from " + options.baselineFile + "): " + entry.file +
                                       ": " + entry.rule + " in '" + entry.function + "': " + entry.text +
                                       (entry.count > 1 ? " (x" + std::to_string(entry.count) + ")" : "")});
    }

    for (const auto& w : report.warnings) std::cerr << "dbarch: warning: " << w.message << "\n";
    for (const auto& skipped : run.plan.skipped) report.warnings.push_back({skipped});  // printed by the pipeline
    writeOutputs(options, report);
    if (baselineOutcome) std::cerr << "dbarch: baseline: " << baselineSummary(*baselineOutcome) << "\n";
    if (run.nothingChanged) std::cerr << "dbarch: no changed C/C++ file to check\n";
    if (options.stats)
        printStats(run, options.jobs ? options.jobs : defaultJobs(),
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());

    if (run.analysisFailed) return kExitAnalysisFailure;
    if (!run.plan.missing.empty()) return kExitUsage;
    bool failing = options.failOn == "warning" ? !report.findings.empty() : report.count(Severity::Error) > 0;
    if (options.baselineStrict && baselineOutcome && !baselineOutcome->fixed.empty()) failing = true;
    // Recording a baseline is the adoption step: what was found is recorded, not a failure.
    if (!options.writeBaselineFile.empty() && !baseline) failing = false;
    return failing ? kExitViolations : kExitClean;
}

}  // namespace

int runCheck(const CheckOptions& options) {
    return guarded([&] { return check(options); });
}

}  // namespace dbarch
