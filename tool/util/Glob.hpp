// Globs as users write them in .dbarch.json ("src/db/**", "third_party/**", "pqxx/*") and in
// NOLINT(...) check lists ("dbarch-*").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dbarch {

// Returns why `pattern` is malformed (e.g. an unclosed '['), or nothing when it is valid.
std::optional<std::string> globError(std::string_view pattern);

// Path glob: '*' and '?' stay inside one '/'-separated segment, '**' as a whole segment matches
// zero or more segments, "[abc]"/"[a-z]"/"[!a]" match one character. A pattern that ends in '/'
// or names a directory also matches everything below it ("third_party" == "third_party/**").
bool pathGlobMatch(std::string_view pattern, std::string_view path);

// Name glob: '*' matches any run of characters, '?' one character (clang-tidy check lists).
bool nameGlobMatch(std::string_view pattern, std::string_view name);

}  // namespace dbarch
