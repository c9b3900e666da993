// Test support: a JSON report's violations as (file, line, rule) keys, and their listing for
// failure messages.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>

namespace dbarch::test {

using Key = std::tuple<std::string, unsigned, std::string>;  // file, line, rule

inline std::set<Key> violationKeys(const nlohmann::json& report) {
    std::set<Key> keys;
    if (!report.is_object()) return keys;
    for (const auto& v : report.value("violations", nlohmann::json::array()))
        keys.emplace(v.at("file").get<std::string>(), v.at("line").get<unsigned>(), v.at("rule").get<std::string>());
    return keys;
}

inline std::string dumpKeys(const std::set<Key>& keys) {
    std::string out;
    for (const auto& [file, line, rule] : keys) out += "  " + file + ":" + std::to_string(line) + " [" + rule + "]\n";
    return out;
}

}  // namespace dbarch::test
