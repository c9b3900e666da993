// Plain records that flow from the analyzer to filters and reporters. Nothing here knows Clang:
// everything after the analyzer can be tested without parsing C++.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace dbarch {

enum class Severity { Warning, Error };

const char* severityName(Severity severity);

// A secondary location: where a macro was defined, which instantiation led here, ...
struct Note {
    std::string file;  // project-relative when inside the project, else absolute
    unsigned line = 0;
    unsigned column = 0;
    std::string message;
};

struct Finding {
    std::string rule;  // rule id, e.g. "dbarch-direct-connection"
    Severity severity = Severity::Error;
    std::string file;  // relative to the project root, '/'-separated
    unsigned line = 0;
    unsigned column = 0;
    std::string message;
    std::string symbol;    // the API that matched: a type, a function, a header, a literal
    std::string function;  // qualified name of the enclosing function ("" at namespace scope)
    std::string context;   // the source line, for carets and line-independent baselines
    std::vector<Note> notes;
};

// A file that could not be (fully) analysed. Never silently treated as clean.
struct AnalysisError {
    std::string file;  // the translation unit (or config/database file), project-relative
    std::string message;
};

// A problem with the run itself that is not a violation, e.g. a handler name that matched nothing.
struct ToolWarning {
    std::string message;
};

// Everything one translation unit produced.
struct UnitResult {
    std::string file;                       // the main file, project-relative
    std::vector<Finding> findings;
    std::vector<AnalysisError> errors;      // non-empty: the unit was not fully analysed
    std::vector<std::string> projectFiles;  // project files the unit read (main file + headers)
    std::vector<std::string> resolvedHandlerNames;  // handler names found as declarations here
    // Every file the compiler read for this unit (absolute): the result cache's dependencies.
    std::vector<std::string> inputFiles;
    // Timing (--stats); not cached.
    bool fromCache = false;
    bool usedPreamble = false;
    // A forbidden type reached a library function whose body was skipped: the unit is parsed
    // again with every library body (Analyzer::analyse), which then says so here.
    bool needsLibraryBodies = false;
    bool reparsedWithLibraryBodies = false;
    double parseSeconds = 0, matchSeconds = 0;
    // Audit only: project function (qualified name) -> its call sites in project code.
    std::map<std::string, std::set<std::string>> callSites;
};

// Sorted by file, line, column, rule; the order every reporter prints in.
bool findingLess(const Finding& a, const Finding& b);
void sortFindings(std::vector<Finding>& findings);

}  // namespace dbarch
