// Findings are relative to the project root; CI systems, git and clang-tidy's --line-filter name
// files relative to something else (the repository's top level, the cwd). A "frame prefix" is the
// project root's path in that other frame: "" when they coincide, "services/billing/" when the
// project is a subdirectory of the repository, or an absolute "/src/repo/services/billing/".
#pragma once

#include <string>
#include <string_view>

namespace dbarch {

// `path` (project-relative) as seen from the frame whose project-root prefix is `prefix`.
// Absolute paths (files outside the project, e.g. a library header in a note) are returned as is.
// A prefix of "", "." or "./" means the same frame; a missing trailing '/' is added.
std::string inFrame(std::string_view prefix, std::string_view path);

}  // namespace dbarch
