#include "analysis/SharedPreamble.hpp"

#include <clang/AST/ASTConsumer.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Frontend/MultiplexConsumer.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <optional>
#include <sstream>

#include "analysis/BodySkipping.hpp"
#include "analysis/ToolSetup.hpp"
#include "analysis/TypeTables.hpp"
#include "scheduler/Scheduler.hpp"

using namespace clang;
namespace fs = std::filesystem;

namespace dbarch {
namespace {

// Says which bodies to skip or drop (analysis/BodySkipping.hpp); everything else is the PCH
// generator's. It runs before the generator, so the PCH holds the bodies as left here.
class SkipLibraryBodies : public ASTConsumer {
  public:
    explicit SkipLibraryBodies(CompilerInstance& ci) {
        presizeTypeTables(ci.getASTContext());
        ci.getPreprocessor().addPPCallbacks(constexprBodies_.watch(ci.getPreprocessor()));
    }
    bool shouldSkipFunctionBody(Decl* decl) override { return !isPackForwardingTemplate(decl); }
    bool HandleTopLevelDecl(DeclGroupRef group) override {
        for (Decl* decl : group) constexprBodies_.drop(decl);
        return true;
    }
    void HandleTagDeclDefinition(TagDecl*) override { constexprBodies_.settle(); }
    void HandleTranslationUnit(ASTContext&) override { constexprBodies_.settle(); }

  private:
    LibraryConstexprBodies constexprBodies_{[](SourceLocation) { return true; }};
};

class BuildPreambleAction : public GeneratePCHAction {
  public:
    BuildPreambleAction(std::string output, std::vector<std::string>& inputFiles)
        : output_(std::move(output)), inputFiles_(inputFiles) {}

  protected:
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& ci, StringRef file) override {
        ci.getFrontendOpts().OutputFile = output_;
        ci.getFrontendOpts().SkipFunctionBodies = true;
        std::vector<std::unique_ptr<ASTConsumer>> consumers;
        auto generator = GeneratePCHAction::CreateASTConsumer(ci, file);
        if (!generator) return nullptr;
        consumers.push_back(std::make_unique<SkipLibraryBodies>(ci));
        consumers.push_back(std::move(generator));
        return std::make_unique<MultiplexConsumer>(std::move(consumers));
    }

    void EndSourceFileAction() override {
        const SourceManager& sm = getCompilerInstance().getSourceManager();
        for (auto it = sm.fileinfo_begin(); it != sm.fileinfo_end(); ++it)
            inputFiles_.push_back(fs::path(it->first->getName().str()).lexically_normal().string());
        GeneratePCHAction::EndSourceFileAction();
    }

  private:
    std::string output_;
    std::vector<std::string>& inputFiles_;
};

class BuildPreambleFactory : public tooling::FrontendActionFactory {
  public:
    BuildPreambleFactory(std::string output, std::vector<std::string>& inputFiles)
        : output_(std::move(output)), inputFiles_(inputFiles) {}
    std::unique_ptr<FrontendAction> create() override { return std::make_unique<BuildPreambleAction>(output_, inputFiles_); }

  private:
    std::string output_;
    std::vector<std::string>& inputFiles_;
};

std::string hashOf(const std::string& text) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
    return buffer;
}

std::string mainFileOf(const tooling::CompileCommand& command) {
    fs::path file(command.Filename);
    return (file.is_absolute() ? file : fs::path(command.Directory) / file).lexically_normal().string();
}

// The command without its input file and outputs: what must be equal for a PCH to be reusable.
std::vector<std::string> flagsOf(const tooling::CompileCommand& command) {
    std::vector<std::string> flags;
    const auto& line = command.CommandLine;
    std::string main = mainFileOf(command);
    for (size_t i = 0; i < line.size(); ++i) {
        const std::string& arg = line[i];
        if (arg == "-o" || arg == "-MF" || arg == "-MT" || arg == "-MQ") {
            ++i;
            continue;
        }
        if (arg == "-c" || (arg.rfind("-o", 0) == 0 && arg.size() > 2) || arg == "-MD" || arg == "-MMD") continue;
        if (arg == command.Filename || (fs::path(command.Directory) / arg).lexically_normal().string() == main) continue;
        flags.push_back(arg);
    }
    return flags;
}

