#include "analysis/BodySkipping.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/Version.h>
#include <clang/Lex/MacroInfo.h>
#include <clang/Lex/Token.h>
#include <clang/Sema/ParsedAttr.h>

#include "analysis/LateParsing.hpp"

using namespace clang;

namespace dbarch {
namespace {

constexpr const char* kAttributeName = "dbarch_library_constexpr";

bool isWatchedMacro(llvm::StringRef name) {
    return name == "_GLIBCXX20_CONSTEXPR" || name == "_GLIBCXX_STRING_CONSTEXPR" || name == "_GLIBCXX23_CONSTEXPR" ||
           name == "_LIBCPP_CONSTEXPR_SINCE_CXX20" || name == "_LIBCPP_CONSTEXPR_SINCE_CXX23";
}

// The skipper of the parse running on this thread (LibraryConstexprBodies::watch).
thread_local LibraryConstexprBodies* tActive = nullptr;

}  // namespace

class LibraryConstexprBodies::Watcher : public PPCallbacks {
  public:
    Watcher(LibraryConstexprBodies& owner, Preprocessor& preprocessor) : owner_(owner), preprocessor_(preprocessor) {}

    void MacroExpands(const Token& name, const MacroDefinition&, SourceRange range, const MacroArgs*) override {
        const IdentifierInfo* id = name.getIdentifierInfo();
        if (id && isWatchedMacro(id->getName()))
            owner_.expansions_.insert(owner_.sources_->getDecomposedExpansionLoc(range.getBegin()));
    }

    // `#define _GLIBCXX20_CONSTEXPR constexpr` becomes `constexpr __attribute__((dbarch_library_constexpr))`
    // (only where it means constexpr: before C++20 the library defines it empty).
    void MacroDefined(const Token& name, const MacroDirective* directive) override {
        IdentifierInfo* id = name.getIdentifierInfo();
        if (!id || !isWatchedMacro(id->getName())) return;
        const MacroInfo* defined = directive->getMacroInfo();
        if (!defined || defined->isFunctionLike() || defined->getNumTokens() != 1) return;
        const Token& constexprToken = defined->getReplacementToken(0);
        if (constexprToken.isNot(tok::kw_constexpr)) return;

        SourceLocation at = constexprToken.getLocation();
        auto make = [&](tok::TokenKind kind, IdentifierInfo* identifier = nullptr) {
            Token token;
            token.startToken();
            token.setKind(kind);
            token.setLocation(at);
            token.setLength(0);
            if (identifier) token.setIdentifierInfo(identifier);
            return token;
        };
        Token attribute = make(tok::kw___attribute, preprocessor_.getIdentifierInfo("__attribute__"));
        attribute.setFlag(Token::LeadingSpace);
        const Token tokens[] = {constexprToken,        attribute,
                                make(tok::l_paren),    make(tok::l_paren),
                                make(tok::identifier, preprocessor_.getIdentifierInfo(kAttributeName)),
                                make(tok::r_paren),    make(tok::r_paren)};
        MacroInfo* marked = preprocessor_.AllocateMacroInfo(defined->getDefinitionLoc());
        marked->setDefinitionEndLoc(defined->getDefinitionEndLoc());
#if CLANG_VERSION_MAJOR >= 15
        marked->setTokens(tokens, preprocessor_.getPreprocessorAllocator());
#else
        for (const Token& token : tokens) marked->AddTokenToBody(token);
#endif
        preprocessor_.appendDefMacroDirective(id, marked);
    }

    void FileChanged(SourceLocation at, FileChangeReason reason, SrcMgr::CharacteristicKind, FileID) override {
        if (reason == EnterFile || reason == ExitFile) owner_.fileEntered(at);
    }

