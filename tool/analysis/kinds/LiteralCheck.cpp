// kind "literal": string literals whose content matches a regular expression (ECMAScript), e.g.
// connection strings with a password. Only ordinary and UTF-8 literals in project code are
// searched; adjacent literals count as one, as the compiler joins them. The matched text is
// masked in the reported source line, so a CI log never shows the secret.
#include <clang/AST/Expr.h>

#include <regex>

#include "analysis/kinds/RuleCheck.hpp"

using namespace clang;
using namespace clang::ast_matchers;

namespace dbarch {
namespace {

class LiteralCheck : public RuleCheck {
  public:
    LiteralCheck(UnitContext& unit, std::vector<Rule> rules) : RuleCheck(unit, std::move(rules)) {
        for (const auto& rule : rules_) patterns_.emplace_back(rule.pattern, std::regex::ECMAScript | std::regex::optimize);
    }

    void registerMatchers(MatchFinder& finder) override { finder.addMatcher(stringLiteral().bind("literal"), this); }

    void run(const MatchFinder::MatchResult& result) override {
        const auto* literal = result.Nodes.getNodeAs<StringLiteral>("literal");
        if (!literal || literal->getCharByteWidth() != 1) return;
        if (!unit_.isProjectLocation(literal->getBeginLoc())) return;
        std::string text = literal->getString().str();
        for (size_t i = 0; i < rules_.size(); ++i) {
            if (!std::regex_search(text, patterns_[i])) continue;
            unit_.report(rules_[i], literal->getBeginLoc(), "string literal",
                         unit_.enclosingDecl(DynTypedNode::create(*literal)), {}, &patterns_[i]);
        }
    }

  private:
    std::vector<std::regex> patterns_;
};

}  // namespace

std::unique_ptr<RuleCheck> makeLiteralCheck(UnitContext& unit, std::vector<Rule> rules) {
    return std::make_unique<LiteralCheck>(unit, std::move(rules));
}

}  // namespace dbarch
