// kind "literal": string literals whose content matches a regular expression (ECMAScript), e.g.
// connection strings with a password. Only ordinary and UTF-8 literals in project code are
// searched; adjacent literals count as one, as the compiler joins them. A matching literal is
// masked in every printed source line, so a CI log never shows the secret.
#include <clang/AST/Expr.h>
#include <clang/Lex/Lexer.h>

#include <cctype>
#include <regex>
#include <string_view>

#include "analysis/kinds/RuleCheck.hpp"

using namespace clang;
using namespace clang::ast_matchers;

namespace dbarch {
namespace {

class LiteralCheck : public RuleCheck {
  public:
    using RuleCheck::RuleCheck;

    void registerMatchers(MatchFinder& finder) override { finder.addMatcher(stringLiteral().bind("literal"), this); }

    void run(const MatchFinder::MatchResult& result) override {
        const auto* literal = result.Nodes.getNodeAs<StringLiteral>("literal");
        if (!literal || literal->getCharByteWidth() != 1) return;
        if (!unit_.isProjectLocation(literal->getBeginLoc())) return;
        std::string text = literal->getString().str();
        for (size_t i = 0; i < rules_.size(); ++i) {
            if (!rules_[i].compiled || !std::regex_search(text, *rules_[i].compiled)) continue;
            maskSecrets(literal, text, *rules_[i].compiled);
            unit_.report(rules_[i], literal->getBeginLoc(), "string literal",
                         unit_.enclosingDecl(DynTypedNode::create(*literal)));
        }
    }

  private:
    // Hides what the pattern matched in every printed line: each match, extended to the end of
    // its value when it stops inside one ("password=h" -> "password=hunter2"). When the literal
    // is one token spelled exactly as its content, only those characters are masked; otherwise
    // (escapes, concatenation, raw strings) the whole literal is.
    void maskSecrets(const StringLiteral* literal, const std::string& text, const Regex& pattern) {
        const SourceManager& sm = unit_.sources();
        SourceLocation token = sm.getSpellingLoc(literal->getStrTokenLoc(0));
        unsigned length = Lexer::MeasureTokenLength(token, sm, unit_.ast().getLangOpts());
        bool invalid = false;
        const char* spelled = sm.getCharacterData(token, &invalid);
        bool exact = !invalid && literal->getNumConcatenated() == 1 && length == text.size() + 2 && spelled[0] == '"' &&
                     std::string_view(spelled + 1, text.size()) == text;
        if (!exact) {
            for (unsigned t = 0; t < literal->getNumConcatenated(); ++t) {
                SourceLocation each = sm.getSpellingLoc(literal->getStrTokenLoc(t));
                unsigned n = Lexer::MeasureTokenLength(each, sm, unit_.ast().getLangOpts());
                if (n > 2) unit_.addSecret(each.getLocWithOffset(1), n - 2);
            }
            return;
        }
        for (auto it = RegexIterator(text.begin(), text.end(), pattern); it != RegexIterator(); ++it) {
            size_t begin = it->position(), end = begin + it->length();
            if (end > begin && std::isalnum(static_cast<unsigned char>(text[end - 1])))
                while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
                       std::string_view("'\";").find(text[end]) == std::string_view::npos)
                    ++end;
            if (end > begin) unit_.addSecret(token.getLocWithOffset(1 + begin), end - begin);
        }
    }
};

}  // namespace

std::unique_ptr<RuleCheck> makeLiteralCheck(UnitContext& unit, std::vector<Rule> rules) {
    return std::make_unique<LiteralCheck>(unit, std::move(rules));
}

}  // namespace dbarch
