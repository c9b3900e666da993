#include "compdb/ForeignFlags.hpp"

#include <clang/Basic/Version.h>
#include <clang/Driver/Options.h>
#include <llvm/Option/Arg.h>
#include <llvm/Option/ArgList.h>
#include <llvm/Option/OptTable.h>
#include <llvm/Option/Option.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace dbarch {
namespace {

bool isClDriver(const std::vector<std::string>& line) {
    if (line.empty()) return false;
    std::string name = fs::path(line.front()).filename().string();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".exe") == 0) name.resize(name.size() - 4);
    if (name == "cl" || (name.size() >= 8 && name.compare(name.size() - 8, 8, "clang-cl") == 0)) return true;
    return std::find(line.begin(), line.end(), "--driver-mode=cl") != line.end();
}

bool existsFrom(const std::string& directory, const std::string& path) {
    fs::path p(path);
    if (p.is_relative()) p = fs::path(directory) / p;
    std::error_code ec;
    return fs::exists(p, ec);
}

// The header a precompiled header was made from, by the naming every build tool uses
// (cmake_pch.hxx.gch, stdafx.h.pch); empty when the name does not say.
std::string sourceOfPrecompiled(const std::string& pch) {
    for (const char* extension : {".pch", ".gch"})
        if (pch.size() > 4 && pch.compare(pch.size() - 4, 4, extension) == 0) return pch.substr(0, pch.size() - 4);
    return {};
}

// One `-include` or `-include-pch`, in the driver's spelling or passed through with -Xclang.
struct Inclusion {
    size_t first, count;  // tokens it takes in the command line
    std::string path;
    bool precompiled;     // -include-pch
    bool passedThrough;   // -Xclang -include -Xclang X: no driver in between
};

// The command line as clang's driver reads it (so an option's separate value is never mistaken
// for an option): the positions of options it does not know, and the inclusions. Positions count
// from the compiler, `line[0]`.
struct DriverView {
    std::set<size_t> unknown;
    std::vector<Inclusion> inclusions;
};

DriverView readAsDriver(const std::vector<std::string>& line) {
    namespace options = clang::driver::options;
    std::vector<const char*> argv;
    for (size_t i = 1; i < line.size(); ++i) argv.push_back(line[i].c_str());
    unsigned missingIndex = 0, missingCount = 0;
    llvm::opt::InputArgList args = clang::driver::getDriverOptTable().ParseArgs(
        argv, missingIndex, missingCount, /*FlagsToInclude=*/0, options::CLOption | options::NoDriverOption);
    std::vector<const llvm::opt::Arg*> ordered(args.begin(), args.end());  // in command-line order
    DriverView view;
    for (size_t k = 0; k < ordered.size(); ++k) {
        const llvm::opt::Arg* arg = ordered[k];
        const llvm::opt::Option& option = arg->getOption();
        size_t at = arg->getIndex() + 1;
        if (option.getKind() == llvm::opt::Option::UnknownClass) {
            view.unknown.insert(at);
        } else if (option.matches(options::OPT_include) || option.matches(options::OPT_include_pch)) {
            size_t tokens = line[at] == arg->getSpelling() ? 2 : 1;  // "-include X" or "-includeX"
            view.inclusions.push_back({at, tokens, arg->getValue(), option.matches(options::OPT_include_pch), false});
        } else if (option.matches(options::OPT_Xclang) && k + 1 < ordered.size() &&
                   ordered[k + 1]->getOption().matches(options::OPT_Xclang) && ordered[k + 1]->getIndex() == arg->getIndex() + 2 &&
                   (llvm::StringRef(arg->getValue()) == "-include" || llvm::StringRef(arg->getValue()) == "-include-pch")) {
            view.inclusions.push_back({at, 4, ordered[k + 1]->getValue(), llvm::StringRef(arg->getValue()) == "-include-pch", true});
            ++k;
        }
    }
    return view;
}

