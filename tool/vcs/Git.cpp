#include "vcs/Git.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <sys/select.h>

#include <algorithm>
#include <cstring>
#include <tuple>

extern char** environ;

namespace dbarch {
namespace {

struct Output {
    int status = -1;
    std::string out, err;
};

// Runs git without a shell (no quoting problems with paths), capturing both streams.
Output runGit(const std::filesystem::path& directory, const std::vector<std::string>& args) {
    int outPipe[2], errPipe[2];
    if (pipe(outPipe) != 0 || pipe(errPipe) != 0) throw GitError("cannot create a pipe to run git");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);
    posix_spawn_file_actions_addclose(&actions, outPipe[0]);
    posix_spawn_file_actions_addclose(&actions, errPipe[0]);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<std::string> full{"git", "-C", directory.string()};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : full) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid;
    int spawned = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(outPipe[1]);
    close(errPipe[1]);
    if (spawned != 0) {
        close(outPipe[0]);
        close(errPipe[0]);
        throw GitError(std::string("cannot run git: ") + std::strerror(spawned));
    }
    Output result;
    // Read both pipes without deadlocking on a full one.
    fd_set fds;
    bool outOpen = true, errOpen = true;
    char buffer[65536];
    while (outOpen || errOpen) {
        FD_ZERO(&fds);
        if (outOpen) FD_SET(outPipe[0], &fds);
        if (errOpen) FD_SET(errPipe[0], &fds);
        if (select(std::max(outPipe[0], errPipe[0]) + 1, &fds, nullptr, nullptr, nullptr) < 0) break;
        for (auto [fd, open, text] : {std::tuple{outPipe[0], &outOpen, &result.out}, std::tuple{errPipe[0], &errOpen, &result.err}}) {
            if (!*open || !FD_ISSET(fd, &fds)) continue;
            ssize_t n = read(fd, buffer, sizeof buffer);
            if (n <= 0) *open = false;
            else text->append(buffer, static_cast<size_t>(n));
        }
    }
    close(outPipe[0]);
    close(errPipe[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string firstLine(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

}  // namespace

Git::Git(const std::filesystem::path& directory) {
    Output top = runGit(directory, {"rev-parse", "--show-toplevel"});
    if (top.status != 0)
        throw GitError(directory.string() + " is not inside a git repository (" + firstLine(top.err) + ")");
    topLevel_ = firstLine(top.out);
}

std::string Git::run(const std::vector<std::string>& args) const {
    Output result = runGit(topLevel_, args);
    if (result.status != 0) {
        std::string command = "git";
        for (const auto& a : args) command += " " + a;
        throw GitError("'" + command + "' failed: " + firstLine(result.err));
    }
    return result.out;
}

std::string Git::diffAgainst(const std::string& ref) const {
    // Verify the ref first so that a typo says so, instead of git treating it as a path.
    if (runGit(topLevel_, {"rev-parse", "--verify", "--quiet", ref + "^{commit}"}).status != 0)
        throw GitError("--diff " + ref + ": unknown revision: not a commit, branch or tag of the repository at " +
                       topLevel_.string());
    // -M: renames are detected whatever the user's diff.renames says, so a moved file's old
    // lines are not new.
    return run({"diff", "-U0", "-M", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", ref, "--"});
}

std::string Git::stagedDiff() const {
    return run({"diff", "-U0", "-M", "--cached", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", "--"});
}

namespace {

std::vector<std::string> splitNul(const std::string& out) {
    std::vector<std::string> files;
    for (size_t start = 0; start < out.size();) {
        size_t end = out.find('\0', start);
        if (end == std::string::npos) end = out.size();
        if (end > start) files.push_back(out.substr(start, end - start));
        start = end + 1;
    }
    return files;
}

}  // namespace

std::vector<std::string> Git::unstagedFiles() const {
    return splitNul(run({"diff", "--name-only", "--no-renames", "-z", "--"}));
}

std::vector<std::string> Git::stagedFiles() const {
    return splitNul(run({"diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z", "--"}));
}

std::filesystem::path Git::hooksDirectory() const {
    std::filesystem::path hooks = firstLine(run({"rev-parse", "--git-path", "hooks"}));
    return hooks.is_absolute() ? hooks : topLevel_ / hooks;
}

std::string Git::stagedContent(const std::string& path) const {
    return run({"show", ":" + path});
}

}  // namespace dbarch
