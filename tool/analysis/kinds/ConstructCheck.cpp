// kind "construct": objects of these types (or of classes derived from them) must not be created
// outside the handler.
//
// Matched: every CXXConstructExpr in project code (direct, brace, copy-list init, temporaries,
// `new`, member default initializers, base-class initializers), whatever alias, macro or template
// spelled the type: the check compares canonical declarations, not names.
// Library-mediated construction (std::make_unique, make_shared, vector::emplace_back,
// optional::emplace, ...) happens inside library templates, where nothing is reported; so a call
// or construction in project code whose callee is a library template instantiation involving a
// forbidden type is searched (transitively, memoised, depth-bounded) for the construction, and
// reported at the call in project code. Implicit constructors of project classes are searched the
// same way and reported where the object is created. Where that search meets a library body that
// was skipped for speed, the unit is parsed again with every body (analysis/BodySkipping.hpp).
// Not matched: copy and move construction (no new connection is opened), references, pointers.
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/RecursiveASTVisitor.h>

#include <clang/Basic/Version.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "analysis/kinds/RuleCheck.hpp"

using namespace clang;
using namespace clang::ast_matchers;

namespace dbarch {
namespace {

constexpr int kMaxDescent = 12;

// A definition whose body the parser skipped, dropped or has yet to parse (a delayed template never
// instantiated), or the instantiation of one.
bool hasSkippedBody(const FunctionDecl* definition) {
    if (definition->hasSkippedBody() || definition->isLateTemplateParsed()) return true;
    const FunctionDecl* pattern = definition->getTemplateInstantiationPattern();
    return pattern && (pattern->hasSkippedBody() || pattern->isLateTemplateParsed());
}

// Standard templates that only own, share or destroy a T made elsewhere: none of their functions
// constructs a T (make_unique, make_shared and allocate_shared construct through pack-forwarding
// templates, whose bodies are always kept). libstdc++ names and its internal bases.
constexpr const char* kNeverConstructs[] = {
    "unique_ptr", "__uniq_ptr_impl", "__uniq_ptr_data", "default_delete", "shared_ptr", "__shared_ptr",
    "__shared_ptr_access", "weak_ptr", "__weak_ptr", "__shared_count", "__weak_count", "destroy_at",
    "destroy", "destroy_n", "_Destroy", "_Destroy_n"};

// A library function whose skipped body cannot hide a new connection: destructors and copy or
// move operations only destroy, copy or move what exists (copy and move construction are not
// reported), and the owning pointers above never construct what they own.
bool cannotConstruct(const FunctionDecl* fn) {
    if (isa<CXXDestructorDecl>(fn)) return true;
    if (const auto* ctor = dyn_cast<CXXConstructorDecl>(fn); ctor && ctor->isCopyOrMoveConstructor()) return true;
    const NamedDecl* owner = fn;
    if (const auto* method = dyn_cast<CXXMethodDecl>(fn)) {
        if (method->isCopyAssignmentOperator() || method->isMoveAssignmentOperator()) return true;
        owner = method->getParent();
    }
    if (!owner->isInStdNamespace() || !owner->getIdentifier()) return false;
    llvm::StringRef name = owner->getName();
    return std::any_of(std::begin(kNeverConstructs), std::end(kNeverConstructs), [&](const char* n) { return name == n; });
}

std::string typeName(QualType type, const ASTContext& context) {
    PrintingPolicy policy(context.getLangOpts());
    policy.SuppressTagKeyword = true;
    policy.SuppressScope = false;
    return type.getLocalUnqualifiedType().getAsString(policy);
}

// Where to report a construction: a variable or member being initialised is reported at its name
// (as clang does), anything else (temporaries, new, base initializers) where the type is written.
SourceLocation reportLocation(const CXXConstructExpr* construct, const Decl* enclosing) {
    if (const auto* var = dyn_cast_or_null<VarDecl>(enclosing))
        if (var->getInit() && var->getInit()->IgnoreImplicit() == construct) return var->getLocation();
    if (const auto* field = dyn_cast_or_null<FieldDecl>(enclosing))
        if (field->getInClassInitializer() && field->getInClassInitializer()->IgnoreImplicit() == construct)
            return field->getLocation();
    return construct->getBeginLoc();
}

// The forbidden type as the user spelled it in a call like std::make_unique<pqxx::connection>()
// or std::vector<pqxx::connection>::emplace_back(), rather than its canonical name.
std::string spelledTypeName(const Expr* at, QualType constructed, const ASTContext& context) {
    QualType target = context.getCanonicalType(constructed.getUnqualifiedType());
    std::function<std::optional<QualType>(QualType, int)> search = [&](QualType type, int depth) -> std::optional<QualType> {
        if (type.isNull() || depth > 4) return std::nullopt;
        if (context.getCanonicalType(type.getUnqualifiedType()) == target) return type;
        if (const auto* spec = type->getAs<TemplateSpecializationType>())
#if CLANG_VERSION_MAJOR >= 16
            for (const auto& arg : spec->template_arguments())
#else
            for (const auto& arg : spec->template_arguments())
#endif
                if (arg.getKind() == TemplateArgument::Type)
                    if (auto found = search(arg.getAsType(), depth + 1)) return found;
        return std::nullopt;
    };
    const Expr* callee = nullptr;
    if (const auto* call = dyn_cast<CallExpr>(at)) callee = call->getCallee()->IgnoreImplicit();
    if (const auto* ref = dyn_cast_or_null<DeclRefExpr>(callee)) {
        for (const auto& arg : ref->template_arguments())
            if (arg.getArgument().getKind() == TemplateArgument::Type)
                if (auto found = search(arg.getArgument().getAsType(), 0)) return typeName(*found, context);
    } else if (const auto* member = dyn_cast_or_null<MemberExpr>(callee)) {
        QualType base = member->getBase()->getType();
        if (member->isArrow() && base->isPointerType()) base = base->getPointeeType();
        if (auto found = search(base, 0)) return typeName(*found, context);
    } else if (const auto* construct = dyn_cast<CXXConstructExpr>(at)) {
        if (auto found = search(construct->getType(), 0)) return typeName(*found, context);
    }
    return typeName(constructed, context);
}

// Notes that say which instantiation of a project template led to a finding.
std::vector<Note> instantiationNotes(UnitContext& unit, const Decl* enclosing) {
    std::vector<Note> notes;
    const DeclContext* context = enclosing ? (isa<DeclContext>(enclosing) ? cast<DeclContext>(enclosing) : enclosing->getDeclContext()) : nullptr;
    for (; context; context = context->getParent()) {
        const auto* fn = dyn_cast<FunctionDecl>(context);
        if (!fn || !fn->isTemplateInstantiation()) continue;
        SourceLocation poi = fn->getPointOfInstantiation();
        if (poi.isInvalid()) continue;
        std::string name;
        llvm::raw_string_ostream os(name);
        fn->getNameForDiagnostic(os, PrintingPolicy(unit.ast().getLangOpts()), true);
        notes.push_back(unit.noteAt(poi, "in instantiation of '" + os.str() + "' requested here"));
        break;
    }
    return notes;
}

class ConstructCheck : public RuleCheck {
  public:
    using RuleCheck::RuleCheck;

