// For `dbarch audit`: where project functions are called from, so that functions that already
// act as handlers (open connections and are called from many places) can be found.
#pragma once

#include <clang/ASTMatchers/ASTMatchFinder.h>

#include "analysis/UnitContext.hpp"

namespace dbarch {

class CallSiteCollector : public clang::ast_matchers::MatchFinder::MatchCallback {
  public:
    explicit CallSiteCollector(UnitContext& unit) : unit_(unit) {}

    void registerMatchers(clang::ast_matchers::MatchFinder& finder);
    void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;

    // Callee's qualified name -> call sites ("file:line:col"), both in project code.
    std::map<std::string, std::set<std::string>> take() { return std::move(sites_); }

  private:
    UnitContext& unit_;
    std::map<std::string, std::set<std::string>> sites_;
};

}  // namespace dbarch
