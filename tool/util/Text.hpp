#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dbarch {

// The candidate closest to `word` by edit distance, or "" when none is close enough to be a
// plausible typo ("did you mean ...").
std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates);

std::string trim(std::string_view s);
std::vector<std::string> splitLines(std::string_view text);
std::string joinStrings(const std::vector<std::string>& items, std::string_view separator);

}  // namespace dbarch
