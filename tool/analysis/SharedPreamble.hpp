// Amortising library headers over a whole run: units that start with the same block of
// `#include <...>` lines and have the same flags share one precompiled header of that block,
// built once per run (library bodies skipped, see BodySkipping.hpp) and laid under each of them
// with -include-pch. A unit whose prefix matches no other unit's, or whose PCH cannot be built,
// is parsed on its own as before; nothing else changes for it.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/Config.hpp"

namespace dbarch {

struct Preamble {
    std::string pchPath;
    std::string directory;                // where this run keeps its preambles (removed after the run)
    std::vector<std::string> headers;     // the shared include block, as spelled
    std::vector<std::string> inputFiles;  // every file the PCH read (the result cache's dependencies)
    double buildSeconds = 0;
};

struct PreamblePlan {
    std::vector<std::shared_ptr<const Preamble>> forUnit;  // per unit: its preamble, or null
    size_t built = 0, failed = 0;
    double buildSeconds = 0;  // summed over builds
};

// The leading `#include <...>` lines of a source text, as spelled; stops at the first quoted
// include or anything else that is not a comment, a blank line or `#pragma once`.
std::vector<std::string> leadingSystemIncludes(const std::string& text);

// Groups `units` by flags and leading include block, and builds one PCH (in `directory`) per
// block that at least two units share, `jobs` at a time. `units[i]` maps to `forUnit[i]`.
PreamblePlan buildSharedPreambles(const Config& config, const std::vector<clang::tooling::CompileCommand>& units,
                                  const std::string& resourceDir, const std::filesystem::path& directory, unsigned jobs);

// The extra arguments that put a preamble under a unit's own command.
std::vector<std::string> preambleArguments(const Preamble& preamble);

}  // namespace dbarch
