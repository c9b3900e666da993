#include "filters/InputError.hpp"

#include "util/Json.hpp"

namespace dbarch::input {

nlohmann::json parseJson(const std::string& text, const std::string& where) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(jsonSyntaxError(where, text, e));
    }
}

void fail(const std::string& where, const std::string& pointer, const std::string& what) {
    throw InputError(where + ": " + (pointer.empty() ? "" : "at " + pointer + ": ") + what);
}

const char* typeName(const nlohmann::json& j) {
    if (j.is_string()) return "a string";
    if (j.is_number()) return "a number";
    if (j.is_boolean()) return "a boolean";
    if (j.is_null()) return "null";
    if (j.is_array()) return "an array";
    return "an object";
}

}  // namespace dbarch::input
