#include "compdb/CompileCommands.hpp"

#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <algorithm>
#include <optional>
#include <set>

#include "compdb/ForeignFlags.hpp"

using clang::tooling::CompilationDatabase;
using clang::tooling::CompileCommand;
using clang::tooling::FixedCompilationDatabase;
using clang::tooling::JSONCommandLineSyntax;
using clang::tooling::JSONCompilationDatabase;
namespace fs = std::filesystem;

namespace dbarch {

bool isSourceFile(const fs::path& path) {
    static const std::set<std::string> extensions{".c", ".cc", ".cpp", ".cxx", ".c++", ".C"};
    return extensions.count(path.extension().string()) > 0;
}

bool isHeaderFile(const fs::path& path) {
    static const std::set<std::string> extensions{".h", ".hh", ".hpp", ".hxx", ".h++", ".inl", ".ipp", ".tpp"};
    return extensions.count(path.extension().string()) > 0;
}

namespace {

std::string canonicalPath(const fs::path& path) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(path, ec);
    return (ec ? path.lexically_normal() : c).generic_string();
}

bool mentionsCxxStandard(const std::vector<std::string>& args) {
    return std::any_of(args.begin(), args.end(), [](const std::string& a) {
        return a.rfind("-std=c++", 0) == 0 || a.rfind("-std=gnu++", 0) == 0 || a.rfind("/std:c++", 0) == 0;
    });
}

// A header has no command of its own: it is checked standalone with the command of the unit
// nearest to it (same directory, else the closest parent), parsed as a C++ header.
std::optional<CompileCommand> borrowedCommand(const CompilationDatabase& db, const std::string& header,
                                              std::string* lender) {
    std::optional<CompileCommand> best;
    size_t bestShared = 0;
    std::string headerDir = fs::path(header).parent_path().generic_string();
    std::vector<std::string> files = db.getAllFiles();
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        if (isHeaderFile(file)) continue;
        std::string dir = fs::path(file).parent_path().generic_string();
        size_t shared = 0;
        while (shared < dir.size() && shared < headerDir.size() && dir[shared] == headerDir[shared]) ++shared;
        if (!best || shared > bestShared) {
            auto commands = db.getCompileCommands(file);
            if (commands.empty()) continue;
            best = commands.front();
            bestShared = shared;
            *lender = file;
        }
    }
    if (!best) return std::nullopt;
    auto& line = best->CommandLine;
    auto it = std::find_if(line.begin(), line.end(), [&](const std::string& a) {
        return a == best->Filename || (fs::path(best->Directory) / a).lexically_normal() == fs::path(best->Filename).lexically_normal();
    });
    if (it == line.end()) return std::nullopt;
    *it = header;
    line.insert(it, {"-x", "c++-header"});
    best->Filename = header;
    return best;
}

bool isUnder(const std::string& file, const std::string& dir) {
    return file == dir || (file.size() > dir.size() && file.compare(0, dir.size(), dir) == 0 && file[dir.size()] == '/');
}

struct LoadedDatabase {
    std::unique_ptr<CompilationDatabase> database;
    std::string source;
    bool listsFiles = false;     // compile_commands.json lists its files; compile_flags.txt does not
    bool fromExtraArgs = false;  // the database *is* the flags after --
};

std::unique_ptr<CompilationDatabase> loadJson(const fs::path& file) {
    std::string error;
    auto db = JSONCompilationDatabase::loadFromFile(file.string(), error, JSONCommandLineSyntax::AutoDetect);
    if (!db) throw DatabaseError(file.string() + ": not a valid compilation database: " + error);
    // Commands may keep their flags in response files (@flags.rsp, relative to the command's
    // directory), as CMake does for long include lists; clang's driver does not read them.
    return clang::tooling::expandResponseFiles(std::move(db), llvm::vfs::getRealFileSystem());
}