std::optional<std::string> readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

std::vector<std::string> leadingSystemIncludes(const std::string& text) {
    std::vector<std::string> headers;
    std::istringstream in(text);
    std::string line;
    bool inComment = false;
    while (std::getline(in, line)) {
        size_t p = line.find_first_not_of(" \t\r");
        if (inComment) {
            size_t end = line.find("*/");
            if (end == std::string::npos) continue;
            inComment = false;
            p = line.find_first_not_of(" \t\r", end + 2);
        }
        if (p == std::string::npos) continue;
        std::string rest = line.substr(p);
        if (rest.rfind("//", 0) == 0) continue;
        if (rest.rfind("/*", 0) == 0) {
            if (rest.find("*/", 2) == std::string::npos) inComment = true;
            continue;
        }
        if (rest.rfind("#pragma once", 0) == 0) continue;
        if (rest.rfind("#include", 0) != 0) break;
        size_t open = rest.find_first_not_of(" \t", 8);
        if (open == std::string::npos || rest[open] != '<') break;  // a project include ends the block
        size_t close = rest.find('>', open);
        if (close == std::string::npos) break;
        headers.push_back(rest.substr(open + 1, close - open - 1));
    }
    return headers;
}

std::vector<std::string> preambleArguments(const Preamble& preamble) {
    return {"-include-pch", preamble.pchPath};
}

namespace {

// A rough, fast estimate of how much parsing a block of `#include <...>` lines costs: the bytes of
// its include closure, found by scanning #include lines textually (no macros, both branches of
// every #if). Good enough to compare blocks; never used for correctness.
class IncludeCostModel {
  public:
    explicit IncludeCostModel(const std::vector<std::string>& flags, const std::string& directory, const std::string& resourceDir) {
        for (size_t i = 0; i < flags.size(); ++i) {
            const std::string& f = flags[i];
            for (const char* option : {"-I", "-isystem"}) {
                std::string o(option);
                if (f == o && i + 1 < flags.size()) addDir(flags[i + 1], directory);
                else if (f.size() > o.size() && f.rfind(o, 0) == 0) addDir(f.substr(o.size()), directory);
            }
        }
        std::error_code ec;
        std::string cxx;  // the newest libstdc++ on the machine
        for (const auto& e : fs::directory_iterator("/usr/include/c++", ec))
            if (cxx.empty() || std::stoi("0" + e.path().filename().string()) > std::stoi("0" + cxx)) cxx = e.path().filename().string();
        for (const std::string& d : {"/usr/include/c++/" + cxx, "/usr/include/x86_64-linux-gnu/c++/" + cxx, "/usr/include/c++/" + cxx + "/backward",
                                     resourceDir + "/include", std::string("/usr/local/include"),
                                     std::string("/usr/include/x86_64-linux-gnu"), std::string("/usr/include")})
            addDir(d, "/");
    }

    // Bytes of the union of the closures of `headers` (each header's closure is found once).
    uint64_t cost(const std::vector<std::string>& headers) {
        ++stamp_;
        uint64_t bytes = 0;
        for (const auto& h : headers)
            for (size_t id : closureOf(h))
                if (seen_[id] != stamp_) seen_[id] = stamp_, bytes += fileBytes_[id];
        return bytes;
    }

  private:
    std::vector<fs::path> dirs_;
    std::map<std::string, std::vector<std::pair<std::string, bool>>> includes_;  // file -> (spelled, quoted)
    std::map<std::string, std::vector<size_t>> headerClosures_;  // header as spelled -> file ids
    std::map<std::string, size_t> fileIds_;
    std::vector<uint64_t> fileBytes_;  // by file id
    std::vector<uint64_t> seen_;       // by file id: the stamp of the last cost() that counted it
    uint64_t stamp_ = 0;

