// Errors in files the user hands to the filters (a baseline, a --line-filter), worded like
// ConfigError: "where:line:col: invalid JSON: ..." or "where: at /json/pointer: ...".
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace dbarch {

class InputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

namespace input {

// Parses `text`; a syntax error becomes an InputError at "where:line:col".
nlohmann::json parseJson(const std::string& text, const std::string& where);

[[noreturn]] void fail(const std::string& where, const std::string& pointer, const std::string& what);

// "a string", "an array", ... for "expected X, got Y".
const char* typeName(const nlohmann::json& j);

}  // namespace input
}  // namespace dbarch
