// Source lines reach the reporters as raw bytes; JSON and XML writers need valid UTF-8 and SARIF
// counts columns in UTF-16 code units. No Clang here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dbarch {

// `text` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD, so
// a Latin-1 source line can never make a JSON or XML writer throw or emit an invalid document.
std::string toValidUtf8(std::string_view text);

// How many UTF-16 code units the UTF-8 text takes (invalid bytes count as one each).
size_t utf16Length(std::string_view text);

}  // namespace dbarch