    const std::vector<size_t>& closureOf(const std::string& header) {
        auto [it, inserted] = headerClosures_.try_emplace(header);
        if (!inserted) return it->second;
        std::set<std::string> files;
        if (auto path = resolve(header, "")) closure(*path, files);
        for (const auto& f : files) {
            auto [id, added] = fileIds_.try_emplace(f, fileBytes_.size());
            if (added) {
                std::error_code ec;
                fileBytes_.push_back(fs::file_size(f, ec));
                seen_.push_back(0);
            }
            it->second.push_back(id->second);
        }
        return it->second;
    }

    void addDir(const std::string& dir, const std::string& base) {
        fs::path p(dir);
        if (p.is_relative()) p = fs::path(base) / p;
        std::error_code ec;
        if (fs::is_directory(p, ec)) dirs_.push_back(p.lexically_normal());
    }

    std::optional<std::string> resolve(const std::string& spelled, const std::string& includer) {
        std::error_code ec;
        if (!includer.empty()) {
            fs::path local = fs::path(includer).parent_path() / spelled;
            if (fs::is_regular_file(local, ec)) return local.lexically_normal().string();
        }
        for (const auto& d : dirs_)
            if (fs::is_regular_file(d / spelled, ec)) return (d / spelled).lexically_normal().string();
        return std::nullopt;
    }

