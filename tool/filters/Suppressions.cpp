#include "filters/Suppressions.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "util/Glob.hpp"
#include "util/Text.hpp"

namespace dbarch {
namespace {

enum class MarkerKind { ThisLine, NextLine, Begin, End };

struct Comment {
    MarkerKind marker;
    std::vector<std::string> checks;  // empty: every check
    std::string list;                 // the list as written, normalised; BEGIN/END must agree
    unsigned column;
    std::string spelled;              // the marker as written, e.g. "NOLINTNEXTLINE(dbarch-*)"
    std::string reason;               // after ':' ("// NOLINT(x): why"), trimmed
};

// Finds NOLINT markers on one line. A marker is the word NOLINT, NOLINTNEXTLINE, NOLINTBEGIN or
// NOLINTEND, optionally followed directly by "(check, check...)".
std::vector<Comment> scanLine(const std::string& line) {
    std::vector<Comment> out;
    for (size_t at = line.find("NOLINT"); at != std::string::npos; at = line.find("NOLINT", at + 6)) {
        size_t p = at + 6;
        MarkerKind marker = MarkerKind::ThisLine;
        for (auto [word, kind] : {std::pair{"NEXTLINE", MarkerKind::NextLine}, std::pair{"BEGIN", MarkerKind::Begin},
                                  std::pair{"END", MarkerKind::End}}) {
            if (line.compare(p, std::char_traits<char>::length(word), word) == 0) {
                marker = kind;
                p += std::char_traits<char>::length(word);
                break;
            }
        }
        // "NOLINTX" for any other letter is not a marker.
        if (p < line.size() && (std::isalnum(static_cast<unsigned char>(line[p])) || line[p] == '_')) continue;
        Comment c{marker, {}, "", static_cast<unsigned>(at + 1), "", ""};
        size_t end = p;
        if (p < line.size() && line[p] == '(') {
            size_t close = line.find(')', p);
            if (close == std::string::npos) continue;  // malformed: clang-tidy ignores it too
            end = close + 1;
            std::string inside = line.substr(p + 1, close - p - 1);
            size_t start = 0;
            while (start <= inside.size()) {
                size_t comma = inside.find(',', start);
                if (comma == std::string::npos) comma = inside.size();
                std::string check = trim(inside.substr(start, comma - start));
                if (!check.empty()) c.checks.push_back(check);
                start = comma + 1;
            }
            c.list = joinStrings(c.checks, ",");
        }
        c.spelled = line.substr(at, end - at);
        size_t colon = line.find_first_not_of(' ', end);
        if (colon != std::string::npos && line[colon] == ':') {
            std::string reason = line.substr(colon + 1);
            if (size_t close = reason.find("*/"); close != std::string::npos) reason.resize(close);
            c.reason = trim(reason);
        }
        out.push_back(std::move(c));
    }
    return out;
}

bool listMatches(const std::vector<std::string>& checks, const std::string& rule) {
    if (checks.empty()) return true;
    return std::any_of(checks.begin(), checks.end(), [&](const std::string& g) { return nameGlobMatch(g, rule); });
}

bool concernsDbarch(const std::vector<std::string>& checks) {
    return listMatches(checks, "dbarch-any") ||
           std::any_of(checks.begin(), checks.end(), [](const std::string& g) { return g.rfind("dbarch", 0) == 0; });
}

Finding nolintProblem(const std::string& file, unsigned line, unsigned column, const std::string& text,
                      const std::string& message) {
    Finding f;
    f.rule = "dbarch-nolint";
    f.severity = Severity::Error;
    f.file = file;
    f.line = line;
    f.column = column;
    f.message = message;
    f.symbol = "NOLINT";
    f.context = text;
    return f;
}

}  // namespace

NolintIndex NolintIndex::parse(const std::string& file, const std::string& text) {
    NolintIndex index;
    index.file_ = file;
    index.lines_ = splitLines(text);
    const auto& lines = index.lines_;
    struct Open {
        unsigned line;
        Comment comment;
    };
    std::vector<Open> open;
    auto add = [&](unsigned line, const Comment& c, unsigned first, unsigned last) {
        index.markers_.push_back({line, c.column, first, last, c.checks, c.spelled, c.reason, 0});
    };
    for (unsigned n = 1; n <= lines.size(); ++n) {
        if (lines[n - 1].find("NOLINT") == std::string::npos) continue;
        for (auto& c : scanLine(lines[n - 1])) {
            switch (c.marker) {
                case MarkerKind::ThisLine: add(n, c, n, n); break;
                case MarkerKind::NextLine: add(n, c, n + 1, n + 1); break;
                case MarkerKind::Begin: open.push_back({n, c}); break;
                case MarkerKind::End: {
                    auto it = std::find_if(open.rbegin(), open.rend(), [&](const Open& o) { return o.comment.list == c.list; });
                    if (it == open.rend()) {
                        if (concernsDbarch(c.checks))
                            index.unmatched_.push_back(nolintProblem(file, n, c.column, lines[n - 1],
                                "unmatched 'NOLINTEND' comment without a previous 'NOLINTBEGIN' comment"));
                        break;
                    }
                    add(it->line, it->comment, it->line, n);
                    open.erase(std::next(it).base());
                    break;
                }
            }
        }
    }
    for (const auto& o : open)
        if (concernsDbarch(o.comment.checks))
            index.unmatched_.push_back(nolintProblem(file, o.line, o.comment.column, lines[o.line - 1],
                "unmatched 'NOLINTBEGIN' comment without a subsequent 'NOLINTEND' comment"));
    return index;
}

bool NolintIndex::suppresses(unsigned line, const std::string& rule) const {
    return std::any_of(markers_.begin(), markers_.end(), [&](const Marker& m) {
        return m.first <= line && line <= m.last && listMatches(m.checks, rule);
    });
}

bool NolintIndex::suppress(unsigned line, const std::string& rule) {
    bool any = false;
    for (auto& m : markers_) {
        if (m.first <= line && line <= m.last && listMatches(m.checks, rule)) {
            ++m.usedByDbarch;
            any = true;
        }
    }
    return any;
}

std::vector<Finding> NolintIndex::problems(const SuppressionOptions& options) const {
    std::vector<Finding> out = unmatched_;
    for (const auto& m : markers_) {
        bool namesDbarch = !m.checks.empty() && concernsDbarch(m.checks);
        const std::string& text = lines_[m.line - 1];
        if (options.requireReason && m.reason.empty() && (namesDbarch || m.usedByDbarch > 0))
            out.push_back(nolintProblem(file_, m.line, m.column, text,
                "'" + m.spelled + "' suppresses a dbarch check without a reason; write it as '// " + m.spelled +
                    ": why this code may bypass the handler'"));
        if (options.reportUnused && namesDbarch && m.usedByDbarch == 0)
            out.push_back(nolintProblem(file_, m.line, m.column, text,
                "unused suppression '" + m.spelled + "': no dbarch finding on the line" +
                    (m.first == m.last ? "" : "s") + " it covers; remove it"));
    }
    return out;
}

SuppressionOutcome applySuppressions(std::vector<Finding> findings, const std::vector<std::string>& scannedFiles,
                                     const ReadFile& readFile, const SuppressionOptions& options) {
    std::map<std::string, std::optional<NolintIndex>> indexes;
    auto indexFor = [&](const std::string& file) -> NolintIndex* {
        auto [it, inserted] = indexes.try_emplace(file);
        if (inserted) {
            if (auto text = readFile(file)) it->second = NolintIndex::parse(file, *text);
        }
        return it->second ? &*it->second : nullptr;
    };
    SuppressionOutcome outcome;
    for (auto& f : findings) {
        NolintIndex* index = indexFor(f.file);
        if (index && index->suppress(f.line, f.rule)) ++outcome.suppressed;
        else outcome.kept.push_back(std::move(f));
    }
    std::set<std::string> files(scannedFiles.begin(), scannedFiles.end());
    for (const auto& file : files)
        if (const NolintIndex* index = indexFor(file)) {
            auto problems = index->problems(options);
            outcome.problems.insert(outcome.problems.end(), problems.begin(), problems.end());
        }
    return outcome;
}

std::vector<Finding> dedupeFindings(std::vector<Finding> findings) {
    std::set<std::tuple<std::string, unsigned, unsigned, std::string>> seen;
    std::vector<Finding> out;
    for (auto& f : findings)
        if (seen.emplace(f.file, f.line, f.column, f.rule).second) out.push_back(std::move(f));
    return out;
}

}  // namespace dbarch
