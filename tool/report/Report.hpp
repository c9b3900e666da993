// What a run produced, after filtering, handed to one or more reporters. No Clang here.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "findings/Finding.hpp"

namespace dbarch {

// One rule as machine-readable reports describe it (SARIF's tool.driver.rules). Built from the
// configuration and the embedded docs by describeRules() (report/RuleInfo.hpp).
struct RuleInfo {
    std::string id;
    std::string summary;       // one paragraph, one line: what the rule forbids
    std::string description;   // the rule's documentation page (markdown), else the summary
    std::string helpMarkdown;  // the documentation page; "" when the rule has none
    Severity level = Severity::Error;
    bool enabled = true;
};

struct Report {
    std::string toolVersion;
    std::vector<Finding> findings;      // sorted, deduplicated, suppressions applied
    std::vector<AnalysisError> errors;  // units (or inputs) that were not fully analysed
    std::vector<ToolWarning> warnings;  // e.g. handler names that matched nothing
    size_t unitsChecked = 0;            // translation units attempted
    size_t filesAnalysed = 0;           // distinct project files read (main files + headers)
    size_t suppressed = 0;              // findings silenced by NOLINT comments

    // Used by the machine-readable formats (SARIF, GitHub, GitLab, JUnit); text and JSON ignore them.
    std::vector<RuleInfo> rules;     // every rule of the configuration, sorted by id (describeRules)
    std::vector<std::string> units;  // translation units checked, project-relative, in check order
    // Where the sources are browsable, e.g. "https://github.com/org/dbarch/blob/v0.1.0": SARIF's
    // informationUri, and rule help at docsUrl + "/rules/docs/<id>.md". "" = no links.
    std::string docsUrl;
    // The frame prefix (findings/PathFrame.hpp) that turns project-relative paths into the paths
    // CI systems resolve, i.e. relative to the repository's top level: "" when the project root is
    // the top level, else e.g. "services/billing/". Applied by SARIF, GitHub and GitLab output.
    std::string pathPrefix;
    // file:// URI of the directory SARIF's %SRCROOT% stands for: the project root, or with a
    // pathPrefix the directory the prefix is relative to (directoryUri()). "" = not written.
    std::string rootUri;

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

// The last line of the text output, without colour: "dbarch: 2 violations (1 error, 1 warning) in
// 3 translation units (4 project files)[; N suppressed by NOLINT][; K files could not be analysed
// (results are incomplete)]".
std::string summaryLine(const Report& report);

// SARIF 2.1.0 (GitHub code scanning, IDE viewers). Validated against the OASIS schema in tests.
void writeSarif(std::ostream& out, const Report& report);

// GitHub Actions workflow commands, one "::error file=F,line=L,col=C,title=RULE::MESSAGE" (or
// ::warning) per finding, "::error file=F::..." per analysis error, then summaryLine().
void writeGithub(std::ostream& out, const Report& report);

// GitLab Code Quality (a Code Climate issue array). Severity: error -> "major", warning ->
// "minor", analysis error -> "critical".
void writeCodeClimate(std::ostream& out, const Report& report);

// JUnit XML: one testcase per checked unit (plus one per other file with findings or errors).
void writeJunit(std::ostream& out, const Report& report);

// Percent-encodes a '/'-separated path for use in a URI (RFC 3986: everything but unreserved
// characters and '/').
std::string percentEncodePath(std::string_view path);
// "file:///abs/dir/" for an absolute directory path, with the trailing '/' SARIF base URIs need.
std::string directoryUri(std::string_view absoluteDirectory);

}  // namespace dbarch
