// Which library function bodies need not be parsed or instantiated. Bodies of library functions
// are never matched, so leaving them out is most of the speed.
//
// Kept are templates with a parameter pack, through which the standard library constructs user
// types (make_unique, make_shared, emplace*, allocator_traits::construct, construct_at,
// optional's in_place constructors), so that library-mediated construction is still found.
//
// Clang never skips a constexpr body while parsing (it may be needed for a constant). With
// libstdc++ in C++20 most of <string>, <vector>, <algorithm> and the allocators became constexpr
// (`_GLIBCXX20_CONSTEXPR`), which made them as costly as a compiler's parse. Those bodies are
// skipped anyway (LibraryConstexprBodies): the function keeps its `constexpr` but has no body,
// which is what C++17 code gets. A unit that needs one in a constant expression fails and is
// parsed again with every body (Analyzer::analyse), as is a unit whose forbidden type reaches a
// library function whose body was left out (UnitContext::needLibraryBodies): body skipping can
// cost a re-parse, never a finding.
#pragma once

#include <clang/AST/ASTMutationListener.h>
#include <clang/AST/Decl.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Sema/DeclSpec.h>
#include <clang/Sema/Sema.h>
#include <llvm/ADT/DenseMap.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <unordered_set>
#include <utility>
#include <vector>

namespace dbarch {

// A function template (or a member template) whose template parameters include a pack.
inline bool isPackForwardingTemplate(const clang::Decl* decl) {
    const clang::FunctionDecl* fn = decl->getAsFunction();
    if (!fn) return false;
    const clang::FunctionTemplateDecl* tmpl = fn->getDescribedFunctionTemplate();
    if (!tmpl) return false;
    const clang::TemplateParameterList* params = tmpl->getTemplateParameters();
    return std::any_of(params->begin(), params->end(), [](const clang::NamedDecl* p) { return p->isParameterPack(); });
}

// Leaves out the bodies of library functions that are constexpr only since C++20 or later: those
// whose `constexpr` is spelled with libstdc++'s `_GLIBCXX20_CONSTEXPR`, `_GLIBCXX_STRING_CONSTEXPR`
// or `_GLIBCXX23_CONSTEXPR` (libc++'s `_LIBCPP_CONSTEXPR_SINCE_CXX20` and `_SINCE_CXX23` likewise).
// Pack-forwarding templates keep theirs.
//
// Skipped while parsing: Sema::canSkipFunctionBody refuses any constexpr function before it asks
// the consumer, and nothing runs between a declaration and its body but the declaration's
// attributes. So those macros are redefined, as the library defines them, to
// `constexpr __attribute__((dbarch_library_constexpr))`; that attribute's handler takes the
// `constexpr` off the new declaration, so the parser asks shouldSkipFunctionBody, and settle()
// puts it back once the body is past: at the next such declaration and at every top-level or
// class definition the consumer sees. A redeclaration (vector.tcc's out-of-line members) takes it
// off the earlier declarations of its name for that moment too, so that they agree as Sema merges
// them.
// A constructor is left alone when it would be the first constexpr one of its class that is not a
// copy or move: the class records that as each constructor is declared, and it makes the class a
// literal type.
//
// Dropped after parsing: the bodies parsed all the same (those constructors) are removed from
// their templates right after the top-level declaration that holds them, so that nothing
// instantiates them again.
//
// Delayed (delayLibraryBodies): the bodies of library templates spelled `constexpr` outright
// (std::move, string_view's members, <chrono>'s durations, the type traits' helpers) and of the
// pack-forwarding templates are kept as tokens and parsed when Sema first instantiates one
// (analysis/LateParsing.hpp): a libpqxx unit with a dozen standard headers delays about 1,200 and
// parses about 40, and a constant can still use any of them. Every library function declaration
// carries the attribute then (`#pragma clang attribute` in the predefines, active while a library
// file is read); for such a template whose body starts with `{` or `:`, the body's tokens are read
// ahead, the body is skipped as above, and its tokens become the template's late-parsed body.
//
// Delayed the same way: the bodies of library functions spelled `constexpr` that are not templates
// (<chrono>'s calendar types, the numeric_limits and char_traits specializations, <compare>'s
// categories: about 670 in a libpqxx unit with a dozen standard headers, of which it uses 7; 6-7 %
// of its parse). Sema instantiates no such function, so nothing asks for the body: the unit's AST
// mutation listener hears when one is first used (Decl::markUsed, which Sema calls as it builds
// the expression that names it, before any constant is evaluated) and parses it then. A use while
// a class around it is still being defined or during a tentative parse waits for the next
// settle(). A constant needed where no use is marked (in a template's definition, where uses are
// only dependent) fails the parse, and the unit is parsed again with every body, as above.
//
// Not completed for a definition whose body is skipped: its return and by-value parameter types.
// Sema requires them complete before a body and instantiates class templates to make them so:
// `operator""s` and `operator""sv` instantiated basic_string and basic_string_view for all five
// character types, `to_wstring` basic_string<wchar_t>, though a unit may use none of them (a third
// of <string>'s parse; a tenth of a libpqxx unit with a dozen standard headers). From the moment
// Sema has merged such a definition's declaration (the unit's AST mutation listener hears it made
// visible) until the parser asks whether to skip its body (bodyReached()), the function and those
// parameters are marked invalid, which those checks test first. A call completes the types it
// needs, as for any function declared without a body.
class LibraryConstexprBodies {
  public:
    // `isLibrary` says whether a declaration's location is in a library (not a project file).
    explicit LibraryConstexprBodies(std::function<bool(clang::SourceLocation)> isLibrary);
    ~LibraryConstexprBodies();
    LibraryConstexprBodies(const LibraryConstexprBodies&) = delete;
    LibraryConstexprBodies& operator=(const LibraryConstexprBodies&) = delete;

