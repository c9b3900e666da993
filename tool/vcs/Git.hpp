// The few git questions dbarch asks: where the top level is, what changed, what is staged and
// the staged content of a file. Read-only: the working tree and the index are never modified,
// checked out or stashed.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dbarch {

// git is missing, the directory is not in a repository, or a command failed.
class GitError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Git {
  public:
    // The repository containing `directory` (throws GitError when there is none).
    explicit Git(const std::filesystem::path& directory);

    const std::filesystem::path& topLevel() const { return topLevel_; }

    // `git diff -U0` of the working tree against `ref`, with the prefixes parseGitDiff expects.
    std::string diffAgainst(const std::string& ref) const;
    // `git diff -U0 --cached`: what a commit would record.
    std::string stagedDiff() const;
    // Staged files that still exist (added, copied, modified, renamed), top-level-relative.
    std::vector<std::string> stagedFiles() const;
    // Where hooks go (honours core.hooksPath), absolute.
    std::filesystem::path hooksDirectory() const;
    // Tracked files whose working-tree state differs from the index (modified or deleted but not
    // staged), top-level-relative: for --staged, their index content is what a commit records.
    std::vector<std::string> unstagedFiles() const;
    // The staged content of a top-level-relative path.
    std::string stagedContent(const std::string& path) const;

  private:
    std::filesystem::path topLevel_;
    std::string run(const std::vector<std::string>& args) const;
};

}  // namespace dbarch
