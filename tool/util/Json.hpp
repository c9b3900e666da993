#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace dbarch {

// "where:line:col: invalid JSON: <nlohmann's explanation>" for a parse error in `text`:
// nlohmann reports a byte offset, clang-style line:col is what editors jump to.
std::string jsonSyntaxError(const std::string& where, const std::string& text, const nlohmann::json::parse_error& error);

}  // namespace dbarch
