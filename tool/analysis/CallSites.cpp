#include "analysis/CallSites.hpp"

using namespace clang;
using namespace clang::ast_matchers;

namespace dbarch {

void CallSiteCollector::registerMatchers(MatchFinder& finder) {
    finder.addMatcher(callExpr().bind("call"), this);
}

void CallSiteCollector::run(const MatchFinder::MatchResult& result) {
    const auto* call = result.Nodes.getNodeAs<CallExpr>("call");
    const FunctionDecl* callee = call ? call->getDirectCallee() : nullptr;
    if (!callee || !unit_.isProjectLocation(callee->getLocation()) || !unit_.isProjectLocation(call->getBeginLoc())) return;
    const FunctionDecl* pattern = callee->getTemplateInstantiationPattern();
    std::string name = (pattern ? pattern : callee)->getQualifiedNameAsString();
    const SourceManager& sm = unit_.sources();
    SourceLocation at = sm.getFileLoc(call->getBeginLoc());
    sites_[name].insert(unit_.pathOf(sm.getFileID(at)) + ":" + std::to_string(sm.getSpellingLineNumber(at)) + ":" +
                        std::to_string(sm.getSpellingColumnNumber(at)));
}

}  // namespace dbarch
