// dbarch install-hook: writes hooks/pre-commit into the repository's hooks directory, with the
// path of this dbarch binary recorded, so that the hook works without dbarch on PATH.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/Commands.hpp"
#include "config/Embedded.hpp"
#include "vcs/Git.hpp"

namespace fs = std::filesystem;

namespace dbarch {
namespace {

constexpr std::string_view kMarker = "dbarch pre-commit hook";

std::string shellQuoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

int runInstallHook(bool force, const std::string& hookArgs) {
    std::error_code ec;
    try {
        Git git(fs::current_path(ec));
        fs::path hooks = git.hooksDirectory();
        fs::path target = hooks / "pre-commit";
        if (fs::exists(target, ec) && !force) {
            std::ifstream in(target);
            std::stringstream existing;
            existing << in.rdbuf();
            if (existing.str().find(kMarker) == std::string::npos) {
                std::cerr << "dbarch: error: " << target.string()
                          << " exists and is not dbarch's; pass --force to replace it, or call 'dbarch check --staged' from it\n";
                return kExitUsage;
            }
        }
        std::string script(embeddedHooks().at("pre-commit"));
        fs::path self = fs::read_symlink("/proc/self/exe", ec);
        const std::string recorded = "DBARCH_RECORDED=\"\"";
        if (size_t at = script.find(recorded); at != std::string::npos && !self.empty())
            script.replace(at, recorded.size(), "DBARCH_RECORDED=" + shellQuoted(self.string()) +
                                                    (hookArgs.empty() ? "" : "\nDBARCH_HOOK_ARGS=\"${DBARCH_HOOK_ARGS-" + hookArgs + "}\""));
        fs::create_directories(hooks, ec);
        {
            std::ofstream out(target, std::ios::binary | std::ios::trunc);
            out << script;
            if (!out) {
                std::cerr << "dbarch: error: cannot write " << target.string() << "\n";
                return kExitUsage;
            }
        }
        chmod(target.c_str(), 0755);
        std::cout << "dbarch: installed the pre-commit hook in " << target.string() << " (using " << self.string()
                  << "); skip it once with 'git commit --no-verify'\n";
        return kExitClean;
    } catch (const GitError& e) {
        std::cerr << "dbarch: error: " << e.what() << "\n";
        return kExitUsage;
    }
}

}  // namespace dbarch
