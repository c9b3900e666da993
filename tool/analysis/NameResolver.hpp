// Turns a qualified name as users write it ("pqxx::connection", "PQconnectdb",
// "pqxx::transaction_base::exec_prepared") into the declarations the compiler knows, once per
// unit. Typedefs, `using` aliases and namespace aliases along the way are seen through, so a rule
// names the API the way its documentation does.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <string>
#include <vector>

namespace dbarch {

class NameResolver {
  public:
    explicit NameResolver(clang::ASTContext& context) : context_(context) {}

    // Every declaration the name denotes: functions (all overloads), function templates, classes,
    // class templates, namespaces. A typedef or alias of a class yields the class. Empty when the
    // name is not declared in this unit.
    std::vector<const clang::NamedDecl*> resolve(const std::string& qualifiedName) const;

  private:
    clang::ASTContext& context_;
};

}  // namespace dbarch