    void closure(const std::string& file, std::set<std::string>& seen) {
        if (!seen.insert(file).second || seen.size() > 5000) return;
        auto [it, inserted] = includes_.try_emplace(file);
        if (inserted) {
            std::ifstream in(file);
            std::string line;
            while (std::getline(in, line)) {
                size_t p = line.find_first_not_of(" \t");
                if (p == std::string::npos || line[p] != '#') continue;
                p = line.find_first_not_of(" \t", p + 1);
                if (p == std::string::npos || line.compare(p, 7, "include") != 0) continue;
                size_t open = line.find_first_of("<\"", p + 7);
                if (open == std::string::npos) continue;
                size_t close = line.find(line[open] == '<' ? '>' : '"', open + 1);
                if (close == std::string::npos) continue;
                it->second.emplace_back(line.substr(open + 1, close - open - 1), line[open] == '"');
            }
        }
        for (const auto& [spelled, quoted] : std::vector<std::pair<std::string, bool>>(it->second))
            if (auto path = resolve(spelled, quoted ? file : "")) closure(*path, seen);
    }
};

// A C++ standard library header (<string>, <cstdint>, ...): one that no other header's meaning
// depends on having been included first.
bool isStandardLibraryHeader(const std::string& header) {
    static const std::set<std::string> names = {
        "algorithm", "any", "array", "atomic", "barrier", "bit", "bitset", "cassert", "cctype", "cerrno",
        "cfenv", "cfloat", "charconv", "chrono", "cinttypes", "climits", "clocale", "cmath", "codecvt",
        "compare", "complex", "concepts", "condition_variable", "coroutine", "csetjmp", "csignal",
        "cstdarg", "cstddef", "cstdint", "cstdio", "cstdlib", "cstring", "ctime", "cuchar", "cwchar",
        "cwctype", "deque", "exception", "execution", "expected", "filesystem", "format", "forward_list",
        "fstream", "functional", "future", "initializer_list", "iomanip", "ios", "iosfwd", "iostream",
        "istream", "iterator", "latch", "limits", "list", "locale", "map", "memory", "memory_resource",
        "mutex", "new", "numbers", "numeric", "optional", "ostream", "queue", "random", "ranges", "ratio",
        "regex", "scoped_allocator", "semaphore", "set", "shared_mutex", "source_location", "span",
        "spanstream", "sstream", "stack", "stacktrace", "stdexcept", "stop_token", "streambuf", "string",
        "string_view", "syncstream", "system_error", "thread", "tuple", "type_traits", "typeindex",
        "typeinfo", "unordered_map", "unordered_set", "utility", "valarray", "variant", "vector", "version"};
    return names.count(header) > 0;
}

// Whether a unit whose leading block is `block` can be parsed on a preamble of `preamble` (headers
// numbered, `isStandard` by number): every header of the preamble is in the block, in the same
// order, and the headers of the block it leaves out before its last one are standard library
// headers. Those are then parsed after the preamble's headers instead of before them, which
// changes nothing; a left-out third-party or configuration header might (a macro it defines could
// change a header that follows it).
bool coversBlock(const std::vector<int>& preamble, const std::vector<int>& block, const std::vector<bool>& isStandard) {
    size_t next = 0;  // the next header of the preamble to find in the block
    for (int header : block) {
        if (next == preamble.size()) break;
        if (header == preamble[next]) ++next;
        else if (!isStandard[header]) return false;  // would be parsed after what follows it
    }
    return next == preamble.size();
}

// What building a preamble costs and what a unit parsed on it saves, as parts of a parse of its
// headers. Measured rather than derived: on bench/speed's 200 units (14 preambles) a build cost of
// 0.3 to 0.7 gave the shortest runs, 1.1 about 4 % longer and 2 (7 preambles) about 9 % longer.
constexpr double kBuildCost = 0.5, kSaving = 0.9;
// Bound the search on projects with thousands of distinct blocks: candidates kept, and blocks
// intersected while looking for them (the most common blocks first).
constexpr size_t kMaxCandidates = 4000, kMaxIntersections = 200000;

// Picks the preambles of one flags group: greedily the block that saves the most parse work over
// all units (each unit on the costliest chosen preamble that covers its block), counting what the
// preamble costs to build; stops when nothing saves more than it costs. The candidates are the
// units' blocks and the headers they have in common (services that include a few standard headers
// more or fewer still share their library, e.g. <pqxx/pqxx> after a varying standard block).
std::map<std::vector<std::string>, std::vector<size_t>> choosePreambles(
    const std::vector<std::pair<size_t, std::vector<std::string>>>& members, IncludeCostModel& costs) {
    // Headers as numbers, distinct blocks with their units, most common first.
    std::map<std::string, int> ids;
    std::vector<std::string> names;
    std::vector<bool> standard;
    auto idOf = [&](const std::string& h) {
        auto [it, added] = ids.try_emplace(h, static_cast<int>(names.size()));
        if (added) names.push_back(h), standard.push_back(isStandardLibraryHeader(h));
        return it->second;
    };
    std::map<std::vector<int>, std::vector<size_t>> unitsByBlock;  // block -> units (members' own ids)
    for (const auto& [unit, block] : members) {
        std::vector<int> numbered;
        for (const auto& h : block) numbered.push_back(idOf(h));
        unitsByBlock[numbered].push_back(unit);
    }
    std::vector<std::pair<std::vector<int>, std::vector<size_t>>> blocks(unitsByBlock.begin(), unitsByBlock.end());
    std::stable_sort(blocks.begin(), blocks.end(), [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });

    std::set<std::vector<int>> found;
    for (const auto& [block, units] : blocks) found.insert(block);
    size_t intersections = 0;
    for (int round = 0; round < 2; ++round) {
        std::vector<std::vector<int>> current(found.begin(), found.end());
        for (const auto& c : current)
            for (const auto& [block, units] : blocks) {
                if (found.size() >= kMaxCandidates || ++intersections > kMaxIntersections) break;
                std::vector<int> common;
                for (int h : c)
                    if (std::find(block.begin(), block.end(), h) != block.end()) common.push_back(h);
                if (!common.empty() && coversBlock(common, block, standard)) found.insert(std::move(common));
            }
    }

    struct Candidate {
        std::vector<std::string> spelled;
        double cost;
        std::vector<size_t> covers;  // indices into blocks
        bool chosen = false;
    };
    std::vector<Candidate> candidates;
    for (const auto& headers : found) {
        std::vector<size_t> covers;
        size_t unitsCovered = 0;
        for (size_t b = 0; b < blocks.size(); ++b)
            if (coversBlock(headers, blocks[b].first, standard)) covers.push_back(b), unitsCovered += blocks[b].second.size();
        if (unitsCovered < 2) continue;
        std::vector<std::string> spelled;
        for (int h : headers) spelled.push_back(names[h]);
        double cost = static_cast<double>(costs.cost(spelled));
        candidates.push_back({std::move(spelled), cost, std::move(covers)});
    }
    std::vector<const Candidate*> onIt(blocks.size(), nullptr);  // each block's costliest chosen preamble
    auto coveredCost = [&](size_t b) { return onIt[b] ? onIt[b]->cost : 0.0; };
    for (;;) {
        double bestGain = 0;
        Candidate* best = nullptr;
        for (auto& c : candidates) {
            if (c.chosen) continue;
            double gain = -kBuildCost * c.cost;
            for (size_t b : c.covers) gain += kSaving * std::max(0.0, c.cost - coveredCost(b)) * blocks[b].second.size();
            if (gain > bestGain) bestGain = gain, best = &c;
        }
        if (!best) break;
        best->chosen = true;
        for (size_t b : best->covers)
            if (best->cost > coveredCost(b)) onIt[b] = best;
    }
    std::map<std::vector<std::string>, std::vector<size_t>> groups;
    for (size_t b = 0; b < blocks.size(); ++b) {
        if (!onIt[b]) continue;
        auto& group = groups[onIt[b]->spelled];
        group.insert(group.end(), blocks[b].second.begin(), blocks[b].second.end());
    }
    for (auto& [headers, units] : groups) std::sort(units.begin(), units.end());
    return groups;
}

}  // namespace

