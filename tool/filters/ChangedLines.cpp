#include "filters/ChangedLines.hpp"

#include <algorithm>
#include <optional>

#include "findings/PathFrame.hpp"
#include "util/Text.hpp"

namespace dbarch {
namespace {

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

std::string withoutDotSlash(std::string path) {
    while (startsWith(path, "./")) path.erase(0, 2);
    return path;
}

// Sorts and merges overlapping or adjacent ranges, so lookups and comparisons are simple.
std::vector<LineRange> mergeRanges(std::vector<LineRange> ranges) {
    std::sort(ranges.begin(), ranges.end(), [](const LineRange& a, const LineRange& b) {
        return a.first < b.first || (a.first == b.first && a.last < b.last);
    });
    std::vector<LineRange> merged;
    for (const auto& r : ranges) {
        if (!merged.empty() && r.first <= merged.back().last + 1) merged.back().last = std::max(merged.back().last, r.last);
        else merged.push_back(r);
    }
    return merged;
}

// git's C-style quoting of unusual paths: "a/t\303\251st \"x\".cpp".
std::string unquoteC(std::string_view quoted) {
    std::string out;
    for (size_t i = 1; i < quoted.size() && quoted[i] != '"'; ++i) {
        char c = quoted[i];
        if (c != '\\' || i + 1 >= quoted.size()) {
            out += c;
            continue;
        }
        char e = quoted[++i];
        if (e >= '0' && e <= '7') {
            int value = 0;
            for (int k = 0; k < 3 && i < quoted.size() && quoted[i] >= '0' && quoted[i] <= '7'; ++k, ++i)
                value = value * 8 + (quoted[i] - '0');
            --i;
            out += static_cast<char>(value);
            continue;
        }
        switch (e) {
            case 'a': out += '\a'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'v': out += '\v'; break;
            default: out += e;  // \" and \\ .
        }
    }
    return out;
}

// The path of a "+++ " / "rename to " line: C-quoted, or raw up to a tab (git appends a tab to
// names containing spaces; GNU diff a tab and a timestamp).
std::string diffPath(std::string_view text) {
    if (startsWith(text, "\"")) return unquoteC(text);
    return std::string(text.substr(0, text.find('\t')));
}

// One side of a hunk header "@@ -a,b +c,d @@": the start line and the line count, which git
// omits when it is 1. `sign` is '-' for the old side, '+' for the new.
struct HunkSide {
    unsigned start = 0, count = 1;
};

std::optional<HunkSide> hunkSide(std::string_view header, char sign) {
    size_t i = header.find(std::string(" ") + sign);
    if (i == std::string_view::npos) return std::nullopt;
    i += 2;
    auto number = [&](unsigned& into) {
        size_t begin = i;
        into = 0;
        while (i < header.size() && header[i] >= '0' && header[i] <= '9') into = into * 10 + (header[i++] - '0');
        return i > begin;
    };
    HunkSide side;
    if (!number(side.start)) return std::nullopt;
    if (i < header.size() && header[i] == ',' && (++i, !number(side.count))) return std::nullopt;
    return side;
}

// Walks a diff line by line. Inside a hunk, lines are counted against the header so that an added
// line that happens to read "+++ b/x" is never taken for a file header.
class DiffParser {
  public:
    LineFilter parse(const std::string& diff) {
        for (const auto& line : splitLines(diff)) {
            if (inHunk() && hunkLine(line)) continue;
            headerLine(line);
        }
        LineFilter filter;
        for (auto& [file, ranges] : added_) filter.files[file].ranges = mergeRanges(std::move(ranges));
        return filter;
    }

  private:
    std::map<std::string, std::vector<LineRange>> added_;
    std::string currentName_;  // the file whose hunks follow; "": deleted or unknown
    unsigned oldLeft_ = 0, newLeft_ = 0, newLine_ = 0;

    bool inHunk() const { return oldLeft_ > 0 || newLeft_ > 0; }

    void selectFile(const std::string& path) {
        added_[path];  // listed even when nothing is added (pure renames, deletions of lines)
        currentName_ = path;
    }

    bool hunkLine(const std::string& line) {
        char c = line.empty() ? ' ' : line[0];  // some tools strip the space of empty context lines
        if (c == '+' && newLeft_ > 0) {
            if (!currentName_.empty()) added_[currentName_].push_back({newLine_, newLine_});
            ++newLine_, --newLeft_;
        } else if (c == '-' && oldLeft_ > 0) {
            --oldLeft_;
        } else if (c == ' ' && oldLeft_ > 0 && newLeft_ > 0) {
            ++newLine_, --newLeft_, --oldLeft_;
        } else if (c == '\\') {
            // "\ No newline at end of file"
        } else {
            oldLeft_ = newLeft_ = 0;  // malformed or truncated hunk: resynchronise on headers
            return false;
        }
        return true;
    }

