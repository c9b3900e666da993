#include "util/Json.hpp"

namespace dbarch {

std::string jsonSyntaxError(const std::string& where, const std::string& text, const nlohmann::json::parse_error& error) {
    size_t offset = error.byte == 0 ? 0 : error.byte - 1;  // 1-based, past the offending byte
    unsigned line = 1, column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') ++line, column = 1;
        else ++column;
    }
    std::string what = error.what();
    size_t colon = what.find(": ", what.find("parse error"));
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    return where + ":" + std::to_string(line) + ":" + std::to_string(column) + ": invalid JSON: " + reason;
}

}  // namespace dbarch