  private:
    LibraryConstexprBodies& owner_;
    Preprocessor& preprocessor_;
};

namespace {

// `__attribute__((dbarch_library_constexpr))`: handled as the declaration is made, before its body
// is parsed. Registered once for the process; it acts for the parse on its own thread.
class LibraryConstexprAttribute : public ParsedAttrInfo {
  public:
    LibraryConstexprAttribute() {
        static constexpr Spelling spellings[] = {{ParsedAttr::AS_GNU, kAttributeName}};
        Spellings = spellings;
        IsSupportedByPragmaAttribute = 1;
    }

    void getPragmaAttributeMatchRules(llvm::SmallVectorImpl<std::pair<attr::SubjectMatchRule, bool>>& rules,
                                      const LangOptions&) const override {
        rules.emplace_back(attr::SubjectMatchRule_function, true);
    }

    AttrHandling handleDeclAttribute(Sema&, Decl* decl, const ParsedAttr& attribute) const override {
        auto* fn = dyn_cast<FunctionDecl>(decl);
        if (!tActive || !fn) return AttributeNotApplied;
        tActive->declared(fn, attribute.isPragmaClangAttribute());
        return AttributeApplied;
    }
};

ParsedAttrInfoRegistry::Add<LibraryConstexprAttribute> gAttribute(
    kAttributeName, "lets dbarch skip the body of a library function that is constexpr since C++20");

}  // namespace

// Hears the first use of each declaration (Decl::markUsed).
class LibraryConstexprBodies::UseListener : public ASTMutationListener {
  public:
    explicit UseListener(LibraryConstexprBodies& owner) : owner_(owner) {}

    void DeclarationMarkedUsed(const Decl* decl) override {
        if (const auto* fn = dyn_cast<FunctionDecl>(decl)) owner_.used(fn);
    }

    // Sema has merged a new declaration with the earlier ones and added it to its context; for a
    // definition, the checks before its body come next.
    void AddedVisibleDecl(const DeclContext*, const Decl* decl) override {
        if (owner_.definitionStarting_ && decl->getAsFunction() == owner_.definitionStarting_)
            owner_.suspendDefinitionChecks();
    }

