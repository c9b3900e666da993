// util/Regex.hpp only spells out the "C" locale's collation: every ECMAScript construct the rule
// packs use must match exactly as std::regex does.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/Regex.hpp"

using dbarch::Regex;

namespace {

bool searchBoth(const std::string& pattern, const std::string& text) {
    bool ours = std::regex_search(text, Regex(pattern, std::regex::ECMAScript));
    bool standard = std::regex_search(text, std::regex(pattern, std::regex::ECMAScript));
    EXPECT_EQ(ours, standard) << "pattern " << pattern << " on " << text;
    return ours;
}

}  // namespace

TEST(Regex, MatchesAsStdRegexDoes) {
    const std::vector<std::string> patterns = {
        R"(\b(?:[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd])\s*=\s*[^\s'";]+)",
        R"(postgres(?:ql)?://[^\s/?#@:]*:[^\s/?#@]+@)",
        R"([[:alpha:]_][[:alnum:]_]*)",
        R"([[=a=]]bc)",
        R"(\w+\d{2,3}$)",
        R"(^[A-Za-z0-9][A-Za-z0-9._-]*$)",
        R"(x(?!y)[a-f])",
    };
    const std::vector<std::string> texts = {
        "host=db password=secret", "PASSWORD = 's3cret'", "password=", "postgresql://u:pw@h/db", "postgres://u@h",
        "abc", "Abc", "_name1", "9lives", "count42", "dbarch-rule.id", "-bad", "xa", "xya", "",
    };
    int matched = 0;
    for (const auto& p : patterns)
        for (const auto& t : texts) matched += searchBoth(p, t);
    EXPECT_GT(matched, 10);  // the table exercises both outcomes
}

TEST(Regex, IteratesMatchesLikeStdRegex) {
    Regex pattern(R"([^\s=]+=([^\s]+))", std::regex::ECMAScript);
    std::string text = "host=db user=app password=secret";
    std::vector<std::string> values;
    for (auto it = dbarch::RegexIterator(text.begin(), text.end(), pattern); it != dbarch::RegexIterator(); ++it)
        values.push_back((*it)[1].str());
    EXPECT_EQ(values, (std::vector<std::string>{"db", "app", "secret"}));
}
