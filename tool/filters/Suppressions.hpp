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

// Suppression hygiene, both off by default:
//   requireReason  a marker that names a dbarch check, or a bare one that silenced a dbarch
//                  finding, must say why: "// NOLINT(dbarch-direct-connection): runs once"
//   reportUnused   a marker that names a dbarch check but silenced nothing is reported
struct SuppressionOptions {
    bool requireReason = false;
    bool reportUnused = false;
};

// The suppressions of one file.
class NolintIndex {
  public:
    static NolintIndex parse(const std::string& file, const std::string& text);

    // True when `rule` is suppressed on `line` (1-based); remembers that the marker was used.
    bool suppress(unsigned line, const std::string& rule);
    bool suppresses(unsigned line, const std::string& rule) const;

    // As "dbarch-nolint" findings: NOLINTBEGIN without NOLINTEND and the reverse (only lists that
    // could concern dbarch: bare, or a glob matching a dbarch-* id), and with `options`, markers
    // without a reason and unused ones. Call after every finding went through suppress().
    std::vector<Finding> problems(const SuppressionOptions& options = {}) const;

  private:
    struct Marker {
        unsigned line = 0, column = 0;  // where the comment is
        unsigned first = 0, last = 0;   // the lines it covers
        std::vector<std::string> checks;  // empty: every check
        std::string spelled;            // "NOLINT(dbarch-x)" as written, for messages
        std::string reason;             // text after "):" or ":" ("" when none)
        size_t usedByDbarch = 0;        // dbarch findings it silenced
    };
    std::string file_;
    std::vector<std::string> lines_;
    std::vector<Marker> markers_;
    std::vector<Finding> unmatched_;
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
                                     const ReadFile& readFile, const SuppressionOptions& options = {});

// Keeps the first of findings that share file, line, column and rule (a project header included
// by many translation units is reported once).
std::vector<Finding> dedupeFindings(std::vector<Finding> findings);

}  // namespace dbarch
