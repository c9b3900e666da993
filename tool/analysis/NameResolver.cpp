#include "analysis/NameResolver.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>

#include <cctype>

using namespace clang;

namespace dbarch {
namespace {

std::vector<std::string> splitQualified(const std::string& name) {
    std::vector<std::string> parts;
    size_t start = name.rfind("::", 0) == 0 ? 2 : 0;
    while (start <= name.size()) {
        size_t sep = name.find("::", start);
        if (sep == std::string::npos) sep = name.size();
        parts.push_back(name.substr(start, sep - start));
        start = sep + 2;
    }
    return parts;
}

// A declaration seen through aliases: a typedef of a class is the class, a namespace alias its
// namespace, a using-declaration its target.
const NamedDecl* throughAliases(const NamedDecl* decl) {
    for (int guard = 0; decl && guard < 16; ++guard) {
        if (const auto* shadow = dyn_cast<UsingShadowDecl>(decl)) {
            decl = shadow->getTargetDecl();
        } else if (const auto* alias = dyn_cast<NamespaceAliasDecl>(decl)) {
            decl = alias->getNamespace();
        } else if (const auto* typedefDecl = dyn_cast<TypedefNameDecl>(decl)) {
            QualType type = typedefDecl->getUnderlyingType().getCanonicalType();
            if (const auto* record = type->getAsCXXRecordDecl()) return record;
            return nullptr;
        } else if (const auto* aliasTemplate = dyn_cast<TypeAliasTemplateDecl>(decl)) {
            // `template<class T> using conn = basic_conn<T>;` names the class template.
            QualType type = aliasTemplate->getTemplatedDecl()->getUnderlyingType();
            if (const auto* spec = type->getAs<TemplateSpecializationType>())
                if (auto* tmpl = spec->getTemplateName().getAsTemplateDecl()) return tmpl;
            return nullptr;
        } else {
            return decl;
        }
    }
    return decl;
}

// The declaration context to look into for the next name component.
const DeclContext* asContext(const NamedDecl* decl) {
    if (const auto* ns = dyn_cast<NamespaceDecl>(decl)) return ns;
    if (const auto* record = dyn_cast<CXXRecordDecl>(decl)) {
        const CXXRecordDecl* def = record->getDefinition();
        return def ? def : nullptr;
    }
    if (const auto* tmpl = dyn_cast<ClassTemplateDecl>(decl)) {
        const CXXRecordDecl* def = tmpl->getTemplatedDecl()->getDefinition();
        return def ? def : nullptr;
    }
    return nullptr;
}

void lookupIn(const DeclContext* context, DeclarationName name, std::vector<const NamedDecl*>& out) {
    for (const NamedDecl* found : context->lookup(name)) out.push_back(found);
    // Members inherited from bases: "pqxx::work::exec_prepared" finds transaction_base's.
    if (!out.empty()) return;
    if (const auto* record = dyn_cast<CXXRecordDecl>(context)) {
        for (const auto& base : record->bases()) {
            const CXXRecordDecl* baseDecl = base.getType()->getAsCXXRecordDecl();
            if (!baseDecl) {
                if (const auto* spec = base.getType()->getAs<TemplateSpecializationType>())
                    if (auto* tmpl = dyn_cast_or_null<ClassTemplateDecl>(spec->getTemplateName().getAsTemplateDecl()))
                        baseDecl = tmpl->getTemplatedDecl();
            }
            if (baseDecl && (baseDecl = baseDecl->getDefinition())) lookupIn(baseDecl, name, out);
        }
    }
}

// "operator<<" -> OO_LessLess; OO_None for an ordinary identifier.
OverloadedOperatorKind operatorKind(const std::string& component) {
    if (component.rfind("operator", 0) != 0 || component.size() == 8) return OO_None;
    std::string spelling = component.substr(8);
    spelling.erase(0, spelling.find_first_not_of(' '));
    if (spelling.empty() || std::isalnum(static_cast<unsigned char>(spelling[0])) || spelling[0] == '_') {
        if (spelling == "new") return OO_New;
        if (spelling == "delete") return OO_Delete;
        return OO_None;
    }
    if (spelling == "()") return OO_Call;
    if (spelling == "[]") return OO_Subscript;
    static const std::pair<const char*, OverloadedOperatorKind> table[] = {
#define OVERLOADED_OPERATOR(Name, Spelling, Token, Unary, Binary, MemberOnly) {Spelling, OO_##Name},
#include <clang/Basic/OperatorKinds.def>
    };
    for (const auto& [text, kind] : table)
        if (spelling == text) return kind;
    return OO_None;
}

}  // namespace

std::vector<const NamedDecl*> NameResolver::resolve(const std::string& qualifiedName) const {
    std::vector<std::string> parts = splitQualified(qualifiedName);
    std::vector<const DeclContext*> contexts{context_.getTranslationUnitDecl()};
    std::vector<const NamedDecl*> found;
    for (size_t i = 0; i < parts.size(); ++i) {
        DeclarationName name;
        if (OverloadedOperatorKind op = operatorKind(parts[i]); op != OO_None) {
            name = context_.DeclarationNames.getCXXOperatorName(op);
        } else {
            if (context_.Idents.find(parts[i]) == context_.Idents.end()) return {};  // never spelled here
            name = DeclarationName(&context_.Idents.get(parts[i]));
        }
        found.clear();
        for (const DeclContext* context : contexts) lookupIn(context, name, found);
        if (i + 1 == parts.size()) break;
        contexts.clear();
        for (const NamedDecl* decl : found)
            if (const NamedDecl* target = throughAliases(decl))
                if (const DeclContext* next = asContext(target)) contexts.push_back(next);
        if (contexts.empty()) return {};
    }
    std::vector<const NamedDecl*> result;
    for (const NamedDecl* decl : found) {
        const NamedDecl* target = throughAliases(decl);
        if (!target) continue;
        if (const auto* fnTemplate = dyn_cast<FunctionTemplateDecl>(target)) target = fnTemplate->getTemplatedDecl();
        result.push_back(cast<NamedDecl>(target->getCanonicalDecl()));
    }
    return result;
}

}  // namespace dbarch