PreamblePlan buildSharedPreambles(const Config& config, const std::vector<tooling::CompileCommand>& units,
                                  const std::string& resourceDir, const fs::path& directory, unsigned jobs) {
    PreamblePlan plan;
    plan.forUnit.resize(units.size());

    // Units by flags (and working directory): only those can share a preamble.
    std::map<std::string, std::vector<std::pair<size_t, std::vector<std::string>>>> byFlags;
    for (size_t i = 0; i < units.size(); ++i) {
        auto text = readText(mainFileOf(units[i]));
        if (!text) continue;
        auto block = leadingSystemIncludes(*text);
        if (block.empty()) continue;
        std::string flags;
        for (const auto& f : flagsOf(units[i])) flags += f + '\0';
        byFlags[flags + units[i].Directory].emplace_back(i, std::move(block));
    }
    std::map<std::pair<std::string, std::vector<std::string>>, std::vector<size_t>> groups;
    for (const auto& [flags, members] : byFlags) {
        if (members.size() < 2) continue;
        const auto& model = units[members.front().first];
        IncludeCostModel costs(flagsOf(model), model.Directory, resourceDir);
        for (auto& [prefix, unitsOnIt] : choosePreambles(members, costs)) groups[{flags, prefix}] = unitsOnIt;
    }
    struct Work {
        const std::string* flags;
        std::vector<std::string> headers;
        std::vector<size_t> members;
        std::optional<size_t> parent;  // the preamble this one is built on (its headers begin this one's)
        size_t depth = 0;
    };
    std::vector<Work> work;
    for (auto& [key, members] : groups)
        if (members.size() >= 2) work.push_back({&key.first, key.second, members, std::nullopt});
    if (work.empty()) return plan;
    // Chained: a preamble whose headers begin with another's is built on that one, parsing only
    // the headers it adds. `groups` is ordered by headers, so a parent comes before its children.
    for (size_t w = 0; w < work.size(); ++w) {
        for (size_t q = 0; q < w; ++q) {
            const auto& mine = work[w].headers;
            const auto& theirs = work[q].headers;
            if (*work[q].flags != *work[w].flags || theirs.size() >= mine.size()) continue;
            if (!std::equal(theirs.begin(), theirs.end(), mine.begin())) continue;
            if (!work[w].parent || theirs.size() > work[*work[w].parent].headers.size()) work[w].parent = q;
        }
        if (work[w].parent) work[w].depth = work[*work[w].parent].depth + 1;
    }

    std::error_code ec;
    fs::create_directories(directory, ec);
    std::string root = fs::weakly_canonical(config.root, ec).generic_string() + "/";
    std::vector<std::shared_ptr<const Preamble>> built(work.size());
    auto build = [&](size_t w) {
        const auto& headers = work[w].headers;
        const auto& model = units[work[w].members.front()];
        std::shared_ptr<const Preamble> parent = work[w].parent ? built[*work[w].parent] : nullptr;
        std::string block;
        for (const auto& h : headers) block += "#include <" + h + ">\n";
        std::string flags;
        for (const auto& f : flagsOf(model)) flags += f + ' ';
        std::string name = "prefix-" + hashOf(flags + model.Directory + block + std::to_string(::getpid()));
        fs::path header = directory / (name + ".hpp"), pch = directory / (name + ".pch");
        std::ofstream(header) << block;

        tooling::CompileCommand command = model;
        command.CommandLine = flagsOf(model);
        if (parent) command.CommandLine.insert(command.CommandLine.end(), {"-include-pch", parent->pchPath});
        // -fpch-instantiate-templates: the instantiations the block's own headers ask for are done
        // once, in the PCH, instead of at the end of every unit parsed on it (measured: loading a
        // standard-library PCH into an empty unit went from ~80 ms to ~8 ms above a plain parse).
        command.CommandLine.insert(command.CommandLine.end(),
                                   {"-fpch-instantiate-templates", "-x", "c++-header", header.string()});
        command.Filename = header.string();
        SingleCommandDatabase database(command);
        tooling::ClangTool tool(database, {header.string()}, std::make_shared<PCHContainerOperations>(),
                                llvm::vfs::createPhysicalFileSystem());
        addStandardAdjusters(tool, resourceDir);  // as every unit's: a PCH needs equal options
        IgnoringDiagConsumer quiet;
        tool.setDiagnosticConsumer(&quiet);
        tool.setPrintErrorMessage(false);
        auto preamble = std::make_shared<Preamble>();
        BuildPreambleFactory factory(pch.string(), preamble->inputFiles);
        auto started = std::chrono::steady_clock::now();
        int status = tool.run(&factory);
        preamble->buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        bool usable = status == 0 && fs::is_regular_file(pch, ec);
        // A block that reaches project headers must not be shared: their findings are reported
        // per unit and they change often.
        for (const auto& file : preamble->inputFiles)
            if (file.rfind(root, 0) == 0) usable = false;
        // Inputs of its base too; the run's own files among them (synthetic headers, PCHs) are
        // left out where a unit takes these as its own (Analyzer::analyseSkipping).
        if (parent) preamble->inputFiles.insert(preamble->inputFiles.end(), parent->inputFiles.begin(), parent->inputFiles.end());
        preamble->base = parent;
        if (usable) {
            preamble->pchPath = pch.string();
            preamble->directory = directory.lexically_normal().string();
            preamble->headers = headers;
            built[w] = preamble;
        }
        UnitResult ignored;
        return ignored;
    };
    // Shallowest first: workers take them in this order, so a parent is always being built or
    // done by the time a worker takes its child, which waits for it.
    std::vector<size_t> order(work.size());
    for (size_t w = 0; w < work.size(); ++w) order[w] = w;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return work[a].depth < work[b].depth; });
    std::mutex mutex;
    std::condition_variable finished;
    std::vector<bool> done(work.size(), false);
    auto markDone = [&](size_t w) {
        std::lock_guard lock(mutex);
        done[w] = true;
        finished.notify_all();
    };
    runUnits(order.size(), jobs, [&](size_t i) {
        size_t w = order[i];
        if (work[w].parent) {
            std::unique_lock lock(mutex);
            finished.wait(lock, [&] { return done[*work[w].parent]; });
        }
        UnitResult result;
        try {
            result = build(w);
        } catch (...) {
            markDone(w);  // a child must not wait for ever (it is built on its own then)
            throw;
        }
        markDone(w);
        return result;
    });
    for (size_t w = 0; w < work.size(); ++w) {
        if (!built[w]) {
            ++plan.failed;
            continue;
        }
        ++plan.built;
        if (built[w]->base) ++plan.chained;
        plan.buildSeconds += built[w]->buildSeconds;
        for (size_t i : work[w].members) plan.forUnit[i] = built[w];
    }
    return plan;
}

}  // namespace dbarch
