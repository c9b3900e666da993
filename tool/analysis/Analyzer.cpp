#include "analysis/Analyzer.hpp"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/DeclGroup.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/ASTMatchers/ASTMatchFinder.h>
#include <clang/Basic/Diagnostic.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Sema/SemaConsumer.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "analysis/BodySkipping.hpp"
#include "analysis/CallSites.hpp"
#include "analysis/ToolSetup.hpp"
#include "analysis/TypeTables.hpp"
#include "analysis/UnitContext.hpp"
#include "analysis/kinds/RuleCheck.hpp"

using namespace clang;
namespace fs = std::filesystem;

namespace dbarch {
namespace {

// Records compiler errors so that a unit that did not parse is reported as not analysed
// (exit 3), never as clean.
class ErrorCollector : public DiagnosticConsumer {
  public:
    explicit ErrorCollector(std::string root) : root_(std::move(root)) {}

    void HandleDiagnostic(DiagnosticsEngine::Level level, const Diagnostic& info) override {
        DiagnosticConsumer::HandleDiagnostic(level, info);
        if (level < DiagnosticsEngine::Error) return;
        if (level == DiagnosticsEngine::Fatal) fatal = true;
        if (messages.size() >= kMaxMessages) return;
        llvm::SmallString<256> text;
        info.FormatDiagnostic(text);
        std::string where;
        if (info.hasSourceManager() && info.getLocation().isValid()) {
            const SourceManager& sm = info.getSourceManager();
            PresumedLoc loc = sm.getPresumedLoc(sm.getFileLoc(info.getLocation()));
            if (loc.isValid()) {
                std::string file = loc.getFilename();
                if (file.size() > root_.size() && file.compare(0, root_.size() + 1, root_ + "/") == 0)
                    file = file.substr(root_.size() + 1);
                where = file + ":" + std::to_string(loc.getLine()) + ":" + std::to_string(loc.getColumn()) + ": ";
            }
        }
        messages.push_back(where + (level == DiagnosticsEngine::Fatal ? "fatal error: " : "error: ") + text.str().str());
    }

    static constexpr size_t kMaxMessages = 5;
    std::vector<std::string> messages;
    bool fatal = false;  // e.g. a header not found: parsing stopped

  private:
    std::string root_;
};

class CheckConsumer : public SemaConsumer {
  public:
    CheckConsumer(UnitContext& unit, const std::vector<Rule>& rules, std::vector<std::unique_ptr<RuleCheck>>& checks,
                  CallSiteCollector* callSites, LibraryConstexprBodies* constexprBodies)
        : unit_(unit), rules_(rules), checks_(checks), callSites_(callSites), constexprBodies_(constexprBodies) {}

    void InitializeSema(Sema& sema) override {
        presizeTypeTables(sema.Context);
        if (constexprBodies_) constexprBodies_->attach(sema);
    }

    // Only declarations from project files are traversed by the matchers: library headers are
    // never matched (as clangd does), which is both the rule and most of the speed.
    bool HandleTopLevelDecl(DeclGroupRef group) override {
        if (constexprBodies_) constexprBodies_->settle();
        for (Decl* decl : group) {
            if (unit_.isProjectLocation(decl->getLocation())) projectDecls_.push_back(decl);
            else if (constexprBodies_)
                constexprBodies_->drop(decl);
        }
        return true;
    }

    void HandleTagDeclDefinition(TagDecl*) override {
        if (constexprBodies_) constexprBodies_->settle();
    }

    // A shared preamble hands some of its declarations over as it loads them (the reader's
    // "interesting" ones: definitions a compiler would emit). They are library declarations whose
    // bodies were dropped when the preamble was built; treating them as top-level declarations
    // of this unit walked them again and pulled more of the preamble in (about 4 % of a run).
    void HandleInterestingDecl(DeclGroupRef) override {}

    // Delayed library bodies are parsed when first used (analysis/BodySkipping.hpp).
    ASTMutationListener* GetASTMutationListener() override {
        return constexprBodies_ ? constexprBodies_->useListener() : nullptr;
    }

    // Project bodies are always parsed; library ones mostly not (analysis/BodySkipping.hpp).
    bool shouldSkipFunctionBody(Decl* decl) override {
        if (constexprBodies_) constexprBodies_->bodyReached();
        if (unit_.isProjectLocation(decl->getLocation())) return false;
        return !isPackForwardingTemplate(decl) || (constexprBodies_ && constexprBodies_->delaying(decl));
    }

    void HandleTranslationUnit(ASTContext& context) override {
        if (constexprBodies_) constexprBodies_->settle();
        auto started = std::chrono::steady_clock::now();
        context.setTraversalScope(projectDecls_);
        unit_.resolveScopes(rules_);
        for (auto& check : checks_) check->resolve();
        ast_matchers::MatchFinder finder;
        for (auto& check : checks_) check->registerMatchers(finder);
        if (callSites_) callSites_->registerMatchers(finder);
        finder.matchAST(context);
        for (auto& check : checks_) check->finish();
        matchSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }

