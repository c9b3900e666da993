// Reporting only what a change touched: the pre-commit hook and merge-request jobs check whole
// translation units but keep the findings on added or modified lines. Lines come from
// `git diff -U0` or from clang-tidy's --line-filter JSON. Knows nothing of Clang.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "filters/InputError.hpp"
#include "findings/Finding.hpp"

namespace dbarch {

struct LineRange {
    unsigned first = 0, last = 0;  // 1-based, inclusive

    bool operator==(const LineRange&) const = default;
};

struct FileLines {
    bool allLines = false;          // every line of the file (a --line-filter entry without "lines")
    std::vector<LineRange> ranges;  // sorted, merged; empty and !allLines: no line (pure deletion)

    bool contains(unsigned line) const;
};

struct LineFilter {
    // Paths as the source wrote them: relative to the repository's top level for `git diff`
    // (without --relative), as given for --line-filter.
    std::map<std::string, FileLines> files;
    // clang-tidy matches a --line-filter name as a suffix of the file name; dbarch does too, but
    // only at a '/' boundary ("a.cpp" selects "src/a.cpp", not "src/data.cpp"). Git diffs match
    // exactly.
    bool matchSuffix = false;

    // True when `line` of `path` (in the filter's frame) is selected.
    bool selects(const std::string& path, unsigned line) const;
};

// The added and modified lines of a unified diff, new side. Made for
//   git diff -U0 --no-color --no-ext-diff --src-prefix=a/ --dst-prefix=b/ [<base>] [-- paths]
// (the prefixes override diff.noprefix/diff.mnemonicPrefix), but any context width works: only
// '+' lines are selected. Handles new, deleted ("+++ /dev/null": no lines), renamed and copied
// files (listed, with only their changed lines), paths with spaces (git's trailing tab) and
// C-quoted paths ("b/\303\251t\303\251.cpp"). Combined diffs of merges ("@@@") select nothing.
LineFilter parseGitDiff(const std::string& unifiedDiff);

// clang-tidy's --line-filter: [{"name":"file.cpp","lines":[[1,3],[5,5]]},{"name":"all.h"}].
// A missing or empty "lines" selects every line of the file. Throws InputError naming `where`
// and the JSON pointer of a malformed part.
LineFilter parseLineFilter(const std::string& json, const std::string& where = "--line-filter");

// Keeps the findings whose primary location is selected. `framePrefix` is the project root's
// path in the filter's frame (findings/PathFrame.hpp): "" when the project root is the git top
// level (or the cwd the line filter was written for), "services/billing/" for a project in a
// subdirectory, or an absolute "/src/repo/" prefix for a line filter naming absolute paths.
// A finding with no line (0) is kept only when its whole file is selected. Notes are not
// considered: a macro defined on a changed line is reported at its expansion, which must be
// on a changed line too.
std::vector<Finding> keepChangedLines(std::vector<Finding> findings, const LineFilter& filter, const std::string& framePrefix);

}  // namespace dbarch
