// Per-translation-unit state shared by every rule kind: which files are project code, where
// the handler scope is, and how a match becomes a plain Finding. Clang types stop here: what
// leaves this class is a Finding.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/ASTTypeTraits.h>
#include <clang/Basic/SourceManager.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/NameResolver.hpp"
#include "config/Config.hpp"
#include "findings/Finding.hpp"

namespace dbarch {

// An approved scope (the handler, or one rule's `allow`) resolved to declarations.
class ResolvedScope {
  public:
    void resolve(const Scope& scope, const NameResolver& resolver, std::set<std::string>* resolvedNames);

    // Why `context` (walked outwards) or `file` is inside this scope; nothing when it is not.
    std::optional<std::string> allows(const clang::DeclContext* context, const std::string& file) const;

    const Scope& scope() const { return scope_; }
    // Files that define a function or class of this scope.
    std::set<clang::FileID> definingFiles(const clang::SourceManager& sm) const;

  private:
    Scope scope_;
    std::map<const clang::Decl*, std::string> functions_;   // canonical decl -> name as configured
    std::map<const clang::Decl*, std::string> classes_;
    std::map<const clang::Decl*, std::string> namespaces_;
};

class UnitContext {
  public:
    UnitContext(const Config& config, clang::ASTContext& context, std::string workingDirectory);

    clang::ASTContext& ast() { return context_; }
    clang::SourceManager& sources() { return context_.getSourceManager(); }
    const Config& config() const { return config_; }
    const NameResolver& resolver() const { return resolver_; }

    // Resolves the handler scope and each rule's allow scope; call once the AST is complete.
    void resolveScopes(const std::vector<Rule>& rules);

    // Project code: a file under the project root, not excluded, not a system header.
    bool isProjectFile(clang::FileID file);
    bool isProjectLocation(clang::SourceLocation location);
    // Project-relative path of a project file; absolute path of any other file.
    const std::string& pathOf(clang::FileID file);

    // The innermost declaration that contains `node` (a statement, a ctor initializer, ...).
    const clang::Decl* enclosingDecl(const clang::DynTypedNode& node);

    // True inside decltype, sizeof, alignof, noexcept, typeid of a type or a requires-expression:
    // code that names a function or type without ever running.
    bool isUnevaluated(const clang::DynTypedNode& node);

    // Reports `rule` at `location` unless it is outside project code, inside the handler scope
    // or the rule's own allow scope, or already reported at the same place.
    void report(const Rule& rule, clang::SourceLocation location, const std::string& symbol,
                const clang::Decl* enclosing, std::vector<Note> notes = {});
    // Whether report() would keep a finding of `rule` there (project code, outside the scopes).
    bool wouldReport(const Rule& rule, clang::SourceLocation location, const clang::Decl* enclosing);

    // A source range holding a secret: masked with '*' in the printed line of every finding on
    // that line (not only the finding that found the secret).
    void addSecret(clang::SourceLocation begin, unsigned length);

    // A note at a source location (macro definitions, instantiation points, library internals).
    Note noteAt(clang::SourceLocation location, std::string message);

    // Marks a file as defining handler code (e.g. an annotated function), for include rules.
    void addHandlerFile(clang::FileID file) { handlerFiles_.insert(file); }
    bool isHandlerFile(clang::FileID file, const Rule& rule);

    // A check reached a library function whose body was skipped and that may hide a finding: the
    // unit is parsed again with every library body (Analyzer::analyse).
    void needLibraryBodies() { needsLibraryBodies_ = true; }
    bool needsLibraryBodies() const { return needsLibraryBodies_; }

    std::vector<Finding> takeFindings();
    std::vector<std::string> projectFiles();
    // Every file the unit read, absolute (system headers included).
    std::vector<std::string> inputFiles();
    std::vector<std::string> resolvedHandlerNames() const {
        return {resolvedHandlerNames_.begin(), resolvedHandlerNames_.end()};
    }

  private:
    const Config& config_;
    clang::ASTContext& context_;
    NameResolver resolver_;
    std::string workingDirectory_;
    std::string root_;  // the project root, absolute, canonical, no trailing '/'
    ResolvedScope handler_;
    std::map<std::string, ResolvedScope> allow_;  // rule pointer -> its allow scope
    std::set<std::string> resolvedHandlerNames_;
    std::set<clang::FileID> handlerFiles_;
    bool needsLibraryBodies_ = false;
    struct FileInfo {
        bool project = false;
        bool resolved = false;  // path (and project) computed
        const clang::FileEntry* entry = nullptr;
        std::string path;       // relative to the project root when inside it, else absolute
    };
    std::unordered_map<unsigned, FileInfo*> files_;       // FileID -> its entry's info in byEntry_
    std::map<const clang::FileEntry*, FileInfo> byEntry_;  // nodes stay put: files_ points into it
    FileInfo& classify(const clang::FileEntry* entry, bool system);
    void resolve(FileInfo& info, bool system);
    std::set<std::tuple<std::string, unsigned, unsigned, std::string>> reported_;
    std::vector<Finding> findings_;
    struct Secret {
        unsigned firstColumn, lastColumn;  // 1-based, inclusive
    };
    std::map<std::pair<std::string, unsigned>, std::vector<Secret>> secrets_;  // (file, line)

    FileInfo& info(clang::FileID file);
    // Where a finding of `rule` at `location` would go; nothing when report() drops it.
    struct ReportSite {
        clang::SourceLocation fileLoc;
        clang::FileID file;
        const clang::DeclContext* context = nullptr;
    };
    std::optional<ReportSite> reportSite(const Rule& rule, clang::SourceLocation location, const clang::Decl* enclosing);
    std::vector<Note> macroNotes(clang::SourceLocation location);
    std::string lineText(clang::FileID file, unsigned offset);
};

// The qualified name of the function around `context` (lambdas are seen through), or "".
std::string enclosingFunctionName(const clang::DeclContext* context);

}  // namespace dbarch
