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
// parsed but then dropped from their templates right after the library declaration that holds
// them, so nothing instantiates them again; that is what C++17 code gets anyway. A unit that needs
// one in a constant expression fails and is parsed again with every body (Analyzer::analyse), as
// is a unit whose forbidden type reaches a library function whose body was left out
// (UnitContext::needLibraryBodies): body skipping can cost a re-parse, never a finding.
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/PPCallbacks.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <set>
#include <utility>

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

// Drops the bodies of library function templates that are constexpr only since C++20 or later:
// those whose `constexpr` is spelled with libstdc++'s `_GLIBCXX20_CONSTEXPR`,
// `_GLIBCXX_STRING_CONSTEXPR` or `_GLIBCXX23_CONSTEXPR` (libc++'s `_LIBCPP_CONSTEXPR_SINCE_CXX20`
// and `_LIBCPP_CONSTEXPR_SINCE_CXX23` likewise). Pack-forwarding templates keep theirs.
class LibraryConstexprBodies {
  public:
    // Watches the preprocessor for those macros; owned by the preprocessor.
    std::unique_ptr<clang::PPCallbacks> watch(const clang::SourceManager& sources);

    // After a top-level declaration is parsed: drops the bodies in it (recursively) for which
    // `isLibrary` holds. Returns how many.
    unsigned drop(clang::Decl* topLevel, const std::function<bool(clang::SourceLocation)>& isLibrary) const;

  private:
    class Watcher;
    const clang::SourceManager* sources_ = nullptr;
    std::set<std::pair<clang::FileID, unsigned>> expansions_;  // where the macros were expanded
};

}  // namespace dbarch
