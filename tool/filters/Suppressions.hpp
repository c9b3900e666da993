// Inline suppressions in clang-tidy's grammar:
//   // NOLINT                     this line, every check
//   // NOLINT(dbarch-direct-connection, dbarch-prepared-*)   this line, these checks (globs)
//   // NOLINTNEXTLINE(...)        the next line
//   // NOLINTBEGIN(...) ... // NOLINTEND(...)   a block; BEGIN and END must name the same list
// Works on file text only; knows nothing of Clang.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "findings/Finding.hpp"

namespace dbarch {

// The suppressions of one file.
class NolintIndex {
  public:
    static NolintIndex parse(const std::string& file, const std::string& text);

    // True when `rule` is suppressed on `line` (1-based).
    bool suppresses(unsigned line, const std::string& rule) const;

    // NOLINTBEGIN without NOLINTEND and the reverse, as "dbarch-nolint" findings. Only lists that
    // could concern dbarch (bare, or a glob matching a dbarch-* id) are reported.
    const std::vector<Finding>& problems() const { return problems_; }

  private:
    struct Range {
        unsigned first = 0, last = 0;
        std::vector<std::string> checks;  // empty: every check
    };
    std::vector<Range> ranges_;
    std::vector<Finding> problems_;
};

using ReadFile = std::function<std::optional<std::string>(const std::string& relativePath)>;

struct SuppressionOutcome {
    std::vector<Finding> kept;
    std::vector<Finding> problems;  // unmatched NOLINTBEGIN/END in any scanned file
    size_t suppressed = 0;
};

// Drops suppressed findings. `scannedFiles` are the project files to check for unmatched
// BEGIN/END (every project file the run read, not only those with findings).
SuppressionOutcome applySuppressions(std::vector<Finding> findings, const std::vector<std::string>& scannedFiles,
                                     const ReadFile& readFile);

// Keeps the first of findings that share file, line, column and rule (a project header included
// by many translation units is reported once).
std::vector<Finding> dedupeFindings(std::vector<Finding> findings);

}  // namespace dbarch
