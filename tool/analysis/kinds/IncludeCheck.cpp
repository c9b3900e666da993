// kind "include": driver headers must not be included outside the handler. Includes are only
// visible to the preprocessor, so they are recorded while parsing and judged after the match
// pass, when it is known which files define handler code.
//
// Allowed: files matching the handler's (or the rule's) paths, files that define a handler
// function or a member of a handler class, files with a function annotated
// [[clang::annotate("dbarch::handler")]]. Matched against the header as spelled ("pqxx/pqxx").
#include <clang/AST/Attr.h>
#include <clang/Basic/Version.h>
#include <clang/Lex/PPCallbacks.h>

#include "analysis/kinds/RuleCheck.hpp"
#include "util/Glob.hpp"

using namespace clang;
using namespace clang::ast_matchers;

namespace dbarch {
namespace {

struct Inclusion {
    SourceLocation hash;
    std::string spelled;
};

class IncludeRecorder : public PPCallbacks {
  public:
    IncludeRecorder(UnitContext& unit, std::vector<Inclusion>& out) : unit_(unit), out_(out) {}

#if CLANG_VERSION_MAJOR >= 16
    using FileArg = OptionalFileEntryRef;
#elif CLANG_VERSION_MAJOR == 15
    using FileArg = Optional<FileEntryRef>;
#else
    using FileArg = const FileEntry*;
#endif
    void InclusionDirective(SourceLocation hash, const Token&, StringRef fileName, bool, CharSourceRange, FileArg,
                            StringRef, StringRef, const Module*, SrcMgr::CharacteristicKind) override {
        if (unit_.isProjectLocation(hash)) out_.push_back({hash, fileName.str()});
    }

  private:
    UnitContext& unit_;
    std::vector<Inclusion>& out_;
};

// As in .gitignore: a glob without '/' matches the last component ("libpq-fe.h" matches
// "postgresql/libpq-fe.h"); one with '/' matches the whole spelling ("pqxx/*").
bool spelledMatches(const std::string& glob, const std::string& spelled) {
    if (glob.find('/') != std::string::npos) return pathGlobMatch(glob, spelled);
    size_t slash = spelled.rfind('/');
    return pathGlobMatch(glob, slash == std::string::npos ? spelled : spelled.substr(slash + 1));
}

class IncludeCheck : public RuleCheck {
  public:
    using RuleCheck::RuleCheck;

    void registerPPCallbacks(Preprocessor& pp) override {
        pp.addPPCallbacks(std::make_unique<IncludeRecorder>(unit_, inclusions_));
    }

    void registerMatchers(MatchFinder& finder) override {
        finder.addMatcher(functionDecl(hasAttr(attr::Annotate)).bind("annotated"), this);
    }

    void run(const MatchFinder::MatchResult& result) override {
        const auto* fn = result.Nodes.getNodeAs<FunctionDecl>("annotated");
        for (const auto* attr : fn->specific_attrs<AnnotateAttr>()) {
            if (attr->getAnnotation() != "dbarch::handler") continue;
            const SourceManager& sm = unit_.sources();
            unit_.addHandlerFile(sm.getFileID(sm.getFileLoc(fn->getLocation())));
        }
    }

    void finish() override {
        const SourceManager& sm = unit_.sources();
        for (const auto& inclusion : inclusions_) {
            FileID file = sm.getFileID(sm.getFileLoc(inclusion.hash));
            for (const auto& rule : rules_) {
                bool matches = false;
                for (const auto& glob : rule.names) matches = matches || spelledMatches(glob, inclusion.spelled);
                if (matches && !unit_.isHandlerFile(file, rule)) unit_.report(rule, inclusion.hash, inclusion.spelled, nullptr);
            }
        }
    }

  private:
    std::vector<Inclusion> inclusions_;
};

}  // namespace

std::unique_ptr<RuleCheck> makeIncludeCheck(UnitContext& unit, std::vector<Rule> rules) {
    return std::make_unique<IncludeCheck>(unit, std::move(rules));
}

}  // namespace dbarch