    void resolve() override {
        targets_.resize(rules_.size());
        for (size_t i = 0; i < rules_.size(); ++i) {
            for (const auto& name : rules_[i].names) {
                for (const NamedDecl* decl : unit_.resolver().resolve(name)) {
                    if (isa<CXXRecordDecl>(decl)) targets_[i].records.insert(decl->getCanonicalDecl());
                    else if (isa<ClassTemplateDecl>(decl)) targets_[i].templates.insert(decl->getCanonicalDecl());
                }
            }
            anyTarget_ = anyTarget_ || !targets_[i].records.empty() || !targets_[i].templates.empty();
        }
    }

    void registerMatchers(MatchFinder& finder) override {
        finder.addMatcher(cxxConstructExpr().bind("construct"), this);
        finder.addMatcher(callExpr().bind("call"), this);
    }

    void run(const MatchFinder::MatchResult& result) override {
        if (!anyTarget_) return;  // this unit declares none of the forbidden types
        if (const auto* construct = result.Nodes.getNodeAs<CXXConstructExpr>("construct")) onConstruct(construct);
        else if (const auto* call = result.Nodes.getNodeAs<CallExpr>("call")) onCall(call);
    }

    // One construction found inside library code or an implicit constructor.
    struct Hidden {
        const CXXConstructExpr* expr = nullptr;
        std::vector<size_t> rules;
    };
    // What a search found; `incomplete`: it met a library body that was skipped for speed.
    struct Search {
        std::optional<Hidden> found;
        bool incomplete = false;
    };

    // Indices of the rules that forbid constructing `record` (itself or through a base).
    const std::vector<size_t>& forbiddenBy(const CXXRecordDecl* record) {
        record = cast<CXXRecordDecl>(record->getCanonicalDecl());
        if (auto it = memo_.find(record); it != memo_.end()) return it->second;
        std::vector<size_t> rules;
        for (size_t i = 0; i < rules_.size(); ++i)
            if (matchesTarget(record, targets_[i])) rules.push_back(i);
        return memo_[record] = std::move(rules);
    }

