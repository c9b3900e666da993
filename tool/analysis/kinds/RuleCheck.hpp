// One rule kind = one class here, in the shape of a clang-tidy check: it registers its matchers
// (and preprocessor callbacks) once per unit, and turns each match into UnitContext::report.
// A kind handles every enabled rule of its kind, so N rules still mean one match pass.
#pragma once

#include <clang/ASTMatchers/ASTMatchFinder.h>
#include <clang/Lex/Preprocessor.h>

#include <memory>
#include <vector>

#include "analysis/UnitContext.hpp"
#include "config/Config.hpp"

namespace dbarch {

class RuleCheck : public clang::ast_matchers::MatchFinder::MatchCallback {
  public:
    RuleCheck(UnitContext& unit, std::vector<Rule> rules) : unit_(unit), rules_(std::move(rules)) {}

    // Before parsing: preprocessor callbacks (includes are only visible there).
    virtual void registerPPCallbacks(clang::Preprocessor&) {}
    // After parsing, before matching: resolve the rules' names to this unit's declarations.
    virtual void resolve() {}
    virtual void registerMatchers(clang::ast_matchers::MatchFinder& finder) = 0;
    // After the match pass.
    virtual void finish() {}

  protected:
    UnitContext& unit_;
    std::vector<Rule> rules_;
};

// The registry: one check per kind that has enabled rules. Adding a kind means adding a file
// beside this one and a line in RuleCheck.cpp; reporters and filters never change.
std::vector<std::unique_ptr<RuleCheck>> createChecks(UnitContext& unit, const std::vector<Rule>& rules);

std::unique_ptr<RuleCheck> makeConstructCheck(UnitContext& unit, std::vector<Rule> rules);
std::unique_ptr<RuleCheck> makeCallCheck(UnitContext& unit, std::vector<Rule> rules);
std::unique_ptr<RuleCheck> makeIncludeCheck(UnitContext& unit, std::vector<Rule> rules);
std::unique_ptr<RuleCheck> makeLiteralCheck(UnitContext& unit, std::vector<Rule> rules);

}  // namespace dbarch
