// One parse per translation unit, one match pass for all rules; out come plain UnitResults.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>

#include <map>
#include <memory>
#include <string>

#include "analysis/SharedPreamble.hpp"
#include "config/Config.hpp"
#include "findings/Finding.hpp"

namespace dbarch {

struct AnalyzerOptions {
    std::string resourceDir;  // clang's built-in headers (stddef.h, ...); baked in at build time
    bool skipLibraryBodies = true;  // see CheckConsumer::shouldSkipFunctionBody
    // Absolute path -> content seen instead of the file on disk (the staged content, --staged).
    std::shared_ptr<const std::map<std::string, std::string>> overlay;
    bool collectCallSites = false;  // dbarch audit: where project functions are called from
};

class Analyzer {
  public:
    Analyzer(const Config& config, AnalyzerOptions options);

    // Parses and checks one unit. Thread-safe: each call has its own compiler instance. With a
    // shared preamble the unit is parsed on it; should that fail in any way, the unit is parsed
    // again on its own, so a preamble can only change the speed, never the result. Likewise
    // for library bodies left out: a unit that fails, or that needs one of them, is parsed again
    // with all of them. `lastUnit`: the process ends after this unit, so its compiler state need
    // not be freed.
    UnitResult analyse(const clang::tooling::CompileCommand& command, const Preamble* preamble = nullptr,
                       bool lastUnit = false) const;

  private:
    // What a parse left out, and whether it stopped early.
    struct ParseOutcome {
        unsigned libraryBodiesLeftOut = 0;  // constexpr ones (LibraryConstexprBodies)
        bool fatal = false;
    };
    UnitResult analyseSkipping(const clang::tooling::CompileCommand& command, const Preamble* preamble, bool lastUnit,
                               ParseOutcome& outcome) const;
    UnitResult analyseOnce(const clang::tooling::CompileCommand& command, const Preamble* preamble, bool skipLibraryBodies,
                           bool lastUnit, ParseOutcome& outcome) const;

    const Config& config_;
    AnalyzerOptions options_;
    std::vector<Rule> rules_;  // the enabled rules
};

}  // namespace dbarch
