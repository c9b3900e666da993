// Files from rules/ compiled into the binary (generated at build time by cmake/Embed.cmake), so
// the built-in packs are the same JSON users read and write, never duplicated in C++.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace dbarch {

// "libpq" -> contents of rules/libpq.json, ...
const std::map<std::string, std::string_view>& embeddedPacks();
// "dbarch-direct-connection" -> contents of rules/docs/dbarch-direct-connection.md, ...
const std::map<std::string, std::string_view>& embeddedRuleDocs();
// "pre-commit" -> contents of hooks/pre-commit (installed by `dbarch install-hook`).
const std::map<std::string, std::string_view>& embeddedHooks();

}  // namespace dbarch
