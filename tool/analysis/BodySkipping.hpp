// Which library function bodies need not be parsed. Bodies of library functions are never
// matched, so skipping them is most of the speed; kept are templates with a parameter pack,
// through which the standard library constructs user types (make_unique, make_shared, emplace*,
// allocator_traits::construct, construct_at, optional's in_place constructors), so that
// library-mediated construction is still found. Clang itself never skips constexpr functions or
// functions with a deduced return type.
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/DeclTemplate.h>

#include <algorithm>

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

}  // namespace dbarch
