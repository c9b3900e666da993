// What a run produced, after filtering, handed to one or more reporters. No Clang here.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "findings/Finding.hpp"

namespace dbarch {

struct Report {
    std::string toolVersion;
    std::vector<Finding> findings;      // sorted, deduplicated, suppressions applied
    std::vector<AnalysisError> errors;  // units (or inputs) that were not fully analysed
    std::vector<ToolWarning> warnings;  // e.g. handler names that matched nothing
    size_t unitsChecked = 0;            // translation units attempted
    size_t filesAnalysed = 0;           // distinct project files read (main files + headers)
    size_t suppressed = 0;              // findings silenced by NOLINT comments

    size_t count(Severity severity) const;
};

struct TextStyle {
    bool color = false;
};

// clang's style: "path:line:col: error: message [rule-id]", the source line, a caret, notes, and
// a summary line.
void writeText(std::ostream& out, const Report& report, const TextStyle& style);

// JSON schema version 1 (documented in README.md, "JSON output").
void writeJson(std::ostream& out, const Report& report);

}  // namespace dbarch