    void headerLine(const std::string& line) {
        if (startsWith(line, "diff ")) {
            currentName_.clear();
        } else if (startsWith(line, "rename to ") || startsWith(line, "copy to ")) {
            selectFile(diffPath(std::string_view(line).substr(line.find(" to ") + 4)));
        } else if (startsWith(line, "+++ ")) {
            std::string path = diffPath(std::string_view(line).substr(4));
            if (path == "/dev/null") currentName_.clear();  // a deleted file has no new lines
            else selectFile(startsWith(path, "b/") ? path.substr(2) : path);
        } else if (startsWith(line, "@@ ")) {
            startHunk(line);
        } else if (startsWith(line, "@@@")) {
            // A combined diff (merge): its columns are not counted here; select nothing.
        }
    }

    void startHunk(const std::string& header) {
        auto oldSide = hunkSide(header, '-');
        auto newSide = hunkSide(header, '+');
        if (!oldSide || !newSide) return;
        oldLeft_ = oldSide->count;
        newLeft_ = newSide->count;
        newLine_ = newSide->start;
    }
};

[[noreturn]] void failAt(const std::string& where, const std::string& pointer, const std::string& what) {
    input::fail(where, pointer, what);
}

unsigned lineNumber(const nlohmann::json& j, const std::string& where, const std::string& pointer) {
    if (!j.is_number_unsigned() || j.get<unsigned long long>() == 0 || j.get<unsigned long long>() > 0xFFFFFFFFull)
        failAt(where, pointer, std::string("expected a line number (a positive integer), got ") +
                                   (j.is_number() ? j.dump() : input::typeName(j)));
    return j.get<unsigned>();
}

LineRange readRange(const nlohmann::json& j, const std::string& where, const std::string& pointer) {
    if (!j.is_array() || j.size() != 2)
        failAt(where, pointer, std::string("expected [first, last], got ") + (j.is_array() ? j.dump() : input::typeName(j)));
    LineRange r{lineNumber(j[0], where, pointer + "/0"), lineNumber(j[1], where, pointer + "/1")};
    if (r.first > r.last) failAt(where, pointer, "first line " + std::to_string(r.first) + " is after last line " + std::to_string(r.last));
    return r;
}

void readEntry(const nlohmann::json& j, const std::string& where, const std::string& pointer, LineFilter& filter) {
    if (!j.is_object()) failAt(where, pointer, std::string("expected an object, got ") + input::typeName(j));
    for (const auto& [key, value] : j.items())
        if (key != "name" && key != "lines") failAt(where, pointer + "/" + key, "unknown key '" + key + "' (allowed: name, lines)");
    if (!j.contains("name")) failAt(where, pointer, "missing required key 'name'");
    if (!j["name"].is_string() || j["name"].get<std::string>().empty())
        failAt(where, pointer + "/name", std::string("expected a file name, got ") + (j["name"].is_string() ? "\"\"" : input::typeName(j["name"])));
    FileLines& lines = filter.files[withoutDotSlash(j["name"].get<std::string>())];
    if (!j.contains("lines") || (j["lines"].is_array() && j["lines"].empty())) {
        lines.allLines = true;  // as in clang-tidy: no ranges means the whole file
        return;
    }
    const auto& ranges = j["lines"];
    if (!ranges.is_array()) failAt(where, pointer + "/lines", std::string("expected an array of [first, last], got ") + input::typeName(ranges));
    for (size_t i = 0; i < ranges.size(); ++i) lines.ranges.push_back(readRange(ranges[i], where, pointer + "/lines/" + std::to_string(i)));
    lines.ranges = mergeRanges(std::move(lines.ranges));
}

}  // namespace

bool FileLines::contains(unsigned line) const {
    if (allLines) return true;
    return std::any_of(ranges.begin(), ranges.end(), [&](const LineRange& r) { return r.first <= line && line <= r.last; });
}

bool LineFilter::selects(const std::string& path, unsigned line) const {
    auto selectedBy = [&](const FileLines& lines) { return line ? lines.contains(line) : lines.allLines; };
    if (auto it = files.find(path); it != files.end()) return selectedBy(it->second);
    if (!matchSuffix) return false;
    for (const auto& [name, lines] : files) {
        bool suffix = path.size() > name.size() && path.compare(path.size() - name.size(), name.size(), name) == 0 &&
                      path[path.size() - name.size() - 1] == '/';
        if (suffix && selectedBy(lines)) return true;
    }
    return false;
}

LineFilter parseGitDiff(const std::string& unifiedDiff) {
    return DiffParser().parse(unifiedDiff);
}

LineFilter parseLineFilter(const std::string& json, const std::string& where) {
    nlohmann::json doc = input::parseJson(json, where);
    if (!doc.is_array()) failAt(where, "", std::string("expected an array of {\"name\": ..., \"lines\": [[first, last], ...]}, got ") + input::typeName(doc));
    LineFilter filter;
    filter.matchSuffix = true;
    for (size_t i = 0; i < doc.size(); ++i) {
        std::string pointer = "/";
        pointer += std::to_string(i);  // not "/" + ...: GCC 12 warns falsely (-Wrestrict, PR 105329)
        readEntry(doc[i], where, pointer, filter);
    }
    return filter;
}

std::vector<Finding> keepChangedLines(std::vector<Finding> findings, const LineFilter& filter, const std::string& framePrefix) {
    std::vector<Finding> kept;
    for (auto& f : findings)
        if (filter.selects(inFrame(framePrefix, f.file), f.line)) kept.push_back(std::move(f));
    return kept;
}

}  // namespace dbarch
