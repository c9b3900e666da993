#include "analysis/BodySkipping.hpp"

#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Lex/MacroInfo.h>
#include <clang/Lex/Token.h>

using namespace clang;

namespace dbarch {

class LibraryConstexprBodies::Watcher : public PPCallbacks {
  public:
    explicit Watcher(LibraryConstexprBodies& owner) : owner_(owner) {}

    void MacroExpands(const Token& name, const MacroDefinition&, SourceRange range, const MacroArgs*) override {
        const IdentifierInfo* id = name.getIdentifierInfo();
        if (!id) return;
        llvm::StringRef spelled = id->getName();
        if (spelled == "_GLIBCXX20_CONSTEXPR" || spelled == "_GLIBCXX_STRING_CONSTEXPR" ||
            spelled == "_GLIBCXX23_CONSTEXPR" || spelled == "_LIBCPP_CONSTEXPR_SINCE_CXX20" ||
            spelled == "_LIBCPP_CONSTEXPR_SINCE_CXX23")
            owner_.expansions_.insert(owner_.sources_->getDecomposedExpansionLoc(range.getBegin()));
    }

  private:
    LibraryConstexprBodies& owner_;
};

std::unique_ptr<PPCallbacks> LibraryConstexprBodies::watch(const SourceManager& sources) {
    sources_ = &sources;
    return std::make_unique<Watcher>(*this);
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

unsigned LibraryConstexprBodies::drop(Decl* topLevel, const std::function<bool(SourceLocation)>& isLibrary) const {
    if (!sources_ || expansions_.empty()) return 0;
    Dropper dropper(*sources_, expansions_, isLibrary);
    dropper.TraverseDecl(topLevel);
    return dropper.dropped;
}

}  // namespace dbarch
