// The regular expressions of rules and configuration: ECMAScript, as std::regex, under the
// classic "C" locale (dbarch never changes the global locale).
//
// Why not plain std::regex: libstdc++ builds a 256-entry table for every bracket expression
// (`[^\s'";]`) while compiling, and asks the locale's collate facet to transform each of the 256
// characters (strxfrm and two allocations per character). The rule packs' credential patterns
// have dozens of bracket expressions, which made compiling them cost more than parsing a small
// translation unit's own code. In the "C" locale collation is the identity, so it is spelled out
// here; matching is unchanged.
#pragma once

#include <cctype>
#include <regex>
#include <string>

namespace dbarch {

struct ClassicRegexTraits : std::regex_traits<char> {
    template <class Iterator>
    string_type transform(Iterator first, Iterator last) const {
        return string_type(first, last);
    }
    template <class Iterator>
    string_type transform_primary(Iterator first, Iterator last) const {
        string_type key(first, last);
        for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return key;
    }
};

using Regex = std::basic_regex<char, ClassicRegexTraits>;
using RegexIterator = std::regex_iterator<std::string::const_iterator, char, ClassicRegexTraits>;

}  // namespace dbarch
