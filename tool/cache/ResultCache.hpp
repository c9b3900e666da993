// Results of unchanged units are reused instead of re-parsed. An entry is keyed on everything
// that decides a unit's findings: the tool version, the effective rules, the exact compile
// command, and the content of every file the unit read (checked cheaply by size and mtime
// first, by content hash when those changed). A changed header therefore invalidates exactly
// the units that read it. Entries are written atomically (temporary file + rename), so
// concurrent runs are safe; an unreadable or corrupt entry is ignored and rewritten, never
// trusted. Knows nothing of Clang.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "findings/Finding.hpp"

namespace dbarch {

// Where the content the compiler saw came from: the disk, or an overlay (staged content).
using ContentOverlay = std::map<std::string, std::string>;

class ResultCache {
  public:
    // `directory` is created when the first entry is written.
    ResultCache(std::filesystem::path directory, const ContentOverlay* overlay);

    // .dbarch-cache/ beside the compilation database; for flags after `--` (no database file),
    // $XDG_CACHE_HOME/dbarch (default ~/.cache/dbarch).
    static std::filesystem::path defaultDirectory(const std::filesystem::path& databaseDirectory);

    // The key of one unit: a hash of `parts` (tool version, rules, command, options, ...).
    static std::string keyOf(const std::vector<std::string>& parts);

    // The stored result when every input file is unchanged; nothing otherwise.
    std::optional<UnitResult> load(const std::string& key);
    // Stores a fully analysed result of the unit whose main file is `mainFile` (absolute). One
    // with errors is not stored: it is retried next time.
    void store(const std::string& key, const std::string& mainFile, const UnitResult& result);

    // Main files of the cached units that read `file` (absolute), for checking a changed header
    // through the units that include it.
    std::vector<std::string> unitsReading(const std::string& file) const;

    const std::filesystem::path& directory() const { return directory_; }
    size_t hits() const { return hits_; }
    size_t corrupt() const { return corrupt_; }

  private:
    struct FileState {
        bool exists = false;
        uint64_t size = 0;
        int64_t mtime = 0;
        std::string hash;  // filled on demand
    };
    std::filesystem::path directory_;
    const ContentOverlay* overlay_;
    mutable std::mutex mutex_;
    std::map<std::string, FileState> states_;  // per run: each file is stat'ed and hashed once
    size_t hits_ = 0, corrupt_ = 0;

    FileState stateOf(const std::string& path, bool needHash);
    std::filesystem::path entryPath(const std::string& key) const;
};

}  // namespace dbarch
