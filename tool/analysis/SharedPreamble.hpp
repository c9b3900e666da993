// Amortising library headers over a whole run: units with the same flags whose leading blocks of
// `#include <...>` lines have headers in common share one precompiled header of those headers,
// built once per run (library bodies skipped, see BodySkipping.hpp) and laid under each of them
// with -include-pch; the unit's own #include lines of them then find them already included. A
// unit whose block shares nothing worth a preamble, or whose PCH cannot be built, is parsed on
// its own as before; nothing else changes for it.
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
    // Every file the PCH read, or its base did: the result cache's dependencies of the units on it.
    std::vector<std::string> inputFiles;
    // The preamble this one was built on (chained: its PCH holds only what the headers after the
    // base's add, and loading it loads the base's), or null.
    std::shared_ptr<const Preamble> base;
    double buildSeconds = 0;
};

struct PreamblePlan {
    std::vector<std::shared_ptr<const Preamble>> forUnit;  // per unit: its preamble, or null
    size_t built = 0, failed = 0, chained = 0;  // chained: built on another
    double buildSeconds = 0;  // summed over builds
};

// The leading `#include <...>` lines of a source text, as spelled; stops at the first quoted
// include or anything else that is not a comment, a blank line or `#pragma once`.
std::vector<std::string> leadingSystemIncludes(const std::string& text);

// Groups `units` by flags, chooses the header blocks worth a preamble among their leading include
// blocks (and what those have in common), and builds one PCH (in `directory`) per block that at
// least two units use, `jobs` at a time. A block that begins with another chosen block is built
// on that one's PCH, parsing only the headers it adds. A unit only gets a preamble whose headers
// it includes itself, in the same order, leaving out nothing before them but standard headers
// (coversBlock in SharedPreamble.cpp). `units[i]` maps to `forUnit[i]`.
PreamblePlan buildSharedPreambles(const Config& config, const std::vector<clang::tooling::CompileCommand>& units,
                                  const std::string& resourceDir, const std::filesystem::path& directory, unsigned jobs);

// The extra arguments that put a preamble under a unit's own command.
std::vector<std::string> preambleArguments(const Preamble& preamble);

}  // namespace dbarch