    // Searches the body (and initializers) of a library template instantiation or an implicit
    // function for a forbidden construction.
    Search descend(const FunctionDecl* fn, int depth);

    // A search from a call or construction `at` in project code. Nothing found, but a skipped
    // library body on the way, where a finding would be reported: the unit is checked again with
    // all bodies (analysis/BodySkipping.hpp).
    std::optional<Hidden> searchFrom(const FunctionDecl* fn, SourceLocation at, const Decl* enclosing) {
        Search search = descend(fn, 0);
        if (!search.found && search.incomplete && !unit_.needsLibraryBodies())
            for (const Rule& rule : rules_)
                if (unit_.wouldReport(rule, at, enclosing)) {
                    unit_.needLibraryBodies();
                    break;
                }
        return search.found;
    }

  private:
    struct Targets {
        std::set<const Decl*> records;
        std::set<const Decl*> templates;
    };
    std::vector<Targets> targets_;
    bool anyTarget_ = false;
    std::map<const CXXRecordDecl*, std::vector<size_t>> memo_;
    std::map<const FunctionDecl*, Search> descended_;

    bool matchesTarget(const CXXRecordDecl* record, const Targets& targets) {
        auto matchesOne = [&](const CXXRecordDecl* r) {
            if (targets.records.count(r->getCanonicalDecl())) return true;
            if (const auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(r))
                return targets.templates.count(spec->getSpecializedTemplate()->getCanonicalDecl()) > 0;
            return false;
        };
        if (matchesOne(record)) return true;
        const CXXRecordDecl* def = record->getDefinition();
        if (!def) return false;
        bool derived = false;
        def->forallBases([&](const CXXRecordDecl* base) {
            if (matchesOne(base)) derived = true;
            return !derived;
        });
        return derived;
    }

    bool involvesForbiddenType(const FunctionDecl* fn) {
        auto inArgs = [&](llvm::ArrayRef<TemplateArgument> args, auto& self) -> bool {
            for (const auto& arg : args) {
                if (arg.getKind() == TemplateArgument::Pack) {
                    if (self(arg.pack_elements(), self)) return true;
                } else if (arg.getKind() == TemplateArgument::Type) {
                    QualType type = arg.getAsType().getNonReferenceType();
                    if (const auto* record = type->getAsCXXRecordDecl())
                        if (!forbiddenBy(record).empty()) return true;
                }
            }
            return false;
        };
        if (const TemplateArgumentList* args = fn->getTemplateSpecializationArgs())
            if (inArgs(args->asArray(), inArgs)) return true;
        for (const DeclContext* context = fn->getParent(); context; context = context->getParent())
            if (const auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(context))
                if (inArgs(spec->getTemplateArgs().asArray(), inArgs)) return true;
        return false;
    }

    bool isLibraryInstantiation(const FunctionDecl* fn) {
        return fn->isTemplateInstantiation() && !unit_.isProjectLocation(fn->getLocation());
    }

    bool isImplicitFunction(const Decl* decl) {
        const DeclContext* context = decl ? (isa<DeclContext>(decl) ? cast<DeclContext>(decl) : decl->getDeclContext()) : nullptr;
        for (; context; context = context->getParent())
            if (const auto* fn = dyn_cast<FunctionDecl>(context)) return fn->isImplicit() || fn->isDefaulted();
        return false;
    }

    void reportHidden(const Expr* at, const FunctionDecl* via, const Hidden& hidden, const Decl* enclosing) {
        std::string symbol = spelledTypeName(at, hidden.expr->getType(), unit_.ast());
        std::string name;
        llvm::raw_string_ostream os(name);
        via->getNameForDiagnostic(os, PrintingPolicy(unit_.ast().getLangOpts()), true);
        auto notes = instantiationNotes(unit_, enclosing);
        notes.push_back(unit_.noteAt(hidden.expr->getBeginLoc(), symbol + " is constructed inside '" + os.str() + "'"));
        for (size_t i : hidden.rules) unit_.report(rules_[i], at->getBeginLoc(), symbol, enclosing, notes);
    }