    double matchSeconds = 0;

  private:
    UnitContext& unit_;
    const std::vector<Rule>& rules_;
    std::vector<std::unique_ptr<RuleCheck>>& checks_;
    CallSiteCollector* callSites_;
    LibraryConstexprBodies* constexprBodies_;  // null: keep every library body
    std::vector<Decl*> projectDecls_;
};

// Everything one unit's analysis needs, shared by the action and its factory.
struct UnitJob {
    const Config& config;
    const std::vector<Rule>& rules;
    std::string directory;  // the compile command's working directory
    const AnalyzerOptions& options;
    bool skipLibraryBodies;  // this parse's (a unit may be parsed again with every body)
    bool onPreamble;         // the unit is parsed on a shared preamble
    bool lastUnit;           // the run ends after this unit (Analyzer::analyse)
    UnitResult& result;
    unsigned& libraryBodiesLeftOut;
};

class CheckAction : public ASTFrontendAction {
  public:
    explicit CheckAction(const UnitJob& job) : job_(job) {}

    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& ci, StringRef) override {
        ci.getFrontendOpts().SkipFunctionBodies = job_.skipLibraryBodies;  // see shouldSkipFunctionBody
        unit_ = std::make_unique<UnitContext>(job_.config, ci.getASTContext(), job_.directory);
        if (job_.options.collectCallSites) callSites_ = std::make_unique<CallSiteCollector>(*unit_);
        checks_ = createChecks(*unit_, job_.rules);
        for (auto& check : checks_) check->registerPPCallbacks(ci.getPreprocessor());
        LibraryConstexprBodies* constexprBodies = nullptr;
        if (job_.skipLibraryBodies) {
            constexprBodies_ = std::make_unique<LibraryConstexprBodies>(
                [unit = unit_.get()](SourceLocation at) { return !unit->isProjectLocation(at); });
            Preprocessor& preprocessor = ci.getPreprocessor();
            // Not on a shared preamble (it would have to carry the tokens), and not where the unit
            // delays templates itself (-fdelayed-template-parsing: those wait for the unit's end).
            const LangOptions& language = ci.getLangOpts();
            if (!job_.onPreamble && language.CPlusPlus && !language.DelayedTemplateParsing)
                preprocessor.setPredefines(preprocessor.getPredefines() + constexprBodies_->delayLibraryBodies());
            preprocessor.addPPCallbacks(constexprBodies_->watch(preprocessor));
            constexprBodies = constexprBodies_.get();
        }
        auto consumer = std::make_unique<CheckConsumer>(*unit_, job_.rules, checks_, callSites_.get(), constexprBodies);
        consumer_ = consumer.get();
        return consumer;
    }

    void EndSourceFileAction() override {
        if (!unit_) return;
        job_.result.findings = unit_->takeFindings();
        job_.result.projectFiles = unit_->projectFiles();
        job_.result.inputFiles = unit_->inputFiles();
        job_.result.resolvedHandlerNames = unit_->resolvedHandlerNames();
        job_.result.needsLibraryBodies = unit_->needsLibraryBodies();
        if (callSites_) job_.result.callSites = callSites_->take();
        if (consumer_) job_.result.matchSeconds = consumer_->matchSeconds;
        if (constexprBodies_) job_.libraryBodiesLeftOut = constexprBodies_->leftOut();
        // The run's last parse leaves its compiler state to the end of the process, as clang++
        // does (-disable-free): freeing a heavy unit's AST costs about 2 % of its time. Never when
        // the unit is parsed again (Analyzer::analyse), which would then hold two at once.
        CompilerInstance& ci = getCompilerInstance();
        if (job_.lastUnit && !ci.getDiagnostics().hasErrorOccurred() && !unit_->needsLibraryBodies())
            ci.getFrontendOpts().DisableFree = true;
    }

  private:
    const UnitJob& job_;
    std::unique_ptr<UnitContext> unit_;
    std::vector<std::unique_ptr<RuleCheck>> checks_;
    std::unique_ptr<CallSiteCollector> callSites_;
    std::unique_ptr<LibraryConstexprBodies> constexprBodies_;
    CheckConsumer* consumer_ = nullptr;  // owned by the compiler instance until the end of the file
};

class CheckActionFactory : public tooling::FrontendActionFactory {
  public:
    explicit CheckActionFactory(const UnitJob& job) : job_(job) {}
    std::unique_ptr<FrontendAction> create() override { return std::make_unique<CheckAction>(job_); }

  private:
    const UnitJob& job_;
};

}  // namespace

Analyzer::Analyzer(const Config& config, AnalyzerOptions options)
    : config_(config), options_(std::move(options)), rules_(config.enabledRules()) {}