  private:
    LibraryConstexprBodies& owner_;
};

LibraryConstexprBodies::LibraryConstexprBodies(std::function<bool(SourceLocation)> isLibrary)
    : isLibrary_(std::move(isLibrary)) {}

LibraryConstexprBodies::~LibraryConstexprBodies() {
    if (tActive == this) tActive = nullptr;
}

std::string LibraryConstexprBodies::delayLibraryBodies() {
    delaying_ = true;
    // The empty declaration after the push lets the parser act on the push before the main file
    // is entered (fileEntered then parks it while project files are read).
    return std::string("#pragma clang attribute dbarch.push(__attribute__((") + kAttributeName +
           ")), apply_to = function)\n;\n";
}

ASTMutationListener* LibraryConstexprBodies::useListener() {
    if (!delaying_) return nullptr;
    if (!useListener_) useListener_ = std::make_unique<UseListener>(*this);
    return useListener_.get();
}

std::unique_ptr<PPCallbacks> LibraryConstexprBodies::watch(Preprocessor& preprocessor) {
    sources_ = &preprocessor.getSourceManager();
    preprocessor_ = &preprocessor;
    tActive = this;
    if (delaying_) pragmaNamespace_ = preprocessor.getIdentifierInfo("dbarch");
    return std::make_unique<Watcher>(*this, preprocessor);
}

void LibraryConstexprBodies::declared(FunctionDecl* fn, bool fromPragma) {
    if (fn == lastDeclared_) return;  // by both the macro and the pragma
    lastDeclared_ = fn;
    settleDeclaration();  // the previous declaration's body is past
    if (fromPragma)
        delay(fn);
    else if (fn->isConstexpr() && !isPackForwardingTemplate(fn) && isLibrary_(fn->getLocation()))
        markForSkipping(fn);
    watchForDefinition(fn);
}

// A library function spelled constexpr, or a template forwarding a parameter pack, whose type does
// not depend on its body, is delayed. Not a virtual one: its uses go through the vtable.
void LibraryConstexprBodies::delay(FunctionDecl* fn) {
    if (!delaying_ || delayed_ || !sema_ || fn->isConsteval()) return;
    if (!fn->isConstexpr() && !isPackForwardingTemplate(fn)) return;  // others are skipped for good
    if (fn->getReturnType()->getContainedDeducedType() || !isLibrary_(fn->getLocation())) return;
    if (const auto* method = dyn_cast<CXXMethodDecl>(fn); method && method->isVirtual()) return;
    if (!lateParsingOn_) lateParsingOn_ = parseLateTemplatesOnDemand(*sema_, *preprocessor_);
    if (!lateParsingOn_) return;
    CachedTokens body;
    if (!readFunctionBodyAhead(*preprocessor_, body)) return;
    if (fn->isConstexpr() && !markForSkipping(fn)) return;
    delayed_ = fn;
    body_ = std::move(body);
}

// The pragma's attribute is wanted on library declarations only: it is parked while a project
// file is read, and must be off the stack when the unit ends (Sema reports a push without pop).
void LibraryConstexprBodies::fileEntered(SourceLocation at) {
    if (!delaying_ || !sema_) return;
    auto& stack = sema_->PragmaAttributeStack;
    auto ours = std::find_if(stack.begin(), stack.end(),
                             [&](const Sema::PragmaAttributeGroup& group) { return group.Namespace == pragmaNamespace_; });
    bool library = isLibrary_(at) && !sources_->isInMainFile(at);
    if (!library && ours != stack.end()) {
        parkedPragma_ = std::move(*ours);
        stack.erase(ours);
    } else if (library && ours == stack.end() && parkedPragma_) {
        stack.push_back(std::move(*parkedPragma_));
        parkedPragma_.reset();
    }
}

// Once the parser has skipped the body, the tokens read ahead become the function's late-parsed
// body: Sema parses a template's when it instantiates it, used() any other's.
void LibraryConstexprBodies::finishDelayed() {
    FunctionDecl* fn = delayed_;
    if (!fn->hasSkippedBody() && !fn->doesThisDeclarationHaveABody() && !fn->isInvalidDecl()) return;  // not yet
    delayed_ = nullptr;
    if (fn->hasSkippedBody()) {
        fn->setHasSkippedBody(false);
        Decl* declaration = fn;
        if (FunctionTemplateDecl* tmpl = fn->getDescribedFunctionTemplate()) declaration = tmpl;
        sema_->MarkAsLateParsedTemplate(fn, declaration, body_);
        if (!marked_.count(fn)) ++skipped_;  // a pack-forwarding template (constexpr ones were counted)
        if (!fn->isTemplated()) {
            if (fn->isUsed(false)) usedWhileBusy_.push_back(fn);  // by an earlier declaration's use
            else awaitingUse_[fn->getCanonicalDecl()] = fn;
        }
    }
    body_.clear();
}

void LibraryConstexprBodies::used(const FunctionDecl* fn) {
    if (awaitingUse_.empty()) return;
    auto found = awaitingUse_.find(fn->getCanonicalDecl());
    if (found == awaitingUse_.end()) return;
    FunctionDecl* definition = found->second;
    awaitingUse_.erase(found);  // before parsing: the body may use its own function
    if (!parseUsed(definition)) usedWhileBusy_.push_back(definition);
}

// Parses a delayed body that is not a template's, as Sema parses a template's it instantiates.
// Returns false when that cannot be done now: during a tentative parse (it may be rewound), or
// while a class around the function is being defined (its members are not all declared yet).
bool LibraryConstexprBodies::parseUsed(FunctionDecl* fn) {
    if (!fn->isLateTemplateParsed()) return true;
    if (preprocessor_->isBacktrackEnabled()) return false;
    for (const DeclContext* context = fn->getLexicalDeclContext(); context; context = context->getLexicalParent())
        if (const auto* record = dyn_cast<CXXRecordDecl>(context); record && record->isBeingDefined()) return false;
    auto found = sema_->LateParsedTemplateMap.find(fn);
    if (found == sema_->LateParsedTemplateMap.end() || !sema_->LateTemplateParser) return true;
    sema_->LateTemplateParser(sema_->OpaqueParser, *found->second);
    return true;
}

bool LibraryConstexprBodies::markForSkipping(FunctionDecl* fn) {
    if (auto* ctor = dyn_cast<CXXConstructorDecl>(fn); ctor && !ctor->isCopyOrMoveConstructor()) {
        // The class records a constexpr constructor (one that is not a copy or move) as each is
        // declared: that makes it a literal type. Leave this one alone unless an earlier one
        // recorded that already.
        const CXXRecordDecl* record = ctor->getParent();
        bool recorded = std::any_of(record->ctor_begin(), record->ctor_end(), [&](const CXXConstructorDecl* earlier) {
            return earlier != ctor && earlier->isConstexpr() && !earlier->isCopyOrMoveConstructor() && !marked_.count(earlier);
        });
        if (!recorded) return false;
    }
    // A redeclaration must agree with the earlier declarations (Sema merges them next), wherever
    // they came from: this parse, an earlier header, or the shared preamble. A member declared in
    // its class has none.
    const DeclContext* context = fn->getDeclContext();
    if (!(context->isRecord() && fn->getLexicalDeclContext() == context))
        for (NamedDecl* found : context->getRedeclContext()->lookup(fn->getDeclName()))
            if (FunctionDecl* earlier = found->getAsFunction())
                for (FunctionDecl* redeclaration : earlier->redecls()) takeConstexprOff(redeclaration);
    marked_.insert(fn);
    takeConstexprOff(fn);
    ++skipped_;
    return true;
}

void LibraryConstexprBodies::takeConstexprOff(FunctionDecl* fn) {
    if (!fn->isConstexpr()) return;
    withoutConstexpr_.emplace_back(fn, fn->getConstexprKind());
    fn->setConstexprKind(ConstexprSpecKind::Unspecified);
}

// A library function whose body the parser will skip: not constexpr (Sema never skips those),
// type not deduced from the body, not a kept pack-forwarding template. Constructors and
// destructors have no return type, and Sema marks their class's vtable used at the end of their
// definition, but only for a valid one.
void LibraryConstexprBodies::watchForDefinition(FunctionDecl* fn) {
    if (!useListener_ || !startsFunctionBody(*preprocessor_)) return;
    if (fn->isConstexpr() || fn->getReturnType()->getContainedDeducedType()) return;
    if (isPackForwardingTemplate(fn) && !delaying(fn)) return;
    if (isa<CXXConstructorDecl>(fn) || isa<CXXDestructorDecl>(fn)) return;
    if (!isLibrary_(fn->getLocation())) return;
    definitionStarting_ = fn;
}

// Sema checks that a definition's return type and by-value parameter types are complete unless
// the function or parameter is invalid: marked so until bodyReached(). Marking a declaration
// invalid makes it public; its access is put back with its validity. Not a friend: Sema marks
// the friend declaration itself invalid after an invalid function, for good, and an invalid
// friend declaration grants access to every member of its class.
void LibraryConstexprBodies::suspendDefinitionChecks() {
    FunctionDecl* fn = definitionStarting_;
    definitionStarting_ = nullptr;
    if (fn->isInvalidDecl() || fn->getFriendObjectKind() != Decl::FOK_None) return;
    suspendedChecks_.emplace_back(fn, fn->getAccess());
    fn->setInvalidDecl();
    for (ParmVarDecl* param : fn->parameters())
        if (!param->isInvalidDecl() && param->getType()->isRecordType()) {
            suspendedChecks_.emplace_back(param, param->getAccess());
            param->setInvalidDecl();
        }
}

void LibraryConstexprBodies::bodyReached() {
    definitionStarting_ = nullptr;  // one defined in its class: Sema merged nothing in between
    for (auto [decl, access] : suspendedChecks_) {
        decl->setInvalidDecl(false);
        decl->setAccess(access);
    }
    suspendedChecks_.clear();
}

void LibraryConstexprBodies::settleDeclaration() {
    for (auto [fn, kind] : withoutConstexpr_) fn->setConstexprKind(kind);
    withoutConstexpr_.clear();
    bodyReached();  // if the parser never asked (it has, whenever a body followed)
    if (delayed_) finishDelayed();
}

void LibraryConstexprBodies::settle() {
    settleDeclaration();
    if (usedWhileBusy_.empty()) return;
    std::vector<FunctionDecl*> waiting;
    waiting.swap(usedWhileBusy_);
    for (FunctionDecl* fn : waiting)
        if (!parseUsed(fn)) usedWhileBusy_.push_back(fn);
}

namespace {

// Visits declarations only: statements cannot hold a library template worth dropping, and
// walking them would cost what dropping saves.
class Dropper : public RecursiveASTVisitor<Dropper> {
  public:
    Dropper(const SourceManager& sources, const std::set<std::pair<FileID, unsigned>>& expansions,
            const std::function<bool(SourceLocation)>& isLibrary)
        : sources_(sources), expansions_(expansions), isLibrary_(isLibrary) {}

