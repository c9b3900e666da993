#include "util/Glob.hpp"

#include <vector>

namespace dbarch {
namespace {

// Matches one character class starting at pattern[p] == '['; advances p past ']'.
bool matchClass(std::string_view pattern, size_t& p, char c) {
    size_t i = p + 1;
    bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
    if (negate) ++i;
    bool matched = false;
    bool first = true;
    for (; i < pattern.size() && (first || pattern[i] != ']'); ++i, first = false) {
        if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
            if (pattern[i] <= c && c <= pattern[i + 2]) matched = true;
            i += 2;
        } else if (pattern[i] == c) {
            matched = true;
        }
    }
    p = i + 1;  // past ']'
    return matched != negate;
}

// Classic iterative wildcard match with one backtrack point; `slashStops` keeps '*' and '?'
// inside one path segment.
bool segmentMatch(std::string_view pattern, std::string_view text, bool slashStops) {
    size_t p = 0, t = 0;
    size_t starP = std::string_view::npos, starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            starP = ++p;
            starT = t;
            continue;
        }
        if (p < pattern.size()) {
            char pc = pattern[p];
            if (pc == '?' && !(slashStops && text[t] == '/')) {
                ++p, ++t;
                continue;
            }
            if (pc == '[') {
                size_t q = p;
                if (!(slashStops && text[t] == '/') && matchClass(pattern, q, text[t])) {
                    p = q, ++t;
                    continue;
                }
            } else if (pc != '?' && pc == text[t]) {
                ++p, ++t;
                continue;
            }
        }
        if (starP != std::string_view::npos && !(slashStops && text[starT] == '/')) {
            p = starP;
            t = ++starT;
            continue;
        }
        return false;
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

std::vector<std::string_view> splitSegments(std::string_view s) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (start <= s.size()) {
        size_t slash = s.find('/', start);
        if (slash == std::string_view::npos) slash = s.size();
        if (slash > start) out.push_back(s.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

bool matchSegments(const std::vector<std::string_view>& pat, size_t pi,
                   const std::vector<std::string_view>& path, size_t ti) {
    if (pi == pat.size()) return ti == path.size();
    if (pat[pi] == "**") {
        for (size_t k = ti; k <= path.size(); ++k)
            if (matchSegments(pat, pi + 1, path, k)) return true;
        return false;
    }
    if (ti == path.size()) return false;
    return segmentMatch(pat[pi], path[ti], true) && matchSegments(pat, pi + 1, path, ti + 1);
}

}  // namespace

std::optional<std::string> globError(std::string_view pattern) {
    if (pattern.empty()) return std::string("empty pattern");
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '[') continue;
        size_t j = i + 1;
        if (j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^')) ++j;
        if (j < pattern.size() && pattern[j] == ']') ++j;  // "[]]" matches ']'
        while (j < pattern.size() && pattern[j] != ']') ++j;
        if (j >= pattern.size())
            return "unclosed '[' at offset " + std::to_string(i);
        i = j;
    }
    for (size_t i = 0; i + 2 < pattern.size() + 1; ++i) {
        // "a**b": '**' only has its any-depth meaning as a whole segment; elsewhere it is
        // almost always a typo for "a*/**" or "**/b".
        if (pattern.substr(i, 2) == "**") {
            bool segStart = i == 0 || pattern[i - 1] == '/';
            bool segEnd = i + 2 == pattern.size() || pattern[i + 2] == '/';
            if (!segStart || !segEnd)
                return "'**' must be a whole path segment (e.g. \"src/**\" or \"**/gen/*.cpp\") at offset " +
                       std::to_string(i);
        }
    }
    return std::nullopt;
}

bool pathGlobMatch(std::string_view pattern, std::string_view path) {
    while (pattern.size() > 1 && pattern.back() == '/') pattern.remove_suffix(1);
    if (pattern.starts_with("./")) pattern.remove_prefix(2);
    if (path.starts_with("./")) path.remove_prefix(2);
    auto pat = splitSegments(pattern);
    auto segs = splitSegments(path);
    if (matchSegments(pat, 0, segs, 0)) return true;
    // A pattern naming a directory covers everything below it.
    for (size_t n = segs.size(); n-- > 1;) {
        std::vector<std::string_view> prefix(segs.begin(), segs.begin() + n);
        if (matchSegments(pat, 0, prefix, 0)) return true;
    }
    return false;
}

bool nameGlobMatch(std::string_view pattern, std::string_view name) {
    return segmentMatch(pattern, name, false);
}

}  // namespace dbarch