    void onConstruct(const CXXConstructExpr* construct) {
        const CXXConstructorDecl* ctor = construct->getConstructor();
        if (!ctor || !unit_.isProjectLocation(construct->getBeginLoc())) return;
        DynTypedNode node = DynTypedNode::create(*construct);
        if (unit_.isUnevaluated(node)) return;
        const Decl* enclosing = unit_.enclosingDecl(node);
        SourceLocation at;
        if (const FieldDecl* field = unwrittenMemberInit(construct, enclosing)) {
            // A member without an initializer, default-constructed by a constructor that does not
            // mention it (or a compiler-generated one): report at the member's declaration, where
            // the fix belongs.
            enclosing = field;
            at = field->getLocation();
        } else if (isImplicitFunction(enclosing)) {
            return;  // bases of compiler-generated constructors: reported where the object is made
        }
        if (!ctor->isCopyOrMoveConstructor()) {
            const auto& rules = forbiddenBy(ctor->getParent());
            if (!rules.empty()) {
                auto notes = instantiationNotes(unit_, enclosing);
                std::string symbol = typeName(construct->getType(), unit_.ast());
                if (at.isInvalid()) at = reportLocation(construct, enclosing);
                for (size_t i : rules) unit_.report(rules_[i], at, symbol, enclosing, notes);
                return;
            }
        }
        if (isLibraryInstantiation(ctor) && involvesForbiddenType(ctor))
            if (auto hidden = searchFrom(ctor, construct->getBeginLoc(), enclosing)) reportHidden(construct, ctor, *hidden, enclosing);
    }

    // The member that `construct` default-initialises in `ctor` without a written initializer
    // (the parent map links initializer values straight to the constructor, so the initializers
    // are searched).
    static const FieldDecl* unwrittenMemberInit(const CXXConstructExpr* construct, const Decl* ctor) {
        const auto* constructor = dyn_cast_or_null<CXXConstructorDecl>(ctor);
        if (!constructor) return nullptr;
        for (const CXXCtorInitializer* init : constructor->inits())
            if (!init->isWritten() && init->isMemberInitializer() && init->getInit() &&
                init->getInit()->IgnoreImplicit() == construct)
                return init->getMember();
        return nullptr;
    }

    void onCall(const CallExpr* call) {
        const FunctionDecl* callee = call->getDirectCallee();
        if (!callee || !isLibraryInstantiation(callee) || !involvesForbiddenType(callee)) return;
        if (!unit_.isProjectLocation(call->getBeginLoc())) return;
        const Decl* enclosing = unit_.enclosingDecl(DynTypedNode::create(*call));
        if (isImplicitFunction(enclosing)) return;
        if (auto hidden = searchFrom(callee, call->getBeginLoc(), enclosing)) reportHidden(call, callee, *hidden, enclosing);
    }

    friend class Descent;
};

class Descent : public RecursiveASTVisitor<Descent> {
  public:
    Descent(ConstructCheck& check, UnitContext& unit, int depth) : check_(check), unit_(unit), depth_(depth) {}
    bool shouldVisitImplicitCode() const { return true; }
    bool shouldVisitTemplateInstantiations() const { return true; }

    bool VisitCXXConstructExpr(CXXConstructExpr* construct) {
        const CXXConstructorDecl* ctor = construct->getConstructor();
        if (!ctor) return true;
        if (!ctor->isCopyOrMoveConstructor()) {
            const auto& rules = check_.forbiddenBy(ctor->getParent());
            if (!rules.empty()) {
                found = ConstructCheck::Hidden{construct, rules};
                return false;
            }
        }
        return into(ctor);
    }
    bool VisitCallExpr(CallExpr* call) { return into(call->getDirectCallee()); }

    std::optional<ConstructCheck::Hidden> found;
    bool incomplete = false;

  private:
    ConstructCheck& check_;
    UnitContext& unit_;
    int depth_;

    bool into(const FunctionDecl* fn) {
        if (!fn || depth_ + 1 >= kMaxDescent) return true;
        bool generated = fn->isImplicit() || fn->isDefaulted();
        if (!generated && !(fn->isTemplateInstantiation() && !unit_.isProjectLocation(fn->getLocation()))) return true;
        ConstructCheck::Search search = check_.descend(fn, depth_ + 1);
        found = search.found;
        incomplete = incomplete || search.incomplete;
        return !found;
    }
};

ConstructCheck::Search ConstructCheck::descend(const FunctionDecl* fn, int depth) {
    const FunctionDecl* definition = fn->getDefinition();
    if (!definition) return {};
    // The library code the forbidden type flows into was left out: what it constructs is unknown.
    if (hasSkippedBody(definition)) return {std::nullopt, !cannotConstruct(definition)};
    auto [it, inserted] = descended_.try_emplace(definition);
    if (!inserted) return it->second;  // done, or in progress (recursion): nothing new there
    Descent visitor(*this, unit_, depth);
    visitor.TraverseDecl(const_cast<FunctionDecl*>(definition));
    Search search{visitor.found, visitor.incomplete};
    descended_[definition] = search;
    return search;
}

}  // namespace

std::unique_ptr<RuleCheck> makeConstructCheck(UnitContext& unit, std::vector<Rule> rules) {
    return std::make_unique<ConstructCheck>(unit, std::move(rules));
}

}  // namespace dbarch