    bool TraverseStmt(Stmt*) { return true; }
    bool shouldVisitTemplateInstantiations() const { return false; }
    // Nor a function's parameters and type: nothing in them is ever dropped.
    bool TraverseFunctionDecl(FunctionDecl* fn) { return WalkUpFromFunctionDecl(fn); }
    bool TraverseCXXMethodDecl(CXXMethodDecl* fn) { return WalkUpFromCXXMethodDecl(fn); }
    bool TraverseCXXConstructorDecl(CXXConstructorDecl* fn) { return WalkUpFromCXXConstructorDecl(fn); }
    bool TraverseCXXDestructorDecl(CXXDestructorDecl* fn) { return WalkUpFromCXXDestructorDecl(fn); }
    bool TraverseCXXConversionDecl(CXXConversionDecl* fn) { return WalkUpFromCXXConversionDecl(fn); }

    bool VisitFunctionDecl(FunctionDecl* fn) {
        // Only templated code: an instantiation that exists already keeps its body, and a plain
        // function is cheap (parsed once, never instantiated).
        if (!fn->doesThisDeclarationHaveABody() || !fn->isConstexpr() || !fn->isTemplated()) return true;
        if (isPackForwardingTemplate(fn)) return true;
        if (!isLibrary_(fn->getLocation()) || !constexprFromMacro(fn)) return true;
        fn->setBody(nullptr);  // as Sema leaves a body it skipped
        fn->setHasSkippedBody(true);
        ++dropped;
        return true;
    }

    unsigned dropped = 0;

  private:
    const SourceManager& sources_;
    const std::set<std::pair<FileID, unsigned>>& expansions_;
    const std::function<bool(SourceLocation)>& isLibrary_;

    // The declaration's specifiers (from its start, template headers included, to its name)
    // contain one of the watched macros.
    bool constexprFromMacro(const FunctionDecl* fn) const {
        auto begin = sources_.getDecomposedExpansionLoc(fn->getOuterLocStart());
        auto name = sources_.getDecomposedExpansionLoc(fn->getLocation());
        if (begin.first.isInvalid() || begin.first != name.first) return false;
        auto it = expansions_.lower_bound(begin);
        return it != expansions_.end() && it->first == begin.first && it->second <= name.second;
    }
};

}  // namespace

unsigned LibraryConstexprBodies::drop(Decl* topLevel) {
    settle();
    if (!sources_ || expansions_.empty()) return 0;
    Dropper dropper(*sources_, expansions_, isLibrary_);
    dropper.TraverseDecl(topLevel);
    dropped_ += dropper.dropped;
    return dropper.dropped;
}

}  // namespace dbarch
