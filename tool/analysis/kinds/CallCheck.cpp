// kind "call": these functions must not be called, nor referenced (address taken, bound to
// std::function, passed as a callback) outside the handler.
//
// Matched: every reference to the function in project code: DeclRefExpr (free functions,
// `&Class::method`, through using-declarations and macros), MemberExpr (method calls on any
// object), and in templates never instantiated, a dependent call whose every candidate is
// forbidden. All overloads and template specializations of a named function count; a member
// named through a derived class ("pqxx::work::exec_prepared") resolves to the base's.
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>

#include <set>

#include "analysis/kinds/RuleCheck.hpp"

using namespace clang;
using namespace clang::ast_matchers;

namespace dbarch {
namespace {

// Every declaration that stands for `fn` in a rule: itself, the template it was instantiated
// from, the member of the class template it came from.
std::vector<const Decl*> identities(const FunctionDecl* fn) {
    std::vector<const Decl*> ids{fn->getCanonicalDecl()};
    if (const FunctionDecl* pattern = fn->getTemplateInstantiationPattern()) ids.push_back(pattern->getCanonicalDecl());
    if (const FunctionTemplateDecl* primary = fn->getPrimaryTemplate())
        ids.push_back(primary->getTemplatedDecl()->getCanonicalDecl());
    if (const FunctionDecl* member = fn->getInstantiatedFromMemberFunction()) ids.push_back(member->getCanonicalDecl());
    return ids;
}

std::string functionName(const FunctionDecl* fn) {
    const FunctionDecl* pattern = fn->getTemplateInstantiationPattern();
    return (pattern ? pattern : fn)->getQualifiedNameAsString();
}

class CallCheck : public RuleCheck {
  public:
    using RuleCheck::RuleCheck;

    void resolve() override {
        targets_.resize(rules_.size());
        for (size_t i = 0; i < rules_.size(); ++i)
            for (const auto& name : rules_[i].names)
                for (const NamedDecl* decl : unit_.resolver().resolve(name))
                    if (isa<FunctionDecl>(decl)) targets_[i].insert(decl->getCanonicalDecl()), any_ = true;
    }

    void registerMatchers(MatchFinder& finder) override {
        finder.addMatcher(declRefExpr(to(functionDecl())).bind("ref"), this);
        finder.addMatcher(memberExpr(member(functionDecl())).bind("member"), this);
        finder.addMatcher(unresolvedLookupExpr().bind("dependent"), this);
    }

    void run(const MatchFinder::MatchResult& result) override {
        if (!any_) return;
        if (const auto* ref = result.Nodes.getNodeAs<DeclRefExpr>("ref")) {
            check(cast<FunctionDecl>(ref->getDecl()), ref->getLocation(), DynTypedNode::create(*ref));
        } else if (const auto* member = result.Nodes.getNodeAs<MemberExpr>("member")) {
            check(cast<FunctionDecl>(member->getMemberDecl()), member->getMemberLoc(), DynTypedNode::create(*member));
        } else if (const auto* dependent = result.Nodes.getNodeAs<UnresolvedLookupExpr>("dependent")) {
            checkDependent(dependent);
        }
    }

  private:
    std::vector<std::set<const Decl*>> targets_;
    bool any_ = false;

    bool forbids(size_t rule, const FunctionDecl* fn) const {
        for (const Decl* id : identities(fn))
            if (targets_[rule].count(id)) return true;
        return false;
    }

    void check(const FunctionDecl* fn, SourceLocation at, const DynTypedNode& node) {
        if (!unit_.isProjectLocation(at)) return;
        const Decl* enclosing = nullptr;
        bool looked = false;
        for (size_t i = 0; i < rules_.size(); ++i) {
            if (!forbids(i, fn)) continue;
            if (!looked) {
                if (unit_.isUnevaluated(node)) return;  // decltype(&PQconnectdb) calls nothing
                enclosing = unit_.enclosingDecl(node), looked = true;
            }
            unit_.report(rules_[i], at, functionName(fn), enclosing);
        }
    }

    void checkDependent(const UnresolvedLookupExpr* lookup) {
        if (lookup->getNumDecls() == 0 || !unit_.isProjectLocation(lookup->getNameLoc())) return;
        for (size_t i = 0; i < rules_.size(); ++i) {
            bool all = true;
            const FunctionDecl* first = nullptr;
            for (const NamedDecl* decl : lookup->decls()) {
                const NamedDecl* target = decl->getUnderlyingDecl();
                const FunctionDecl* fn = dyn_cast<FunctionDecl>(target);
                if (const auto* tmpl = dyn_cast<FunctionTemplateDecl>(target)) fn = tmpl->getTemplatedDecl();
                if (!fn || !forbids(i, fn)) {
                    all = false;
                    break;
                }
                if (!first) first = fn;
            }
            if (all && first)
                unit_.report(rules_[i], lookup->getNameLoc(), functionName(first), unit_.enclosingDecl(DynTypedNode::create(*lookup)));
        }
    }
};

}  // namespace

std::unique_ptr<RuleCheck> makeCallCheck(UnitContext& unit, std::vector<Rule> rules) {
    return std::make_unique<CallCheck>(unit, std::move(rules));
}

}  // namespace dbarch