std::vector<std::string> passedThroughInclude(const std::string& header) {
    return {"-Xclang", "-include", "-Xclang", header};
}

}  // namespace

void adaptForeignFlags(clang::tooling::CompileCommand& command, ForeignFlags& seen) {
    std::vector<std::string>& line = command.CommandLine;
    if (line.size() < 2 || isClDriver(line)) return;

    // GCC 11 and later call C++23 by its name; clang before 17 knows it only as c++2b.
#if CLANG_VERSION_MAJOR < 17
    for (size_t i = 1; i < line.size(); ++i)
        for (const char* dialect : {"c++", "gnu++"})
            if (line[i] == std::string("-std=") + dialect + "23") line[i] = std::string("-std=") + dialect + "2b";
#endif

    DriverView view = readAsDriver(line);
    const std::vector<Inclusion>& inclusions = view.inclusions;

    // Precompiled headers: each position either stays, goes, or becomes a passed-through include.
    std::map<size_t, std::pair<size_t, std::vector<std::string>>> replace;  // first -> (count, tokens)
    std::set<std::string> includedHeaders;
    bool driverWouldUsePch = false;
    for (const auto& inclusion : inclusions) {
        if (inclusion.precompiled) continue;
        includedHeaders.insert(inclusion.path);
        if (!inclusion.passedThrough &&
            (existsFrom(command.Directory, inclusion.path + ".pch") || existsFrom(command.Directory, inclusion.path + ".gch")))
            driverWouldUsePch = true;
    }
    for (const auto& inclusion : inclusions) {
        if (inclusion.precompiled) {
            std::string header = sourceOfPrecompiled(inclusion.path);
            if (header.empty()) continue;
            if (includedHeaders.count(header)) replace[inclusion.first] = {inclusion.count, {}};  // CMake includes it too
            else if (existsFrom(command.Directory, header))
                replace[inclusion.first] = {inclusion.count, passedThroughInclude(header)};
        } else if (driverWouldUsePch && !inclusion.passedThrough) {
            // Every driver -include, so that their order is kept: the driver would have read
            // the first one from X.gch / X.pch.
            replace[inclusion.first] = {inclusion.count, passedThroughInclude(inclusion.path)};
        }
    }
    bool precompiledReplaced = !replace.empty();

    const std::set<size_t>& unknown = view.unknown;
    if (!precompiledReplaced && unknown.empty()) return;

    std::vector<std::string> adapted{line.front()};
    std::set<std::string> leftOut;
    for (size_t i = 1; i < line.size(); ++i) {
        if (auto it = replace.find(i); it != replace.end()) {
            adapted.insert(adapted.end(), it->second.second.begin(), it->second.second.end());
            i += it->second.first - 1;
        } else if (unknown.count(i)) {
            leftOut.insert(line[i]);
        } else {
            adapted.push_back(line[i]);
        }
    }
    line = std::move(adapted);
    for (const auto& option : leftOut) ++seen.unknownOptions[option];
    if (precompiledReplaced) ++seen.unitsWithPrecompiledHeader;
}

std::vector<std::string> ForeignFlags::notes() const {
    std::vector<std::string> notes;
    auto units = [](size_t n) { return std::to_string(n) + (n == 1 ? " unit" : " units"); };
    if (!unknownOptions.empty()) {
        std::string list;
        size_t shown = 0;
        for (const auto& [option, count] : unknownOptions)
            if (shown++ < 6) list += (list.empty() ? "" : ", ") + option + " (" + units(count) + ")";
        if (unknownOptions.size() > 6) list += ", and " + std::to_string(unknownOptions.size() - 6) + " more";
        notes.push_back("left out compiler options clang does not know (written for another compiler): " + list);
    }
    if (unitsWithPrecompiledHeader > 0)
        notes.push_back("parsed the header behind the precompiled header of " + units(unitsWithPrecompiledHeader) +
                        " from source: a precompiled header belongs to the compiler that built it");
    return notes;
}

}  // namespace dbarch