    // Also delay library bodies (above: constexpr and pack-forwarding templates, constexpr
    // functions). Call before watch(); append the returned text to the unit's predefines. Only
    // for a C++ unit parsed without a shared preamble (the preamble would have to carry the
    // tokens).
    std::string delayLibraryBodies();

    // Watches and redefines the macros, and handles the attribute for declarations parsed on this
    // thread from now on (one parse per thread at a time). Returns the preprocessor's callbacks.
    std::unique_ptr<clang::PPCallbacks> watch(clang::Preprocessor& preprocessor);

    // The unit's Sema, once it exists (SemaConsumer::InitializeSema).
    void attach(clang::Sema& sema) { sema_ = &sema; }

    // The consumer's GetASTMutationListener, null unless delaying: it parses a delayed function
    // that is not a template when it is first used, and hears when Sema has merged a definition's
    // declaration (its checks are suspended then).
    clang::ASTMutationListener* useListener();

    // The parser has reached the body of the function just declared and asks whether to skip it
    // (the consumer's shouldSkipFunctionBody): the checks suspended for it are done.
    void bodyReached();

    // Puts `constexpr` back on every declaration that lost it for its body to be skipped, and
    // parses the delayed bodies that were used when that could not be done. Call before looking
    // at the AST: in HandleTopLevelDecl, HandleTagDeclDefinition and HandleTranslationUnit.
    void settle();

    // After a top-level declaration is parsed: drops the constexpr library bodies in it
    // (recursively) that were parsed. Returns how many.
    unsigned drop(clang::Decl* topLevel);

    // `decl`'s body is kept as tokens, to be parsed when it is instantiated (the consumer skips it).
    bool delaying(const clang::Decl* decl) const { return delayed_ && delayed_ == decl->getAsFunction(); }

    // How many library bodies this parse left out: skipped while parsing, delayed or dropped after.
    unsigned leftOut() const { return skipped_ + dropped_; }

    // The attribute's handler: `fn` was just declared with the attribute, its body is next.
    // `fromPragma`: the attribute came from the delaying pragma, not from a watched macro.
    void declared(clang::FunctionDecl* fn, bool fromPragma);

  private:
    class Watcher;
    class UseListener;
    bool markForSkipping(clang::FunctionDecl* fn);
    void takeConstexprOff(clang::FunctionDecl* fn);
    void delay(clang::FunctionDecl* fn);
    void fileEntered(clang::SourceLocation at);
    void settleDeclaration();
    void finishDelayed();
    void used(const clang::FunctionDecl* fn);
    bool parseUsed(clang::FunctionDecl* fn);
    void watchForDefinition(clang::FunctionDecl* fn);
    void suspendDefinitionChecks();

    std::function<bool(clang::SourceLocation)> isLibrary_;
    const clang::SourceManager* sources_ = nullptr;
    std::set<std::pair<clang::FileID, unsigned>> expansions_;  // where the macros were expanded
    std::unordered_set<const clang::FunctionDecl*> marked_;  // what lost constexpr for its body
    std::vector<std::pair<clang::FunctionDecl*, clang::ConstexprSpecKind>> withoutConstexpr_;  // until settle()
    unsigned skipped_ = 0;
    unsigned dropped_ = 0;

    // Delaying (delayLibraryBodies).
    bool delaying_ = false;
    clang::Preprocessor* preprocessor_ = nullptr;
    clang::Sema* sema_ = nullptr;
    bool lateParsingOn_ = false;  // Sema parses late-parsed templates on demand
    const clang::FunctionDecl* lastDeclared_ = nullptr;
    const clang::IdentifierInfo* pragmaNamespace_ = nullptr;
    std::optional<clang::Sema::PragmaAttributeGroup> parkedPragma_;  // while a project file is read
    clang::FunctionDecl* delayed_ = nullptr;  // a function whose body is read ahead, until it is skipped
    clang::CachedTokens body_;

    // Delayed functions that are not templates, by canonical declaration, until first used; those
    // used at a moment their body could not be parsed, until the next settle().
    std::unique_ptr<UseListener> useListener_;
    llvm::DenseMap<const clang::FunctionDecl*, clang::FunctionDecl*> awaitingUse_;
    std::vector<clang::FunctionDecl*> usedWhileBusy_;

    // A library definition whose body will be skipped, from its declaration until Sema has merged
    // it; then what its checks were suspended for, until the parser reaches the body.
    clang::FunctionDecl* definitionStarting_ = nullptr;
    std::vector<std::pair<clang::Decl*, clang::AccessSpecifier>> suspendedChecks_;
};

}  // namespace dbarch
