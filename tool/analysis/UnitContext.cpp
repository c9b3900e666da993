#include "analysis/UnitContext.hpp"

#include <clang/AST/Attr.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/TypeLoc.h>
#include <clang/Lex/Lexer.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <filesystem>

#include "util/Glob.hpp"

using namespace clang;
namespace fs = std::filesystem;

namespace dbarch {
namespace {

constexpr llvm::StringLiteral kHandlerAnnotation = "dbarch::handler";

bool isAnnotatedHandler(const Decl* decl) {
    for (const Decl* redecl : decl->redecls())
        for (const auto* attr : redecl->specific_attrs<AnnotateAttr>())
            if (attr->getAnnotation() == kHandlerAnnotation) return true;
    return false;
}

// The declaration a template instantiation was made from, so that a handler named by its
// template covers every instantiation.
const FunctionDecl* patternOf(const FunctionDecl* fn) {
    if (const FunctionDecl* pattern = fn->getTemplateInstantiationPattern()) return pattern;
    return fn;
}

const CXXRecordDecl* patternOf(const CXXRecordDecl* record) {
    if (const auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(record))
        return spec->getSpecializedTemplate()->getTemplatedDecl();
    if (const CXXRecordDecl* from = record->getInstantiatedFromMemberClass()) return from;
    return record;
}

}  // namespace

std::string enclosingFunctionName(const DeclContext* context) {
    for (; context; context = context->getParent()) {
        const auto* fn = dyn_cast<FunctionDecl>(context);
        if (!fn) continue;
        if (const auto* method = dyn_cast<CXXMethodDecl>(fn); method && method->getParent()->isLambda()) continue;
        return patternOf(fn)->getQualifiedNameAsString();
    }
    return {};
}

void ResolvedScope::resolve(const Scope& scope, const NameResolver& resolver, std::set<std::string>* resolvedNames) {
    scope_ = scope;
    auto add = [&](const std::vector<std::string>& names, auto& into, auto accept) {
        for (const auto& name : names) {
            for (const NamedDecl* decl : resolver.resolve(name)) {
                if (!accept(decl)) continue;
                into.emplace(decl->getCanonicalDecl(), name);
                if (resolvedNames) resolvedNames->insert(name);
            }
        }
    };
    add(scope.functions, functions_, [](const NamedDecl* d) { return isa<FunctionDecl>(d); });
    add(scope.classes, classes_, [](const NamedDecl* d) { return isa<CXXRecordDecl>(d); });
    add(scope.classes, classes_, [](const NamedDecl* d) { return isa<ClassTemplateDecl>(d); });
    // A class template names its pattern record, which is what patternOf() returns.
    std::map<const Decl*, std::string> templates;
    for (auto it = classes_.begin(); it != classes_.end();) {
        if (const auto* tmpl = dyn_cast<ClassTemplateDecl>(it->first)) {
            templates.emplace(tmpl->getTemplatedDecl()->getCanonicalDecl(), it->second);
            it = classes_.erase(it);
        } else {
            ++it;
        }
    }
    classes_.insert(templates.begin(), templates.end());
    add(scope.namespaces, namespaces_, [](const NamedDecl* d) { return isa<NamespaceDecl>(d); });
}

std::optional<std::string> ResolvedScope::allows(const DeclContext* context, const std::string& file) const {
    for (const auto& glob : scope_.paths)
        if (pathGlobMatch(glob, file)) return "file matches path '" + glob + "'";
    for (; context; context = context->getParent()) {
        if (const auto* fn = dyn_cast<FunctionDecl>(context)) {
            const FunctionDecl* pattern = patternOf(fn);
            if (auto it = functions_.find(pattern->getCanonicalDecl()); it != functions_.end())
                return "inside handler function '" + it->second + "'";
            if (isAnnotatedHandler(pattern) || isAnnotatedHandler(fn))
                return "inside '" + pattern->getQualifiedNameAsString() + "', annotated [[clang::annotate(\"dbarch::handler\")]]";
        } else if (const auto* record = dyn_cast<CXXRecordDecl>(context)) {
            if (auto it = classes_.find(patternOf(record)->getCanonicalDecl()); it != classes_.end())
                return "member of handler class '" + it->second + "'";
        } else if (const auto* ns = dyn_cast<NamespaceDecl>(context)) {
            if (auto it = namespaces_.find(ns->getCanonicalDecl()); it != namespaces_.end())
                return "inside handler namespace '" + it->second + "'";
        }
    }
    return std::nullopt;
}

std::set<FileID> ResolvedScope::definingFiles(const SourceManager& sm) const {
    std::set<FileID> files;
    auto addDefinition = [&](const Decl* decl) {
        if (decl) files.insert(sm.getFileID(sm.getFileLoc(decl->getLocation())));
    };
    for (const auto& [decl, name] : functions_)
        if (const auto* fn = dyn_cast<FunctionDecl>(decl)) addDefinition(fn->getDefinition());
    for (const auto& [decl, name] : classes_) {
        const auto* record = cast<CXXRecordDecl>(decl)->getDefinition();
        if (!record) continue;
        addDefinition(record);
        for (const auto* method : record->methods())
            if (const FunctionDecl* def = method->getDefinition()) addDefinition(def);
    }
    return files;
}

UnitContext::UnitContext(const Config& config, ASTContext& context, std::string workingDirectory)
    : config_(config), context_(context), resolver_(context), workingDirectory_(std::move(workingDirectory)) {
    std::error_code ec;
    root_ = fs::weakly_canonical(config.root, ec).generic_string();
    while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

void UnitContext::resolveScopes(const std::vector<Rule>& rules) {
    handler_.resolve(config_.handler, resolver_, nullptr);
    // Names the project itself wrote are tracked, so that a typo can be reported.
    ResolvedScope projectOnly;
    projectOnly.resolve(config_.projectHandler, resolver_, &resolvedHandlerNames_);
    for (const auto& rule : rules)
        if (!rule.allow.empty()) allow_[rule.origin + rule.pointer].resolve(rule.allow, resolver_, nullptr);
    for (FileID file : handler_.definingFiles(sources())) handlerFiles_.insert(file);
}

UnitContext::FileInfo& UnitContext::info(FileID file) {
    // Asked for every declaration and body the parser meets, so the answer per file is kept.
    static FileInfo notAFile;  // <built-in>, <command line>, macro expansions: never project, no path
    auto [it, inserted] = files_.try_emplace(file.getHashValue(), &notAFile);
    if (!inserted) return *it->second;
    const SourceManager& sm = sources();
    bool invalid = false;
    const SrcMgr::SLocEntry& entry = sm.getSLocEntry(file, &invalid);
    if (invalid || !entry.isFile()) return notAFile;
    const SrcMgr::FileInfo& fileInfo = entry.getFile();
    const FileEntry* fileEntry = fileInfo.getContentCache().OrigEntry;
    if (fileEntry) it->second = &classify(fileEntry, SrcMgr::isSystem(fileInfo.getFileCharacteristic()));
    return *it->second;
}

UnitContext::FileInfo& UnitContext::classify(const FileEntry* fileEntry, bool system) {
    auto [it, inserted] = byEntry_.try_emplace(fileEntry);
    FileInfo& info = it->second;
    if (!inserted) return info;
    info.entry = fileEntry;
    // A system header is never a project file, and its path is only needed if a report or a
    // scope asks for it: resolving it (a stat per path component) is left until then, because a
    // unit includes hundreds of them.
    if (!system) resolve(info, system);
    return info;
}

void UnitContext::resolve(FileInfo& info, bool system) {
    if (info.resolved || !info.entry) return;
    info.resolved = true;
    fs::path path(info.entry->getName().str());
    if (path.is_relative()) path = fs::path(workingDirectory_) / path;
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    std::string absolute = (ec ? path.lexically_normal() : canonical).generic_string();
    info.path = absolute;
    if (absolute.size() > root_.size() && absolute.compare(0, root_.size(), root_) == 0 && absolute[root_.size()] == '/') {
        std::string relative = absolute.substr(root_.size() + 1);
        info.path = relative;
        info.project = !system && !config_.isExcluded(relative);
    }
}

bool UnitContext::isProjectFile(FileID file) { return info(file).project; }

bool UnitContext::isProjectLocation(SourceLocation location) {
    if (location.isInvalid()) return false;
    const SourceManager& sm = sources();
    return isProjectFile(sm.getFileID(sm.getFileLoc(location)));
}

const std::string& UnitContext::pathOf(FileID file) {
    FileInfo& fileInfo = info(file);
    resolve(fileInfo, /*system=*/true);  // not yet resolved: a system header (never a project file)
    return fileInfo.path;
}

bool UnitContext::isHandlerFile(FileID file, const Rule& rule) {
    if (handlerFiles_.count(file)) return true;
    const std::string& path = pathOf(file);
    if (handler_.allows(nullptr, path)) return true;
    auto it = allow_.find(rule.origin + rule.pointer);
    return it != allow_.end() && it->second.allows(nullptr, path);
}

const Decl* UnitContext::enclosingDecl(const DynTypedNode& start) {
    DynTypedNode node = start;
    for (int guard = 0; guard < 512; ++guard) {
        auto parents = context_.getParents(node);
        if (parents.empty()) return nullptr;
        node = parents[0];
        if (const Decl* decl = node.get<Decl>()) return decl;
    }
    return nullptr;
}

bool UnitContext::isUnevaluated(const DynTypedNode& start) {
    DynTypedNode node = start;
    for (int guard = 0; guard < 512; ++guard) {
        auto parents = context_.getParents(node);
        if (parents.empty()) return false;
        node = parents[0];
        if (node.get<TypeLoc>() || node.get<UnaryExprOrTypeTraitExpr>() || node.get<CXXNoexceptExpr>()) return true;
        if (const auto* typeId = node.get<CXXTypeidExpr>()) return !typeId->isPotentiallyEvaluated();
        if (node.get<Decl>()) return false;
    }
    return false;
}

std::string UnitContext::lineText(FileID file, unsigned offset) {
    bool invalid = false;
    llvm::StringRef buffer = sources().getBufferData(file, &invalid);
    if (invalid || offset > buffer.size()) return {};
    // StringRef::rfind looks strictly before `offset`.
    size_t newline = buffer.rfind('\n', offset);
    size_t begin = newline == llvm::StringRef::npos ? 0 : newline + 1;
    size_t end = buffer.find('\n', offset);
    std::string line = buffer.slice(begin, end == llvm::StringRef::npos ? buffer.size() : end).str();
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

Note UnitContext::noteAt(SourceLocation location, std::string message) {
    Note note;
    note.message = std::move(message);
    const SourceManager& sm = sources();
    SourceLocation fileLoc = sm.getFileLoc(location);
    if (fileLoc.isInvalid()) return note;
    FileID file = sm.getFileID(fileLoc);
    note.file = pathOf(file);
    note.line = sm.getSpellingLineNumber(fileLoc);
    note.column = sm.getSpellingColumnNumber(fileLoc);
    return note;
}

std::vector<Note> UnitContext::macroNotes(SourceLocation location) {
    std::vector<Note> notes;
    const SourceManager& sm = sources();
    for (int guard = 0; location.isMacroID() && guard < 64; ++guard) {
        if (sm.isMacroArgExpansion(location)) {
            location = sm.getImmediateSpellingLoc(location);
            continue;
        }
        llvm::StringRef name = Lexer::getImmediateMacroName(location, sm, context_.getLangOpts());
        notes.push_back(noteAt(sm.getSpellingLoc(location), "expanded from macro '" + name.str() + "'"));
        location = sm.getImmediateExpansionRange(location).getBegin();
    }
    return notes;
}

std::optional<UnitContext::ReportSite> UnitContext::reportSite(const Rule& rule, SourceLocation location,
                                                               const Decl* enclosing) {
    if (location.isInvalid()) return std::nullopt;
    ReportSite site;
    site.fileLoc = sources().getFileLoc(location);
    site.file = sources().getFileID(site.fileLoc);
    if (!isProjectFile(site.file)) return std::nullopt;
    const std::string& path = pathOf(site.file);
    if (enclosing) site.context = isa<DeclContext>(enclosing) ? cast<DeclContext>(enclosing) : enclosing->getDeclContext();
    if (handler_.allows(site.context, path)) return std::nullopt;
    if (!rule.allow.empty()) {
        auto it = allow_.find(rule.origin + rule.pointer);
        if (it != allow_.end() && it->second.allows(site.context, path)) return std::nullopt;
    }
    return site;
}

bool UnitContext::wouldReport(const Rule& rule, SourceLocation location, const Decl* enclosing) {
    return reportSite(rule, location, enclosing).has_value();
}

void UnitContext::report(const Rule& rule, SourceLocation location, const std::string& symbol, const Decl* enclosing,
                         std::vector<Note> notes) {
    auto site = reportSite(rule, location, enclosing);
    if (!site) return;
    SourceManager& sm = sources();
    SourceLocation fileLoc = site->fileLoc;
    FileID file = site->file;
    const std::string& path = pathOf(file);
    const DeclContext* context = site->context;

    unsigned line = sm.getSpellingLineNumber(fileLoc);
    unsigned column = sm.getSpellingColumnNumber(fileLoc);
    if (!reported_.emplace(path, line, column, rule.id).second) return;

    Finding finding;
    finding.rule = rule.id;
    finding.severity = rule.severity;
    finding.file = path;
    finding.line = line;
    finding.column = column;
    finding.symbol = symbol;
    finding.message = rule.messageFor(symbol);
    finding.function = enclosingFunctionName(context);
    finding.context = lineText(file, sm.getFileOffset(fileLoc));
    finding.notes = macroNotes(location);
    finding.notes.insert(finding.notes.end(), notes.begin(), notes.end());
    findings_.push_back(std::move(finding));
}

void UnitContext::addSecret(SourceLocation begin, unsigned length) {
    const SourceManager& sm = sources();
    SourceLocation loc = sm.getSpellingLoc(begin);
    FileID file = sm.getFileID(loc);
    if (!isProjectFile(file) || length == 0) return;
    unsigned column = sm.getSpellingColumnNumber(loc);
    secrets_[{pathOf(file), sm.getSpellingLineNumber(loc)}].push_back({column, column + length - 1});
}

std::vector<Finding> UnitContext::takeFindings() {
    // Secrets stay out of CI logs: masked in every printed line, with '*'s of equal length so
    // that carets still line up.
    for (auto& finding : findings_) {
        auto it = secrets_.find({finding.file, finding.line});
        if (it == secrets_.end()) continue;
        for (const Secret& secret : it->second)
            for (unsigned c = secret.firstColumn; c <= secret.lastColumn && c <= finding.context.size(); ++c)
                finding.context[c - 1] = '*';
    }
    return std::move(findings_);
}

std::vector<std::string> UnitContext::inputFiles() {
    std::vector<std::string> out;
    const SourceManager& sm = sources();
    for (auto it = sm.fileinfo_begin(); it != sm.fileinfo_end(); ++it) {
        if (!it->first) continue;
        fs::path path(it->first->getName().str());
        if (path.is_relative()) path = fs::path(workingDirectory_) / path;
        out.push_back(path.lexically_normal().string());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<std::string> UnitContext::projectFiles() {
    // Only this unit's own files (the local source-location table): files loaded from a shared
    // preamble are library headers by construction.
    std::vector<std::string> out;
    const SourceManager& sm = sources();
    for (unsigned i = 0, n = sm.local_sloc_entry_size(); i < n; ++i) {
        const SrcMgr::SLocEntry& entry = sm.getLocalSLocEntry(i);
        if (!entry.isFile()) continue;
        const FileEntry* fileEntry = entry.getFile().getContentCache().OrigEntry;
        if (!fileEntry) continue;
        const FileInfo& info = classify(fileEntry, SrcMgr::isSystem(entry.getFile().getFileCharacteristic()));
        if (info.project) out.push_back(info.path);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace dbarch