std::unique_ptr<CompilationDatabase> loadFlags(const fs::path& file) {
    std::string error;
    auto db = FixedCompilationDatabase::loadFromFile(file.string(), error);
    if (!db) throw DatabaseError(file.string() + ": cannot read compile flags: " + error);
    return db;
}

// Looks in `dir` for compile_commands.json, build/compile_commands.json, compile_flags.txt.
std::optional<LoadedDatabase> loadFromDirectory(const fs::path& dir) {
    std::error_code ec;
    for (const fs::path& candidate : {dir / "compile_commands.json", dir / "build" / "compile_commands.json"})
        if (fs::is_regular_file(candidate, ec)) return LoadedDatabase{loadJson(candidate), candidate.string(), true};
    fs::path flags = dir / "compile_flags.txt";
    if (fs::is_regular_file(flags, ec)) return LoadedDatabase{loadFlags(flags), flags.string(), false};
    return std::nullopt;
}

LoadedDatabase findDatabase(const DatabaseOptions& options) {
    std::error_code ec;
    if (!options.buildPath.empty()) {
        fs::path p = fs::absolute(options.workingDirectory / options.buildPath, ec);
        if (fs::is_regular_file(p, ec)) {
            if (p.filename() == "compile_flags.txt") return {loadFlags(p), p.string(), false};
            return {loadJson(p), p.string(), true};
        }
        if (!fs::is_directory(p, ec)) throw DatabaseError("-p " + options.buildPath + ": no such directory or file");
        if (auto db = loadFromDirectory(p)) return std::move(*db);
        throw DatabaseError("-p " + options.buildPath + ": no compile_commands.json or compile_flags.txt in " + p.string() +
                            " (configure with cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)");
    }
    for (fs::path dir = fs::absolute(options.workingDirectory, ec); !dir.empty(); dir = dir.parent_path()) {
        if (auto db = loadFromDirectory(dir)) return std::move(*db);
        if (dir == dir.parent_path()) break;
    }
    if (options.haveExtraArgs)
        return {std::make_unique<FixedCompilationDatabase>(options.workingDirectory.string(), options.extraArgs),
                "the flags after --", false, true};
    throw DatabaseError("no compilation database: looked for compile_commands.json, build/compile_commands.json and "
                        "compile_flags.txt in " + options.workingDirectory.string() +
                        " and its parents; pass -p BUILD_DIR (configure with cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON) "
                        "or give compile flags after --");
}

// Every C/C++ source below `dir`, skipping hidden directories and build trees.
void collectSources(const fs::path& dir, std::vector<std::string>& out) {
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    for (; it != end; it.increment(ec)) {
        if (ec) break;
        const fs::path& path = it->path();
        if (it->is_directory(ec)) {
            std::string name = path.filename().string();
            if ((!name.empty() && name[0] == '.') || fs::exists(path / "CMakeCache.txt", ec)) it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(ec) && isSourceFile(path)) out.push_back(canonicalPath(path));
    }
    std::sort(out.begin(), out.end());
}

