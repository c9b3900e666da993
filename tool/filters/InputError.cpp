#include "filters/InputError.hpp"

namespace dbarch::input {

nlohmann::json parseJson(const std::string& text, const std::string& where) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // nlohmann reports a byte offset (1-based, pointing past the offending byte); clang-style
        // line:col is what editors jump to.
        size_t offset = e.byte == 0 ? 0 : e.byte - 1;
        unsigned line = 1, col = 1;
        for (size_t i = 0; i < offset && i < text.size(); ++i) {
            if (text[i] == '\n') ++line, col = 1;
            else ++col;
        }
        std::string what = e.what();
        size_t colon = what.find(": ", what.find("parse error"));
        std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
        throw InputError(where + ":" + std::to_string(line) + ":" + std::to_string(col) + ": invalid JSON: " + reason);
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