UnitResult Analyzer::analyse(const tooling::CompileCommand& command, const Preamble* preamble, bool lastUnit) const {
    if (!options_.skipLibraryBodies) {
        ParseOutcome ignored;
        return analyseOnce(command, nullptr, false, lastUnit, ignored);
    }
    ParseOutcome outcome;
    UnitResult result = analyseSkipping(command, preamble, lastUnit, outcome);
    // A library body that was left out may matter to this unit (analysis/BodySkipping.hpp): a
    // forbidden type reached one, or a constexpr body left out was needed for a constant (an
    // error; not when parsing stopped early, e.g. at a missing header). Then the unit is parsed
    // again with all of them, as --full-parse does, and that parse is its result.
    bool mayNeedBodies = !result.errors.empty() && outcome.libraryBodiesLeftOut > 0 && !outcome.fatal;
    if (!result.needsLibraryBodies && !mayNeedBodies) return result;
    ParseOutcome ignored;
    UnitResult withBodies = analyseOnce(command, nullptr, false, lastUnit, ignored);
    withBodies.reparsedWithLibraryBodies = true;
    withBodies.parseSeconds += result.parseSeconds;
    withBodies.matchSeconds += result.matchSeconds;
    return withBodies;
}

UnitResult Analyzer::analyseSkipping(const tooling::CompileCommand& command, const Preamble* preamble, bool lastUnit,
                                     ParseOutcome& outcome) const {
    if (preamble) {
        UnitResult onPreamble = analyseOnce(command, preamble, true, lastUnit, outcome);
        if (onPreamble.errors.empty()) {
            // The headers the preamble (and its base) were built from are inputs of the unit; the
            // run's own preamble files are not (they vanish after the run; a chained PCH names
            // its base's synthetic header).
            onPreamble.inputFiles.insert(onPreamble.inputFiles.end(), preamble->inputFiles.begin(), preamble->inputFiles.end());
            std::erase_if(onPreamble.inputFiles,
                          [&](const std::string& f) { return f.rfind(preamble->directory + "/", 0) == 0; });
            std::sort(onPreamble.inputFiles.begin(), onPreamble.inputFiles.end());
            onPreamble.inputFiles.erase(std::unique(onPreamble.inputFiles.begin(), onPreamble.inputFiles.end()),
                                        onPreamble.inputFiles.end());
            onPreamble.usedPreamble = true;
            return onPreamble;
        }
    }
    return analyseOnce(command, nullptr, true, lastUnit, outcome);
}

UnitResult Analyzer::analyseOnce(const tooling::CompileCommand& command, const Preamble* preamble, bool skipLibraryBodies,
                                 bool lastUnit, ParseOutcome& outcome) const {
    UnitResult result;
    std::error_code ec;
    fs::path file = fs::path(command.Filename).is_absolute() ? fs::path(command.Filename)
                                                              : fs::path(command.Directory) / command.Filename;
    fs::path canonicalRoot = fs::weakly_canonical(config_.root, ec);
    fs::path canonicalFile = fs::weakly_canonical(file, ec);
    std::string relative = canonicalFile.lexically_relative(canonicalRoot).generic_string();
    result.file = (relative.empty() || relative.rfind("..", 0) == 0) ? canonicalFile.generic_string() : relative;

    SingleCommandDatabase database(command);
    // A physical file system per unit keeps its own working directory: threads never chdir.
    tooling::ClangTool tool(database, {file.string()}, std::make_shared<PCHContainerOperations>(),
                            llvm::vfs::createPhysicalFileSystem());
    addStandardAdjusters(tool, options_.resourceDir);
    if (preamble)
        tool.appendArgumentsAdjuster(
            tooling::getInsertArgumentAdjuster(preambleArguments(*preamble), tooling::ArgumentInsertPosition::BEGIN));
    if (options_.overlay)
        for (const auto& [path, content] : *options_.overlay) tool.mapVirtualFile(path, content);
    ErrorCollector errors(canonicalRoot.generic_string());
    tool.setDiagnosticConsumer(&errors);
    tool.setPrintErrorMessage(false);

    outcome = ParseOutcome{};
    UnitJob job{config_,          rules_,   command.Directory, options_, skipLibraryBodies, preamble != nullptr,
                lastUnit,         result,   outcome.libraryBodiesLeftOut};
    CheckActionFactory factory(job);
    auto started = std::chrono::steady_clock::now();
    int status = tool.run(&factory);
    double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.parseSeconds = std::max(0.0, total - result.matchSeconds);
    outcome.fatal = errors.fatal;

    if (errors.getNumErrors() > 0 || status != 0) {
        std::string message = "could not be fully analysed";
        if (!errors.messages.empty()) {
            message += ": " + errors.messages.front();
            if (errors.getNumErrors() > 1)
                message += " (and " + std::to_string(errors.getNumErrors() - 1) + " more error" +
                           (errors.getNumErrors() > 2 ? "s" : "") + ")";
        } else {
            message += ": the compiler could not be run with this unit's compile command";
        }
        result.errors.push_back({result.file, message});
    }
    return result;
}

}  // namespace dbarch