// The units and their commands as the database gives them.
UnitPlan collectUnits(const DatabaseOptions& options, const Config& config) {
    LoadedDatabase loaded = findDatabase(options);
    UnitPlan plan;
    plan.source = loaded.source;
    if (!loaded.fromExtraArgs) plan.databaseDirectory = fs::path(loaded.source).parent_path();
    std::string root = canonicalPath(config.root);
    std::set<std::string> planned;

    auto relative = [&](const std::string& file) {
        return isUnder(file, root) && file != root ? file.substr(root.size() + 1) : file;
    };
    auto add = [&](const std::string& file, bool explicitlyNamed) {
        if (planned.count(file)) return;
        bool outside = !isUnder(file, root), excluded = !outside && config.isExcluded(relative(file));
        if (outside || excluded) {
            // Analysing it would report nothing (only project code is reported): say so rather
            // than print a clean result for it.
            if (explicitlyNamed)
                plan.skipped.push_back(relative(file) + (outside ? " is outside the project root " + root
                                                                 : " is excluded by the config's 'exclude'") +
                                       "; not checked");
            return;
        }
        std::vector<CompileCommand> commands = loaded.database->getCompileCommands(file);
        if (options.haveExtraArgs && !loaded.fromExtraArgs) {
            // Flags after -- serve files the database lacks, and are appended for the others.
            if (commands.empty()) {
                FixedCompilationDatabase fixed(options.workingDirectory.string(), options.extraArgs);
                commands = fixed.getCompileCommands(file);
            } else {
                // Appended at the very end: the command may go on after the source ("-o a.o").
                auto& line = commands.front().CommandLine;
                line.insert(line.end(), options.extraArgs.begin(), options.extraArgs.end());
            }
        }
        if (commands.empty() && loaded.listsFiles && isHeaderFile(file)) {
            std::string lender;
            if (auto borrowed = borrowedCommand(*loaded.database, file, &lender)) {
                commands.push_back(std::move(*borrowed));
                plan.notes.push_back("checking header " + relative(file) + " standalone with the command of " + relative(lender));
            }
        } else if (!commands.empty() && !loaded.listsFiles && isHeaderFile(file) && mentionsCxxStandard(commands.front().CommandLine)) {
            // compile_flags.txt / flags after --: a .h would be parsed as C otherwise.
            auto& line = commands.front().CommandLine;
            line.insert(line.end() - 1, {"-x", "c++-header"});
        }
        if (commands.empty()) {
            plan.missing.push_back({relative(file), "no compile command for " + relative(file) + " in " + loaded.source +
                                                        "; pass -p BUILD_DIR or compile flags after --"});
            return;
        }
        planned.insert(file);
        plan.units.push_back(std::move(commands.front()));
    };

    std::vector<std::string> inputs;
    if (options.paths.empty()) {
        if (loaded.listsFiles) {
            std::vector<std::string> all = loaded.database->getAllFiles();
            for (auto& f : all) f = canonicalPath(f);
            std::sort(all.begin(), all.end());
            for (const auto& f : all) add(f, false);
        } else {
            collectSources(root, inputs);
            for (const auto& f : inputs) add(f, false);
        }
        return plan;
    }
    for (const auto& given : options.paths) {
        std::error_code ec;
        fs::path path = fs::absolute(options.workingDirectory / given, ec);
        std::string file = canonicalPath(path);
        if (fs::is_directory(path, ec)) {
            size_t before = plan.units.size() + plan.missing.size();
            if (loaded.listsFiles) {
                std::vector<std::string> all = loaded.database->getAllFiles();
                for (auto& f : all) f = canonicalPath(f);
                std::sort(all.begin(), all.end());
                for (const auto& f : all)
                    if (isUnder(f, file)) add(f, false);
            } else {
                std::vector<std::string> sources;
                collectSources(path, sources);
                for (const auto& f : sources) add(f, false);
            }
            if (plan.units.size() + plan.missing.size() == before)
                plan.missing.push_back({given, given + ": no translation unit of " + loaded.source + " is in this directory"});
        } else if (fs::exists(path, ec) || options.virtualFiles.count(path.lexically_normal().string())) {
            add(file, true);
        } else {
            plan.missing.push_back({given, given + ": no such file or directory"});
        }
    }
    return plan;
}

}  // namespace

UnitPlan planUnits(const DatabaseOptions& options, const Config& config) {
    UnitPlan plan = collectUnits(options, config);
    // A database written for GCC (or another clang) must not cost units: compdb/ForeignFlags.hpp.
    ForeignFlags foreign;
    for (auto& unit : plan.units) adaptForeignFlags(unit, foreign);
    for (auto& note : foreign.notes()) plan.notes.push_back(std::move(note));
    return plan;
}

}  // namespace dbarch
