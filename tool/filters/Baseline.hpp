// Adopting dbarch on an existing codebase: record today's findings in a baseline file, fail only
// on findings that are not in it. Entries carry no line numbers, only (rule, file, enclosing
// function, normalised source line) and a count, so edits elsewhere in a file do not break them.
#pragma once

#include <string>
#include <vector>

#include "filters/InputError.hpp"
#include "findings/Finding.hpp"

namespace dbarch {

struct BaselineEntry {
    std::string rule;
    std::string file;      // project-relative
    std::string function;  // enclosing function, "" at namespace scope
    std::string text;      // the source line, normalised (normalizeSourceText)
    size_t count = 1;      // how many identical findings this entry absorbs

    bool operator==(const BaselineEntry&) const = default;
};

struct Baseline {
    std::vector<BaselineEntry> entries;  // sorted by file, rule, function, text; keys unique
};

// The baseline file for `findings`:
//   {
//     "version": 1,
//     "entries": [
//       {"rule":"...","file":"...","function":"...","text":"...","count":1},
//       ...
//     ]
//   }
// One entry per line, sorted, no line numbers or dates: a re-run on unchanged code gives the same
// bytes, and a diff of the file shows exactly the findings added or fixed.
std::string writeBaseline(const std::vector<Finding>& findings);

// Parses a baseline file (throws InputError: "path:line:col: invalid JSON: ..." or
// "path: at /entries/2/count: expected a positive integer, got ..."). Entries that share a key
// (e.g. after a hand-merge) are combined by adding their counts.
Baseline loadBaseline(const std::string& text, const std::string& path);

struct BaselineOutcome {
    std::vector<Finding> fresh;         // not in the baseline: report these
    size_t baselined = 0;               // findings absorbed by the baseline
    std::vector<BaselineEntry> fixed;   // entries (count = how many) no finding matched any more
};

// Matches findings to entries as multisets: an entry with count 2 absorbs two identical findings,
// a third is fresh. `fresh` keeps the input order.
BaselineOutcome applyBaseline(std::vector<Finding> findings, const Baseline& baseline);

// "3 baselined, 1 new, 2 fixed" (fixed counts findings, i.e. the sum of the fixed entries' counts).
std::string baselineSummary(const BaselineOutcome& outcome);

}  // namespace dbarch
