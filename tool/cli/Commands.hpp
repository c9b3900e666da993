// The subcommands. Each returns the process exit code:
//   0 clean · 1 violations · 2 usage or configuration error · 3 analysis failure
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dbarch {

enum ExitCode { kExitClean = 0, kExitViolations = 1, kExitUsage = 2, kExitAnalysisFailure = 3 };

struct CheckOptions {
    std::vector<std::string> paths;
    std::string buildPath;
    std::string configFile;
    std::string format = "text";
    std::string output;  // "" = stdout
    std::string color = "auto";
    std::string failOn = "error";
    unsigned jobs = 0;  // 0 = number of cores
    std::string resourceDir;
    bool fullParse = false;
    std::vector<std::pair<std::string, std::string>> extraOutputs;  // (format, file) from --FORMAT-output
    std::string diffRef;     // --diff REF
    bool staged = false;     // --staged
    std::string lineFilter;  // --line-filter JSON (clang-tidy's format)
    std::string baselineFile, writeBaselineFile;
    bool baselineStrict = false;
    bool requireReason = false;
    bool reportUnusedSuppressions = false;
    std::string docsUrl;
    bool useDefaultConfig = false;
    bool noCache = false;
    std::string cacheDir;  // default: .dbarch-cache/ beside the compilation database
    bool stats = false;
    bool noSharedPreamble = false;  // dbarch init: analyse with builtin:default rooted at the cwd
    std::vector<std::string> extraArgs;
    bool haveExtraArgs = false;
};

int runCheck(const CheckOptions& options);
int runRules(const std::string& configFile);
int runExplain(const std::string& ruleId, const std::string& configFile);
int runInstallHook(bool force, const std::string& hookArgs);
int runAudit(const CheckOptions& options);  // options.format: text or json
int runInit(const CheckOptions& options, bool force);

int runCli(int argc, char** argv);

}  // namespace dbarch
