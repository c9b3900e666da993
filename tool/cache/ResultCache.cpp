#include "cache/ResultCache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace dbarch {
namespace {

constexpr int kFormat = 1;  // bump when the entry layout or UnitResult's meaning changes

std::string hex(uint64_t value) {
    static const char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, value >>= 4) out[i] = digits[value & 15];
    return out;
}

// FNV-1a, twice with different offsets: 128 bits, enough to make a collision between two
// versions of the same file or command practically impossible; not a security boundary.
std::string contentHash(std::string_view data) {
    uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
    for (unsigned char c : data) {
        a = (a ^ c) * 0x100000001b3ull;
        b = (b ^ c) * 0x100000001b3ull;
        b ^= b >> 29;
    }
    return hex(a) + hex(b);
}

std::optional<std::string> readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

json toJson(const Finding& f) {
    json notes = json::array();
    for (const auto& n : f.notes) notes.push_back({n.file, n.line, n.column, n.message});
    return {{"rule", f.rule}, {"severity", f.severity == Severity::Error ? 1 : 0}, {"file", f.file}, {"line", f.line},
            {"column", f.column}, {"message", f.message}, {"symbol", f.symbol}, {"function", f.function},
            {"context", f.context}, {"notes", notes}};
}

Finding findingFrom(const json& j) {
    Finding f;
    f.rule = j.at("rule");
    f.severity = j.at("severity").get<int>() ? Severity::Error : Severity::Warning;
    f.file = j.at("file");
    f.line = j.at("line");
    f.column = j.at("column");
    f.message = j.at("message");
    f.symbol = j.at("symbol");
    f.function = j.at("function");
    f.context = j.at("context");
    for (const auto& n : j.at("notes")) f.notes.push_back({n.at(0), n.at(1), n.at(2), n.at(3)});
    return f;
}

json toJson(const UnitResult& r) {
    json findings = json::array();
    for (const auto& f : r.findings) findings.push_back(toJson(f));
    return {{"file", r.file}, {"findings", findings}, {"projectFiles", r.projectFiles},
            {"resolvedHandlerNames", r.resolvedHandlerNames}, {"inputFiles", r.inputFiles}, {"callSites", r.callSites}};
}

UnitResult resultFrom(const json& j) {
    UnitResult r;
    r.file = j.at("file");
    for (const auto& f : j.at("findings")) r.findings.push_back(findingFrom(f));
    r.projectFiles = j.at("projectFiles").get<std::vector<std::string>>();
    r.resolvedHandlerNames = j.at("resolvedHandlerNames").get<std::vector<std::string>>();
    r.inputFiles = j.at("inputFiles").get<std::vector<std::string>>();
    r.callSites = j.at("callSites").get<std::map<std::string, std::set<std::string>>>();
    return r;
}

}  // namespace

ResultCache::ResultCache(fs::path directory, const ContentOverlay* overlay)
    : directory_(std::move(directory)), overlay_(overlay) {}

fs::path ResultCache::defaultDirectory(const fs::path& databaseDirectory) {
    if (!databaseDirectory.empty()) return databaseDirectory / ".dbarch-cache";
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "dbarch";
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "dbarch";
    return fs::temp_directory_path() / "dbarch-cache";
}

std::string ResultCache::keyOf(const std::vector<std::string>& parts) {
    std::string joined = "dbarch-cache-" + std::to_string(kFormat);
    for (const auto& p : parts) joined += '\0' + std::to_string(p.size()) + ':' + p;
    return contentHash(joined);
}

fs::path ResultCache::entryPath(const std::string& key) const {
    return directory_ / (key.substr(0, 2)) / (key + ".json");
}

ResultCache::FileState ResultCache::stateOf(const std::string& path, bool needHash) {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = states_.try_emplace(path);
    FileState& state = it->second;
    if (inserted) {
        if (overlay_ && overlay_->count(path)) {
            const std::string& content = overlay_->at(path);
            state = {true, content.size(), -1, contentHash(content)};  // mtime -1: always compared by hash
        } else {
            struct stat st;
            if (::stat(path.c_str(), &st) == 0)
                state = {true, static_cast<uint64_t>(st.st_size),
                         static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec, ""};
        }
    }
    if (needHash && state.exists && state.hash.empty()) {
        // Hashing outside the lock would allow parallel hashing; files are small and each is
        // hashed once per run, so simplicity wins.
        if (auto content = readFile(path)) state.hash = contentHash(*content);
        else state.exists = false;
    }
    return state;
}

std::optional<UnitResult> ResultCache::load(const std::string& key) {
    auto text = readFile(entryPath(key).string());
    if (!text) return std::nullopt;
    try {
        json entry = json::parse(*text);
        if (entry.at("format") != kFormat || entry.at("key") != key) throw std::runtime_error("foreign entry");
        for (const auto& dep : entry.at("deps")) {
            const std::string path = dep.at("path");
            FileState now = stateOf(path, false);
            if (!now.exists) return std::nullopt;
            bool sameStat = now.mtime >= 0 && now.size == dep.at("size").get<uint64_t>() &&
                            now.mtime == dep.at("mtime").get<int64_t>();
            if (sameStat) continue;
            if (now.size != dep.at("size").get<uint64_t>()) return std::nullopt;
            if (stateOf(path, true).hash != dep.at("hash").get<std::string>()) return std::nullopt;
        }
        UnitResult result = resultFrom(entry.at("result"));
        std::lock_guard lock(mutex_);
        ++hits_;
        return result;
    } catch (const std::exception&) {
        std::lock_guard lock(mutex_);
        ++corrupt_;  // ignored here, overwritten by store()
        return std::nullopt;
    }
}

void ResultCache::store(const std::string& key, const std::string& mainFile, const UnitResult& result) {
    if (!result.errors.empty() || result.inputFiles.empty()) return;
    json deps = json::array();
    for (const auto& path : result.inputFiles) {
        FileState state = stateOf(path, true);
        if (!state.exists) return;  // a file vanished while we worked: do not cache
        deps.push_back({{"path", path}, {"size", state.size}, {"mtime", state.mtime}, {"hash", state.hash}});
    }
    json entry{{"format", kFormat}, {"key", key}, {"unit", mainFile}, {"deps", deps}, {"result", toJson(result)}};
    fs::path target = entryPath(key);
    std::error_code ec;
    if (!fs::exists(directory_ / ".gitignore", ec)) {
        // The cache often sits in the work tree (beside compile_flags.txt): keep it out of git.
        fs::create_directories(directory_, ec);
        std::ofstream(directory_ / ".gitignore") << "# dbarch result cache\n*\n";
    }
    fs::create_directories(target.parent_path(), ec);
    if (ec) return;  // a read-only location only costs speed
    fs::path temporary = target;
    temporary += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(std::hash<std::string>{}(result.file));
    {
        std::ofstream out(temporary, std::ios::binary);
        out << entry.dump(-1, ' ', false, json::error_handler_t::replace);
        if (!out) {
            fs::remove(temporary, ec);
            return;
        }
    }
    fs::rename(temporary, target, ec);
    if (ec) fs::remove(temporary, ec);
}

std::vector<std::string> ResultCache::unitsReading(const std::string& file) const {
    std::vector<std::string> units;
    std::error_code ec;
    if (!fs::is_directory(directory_, ec)) return units;
    for (auto it = fs::recursive_directory_iterator(directory_, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (!it->is_regular_file(ec) || it->path().extension() != ".json") continue;
        auto text = readFile(it->path().string());
        if (!text) continue;
        try {
            json entry = json::parse(*text);
            for (const auto& dep : entry.at("deps"))
                if (dep.at("path") == file) {
                    units.push_back(entry.at("unit"));
                    break;
                }
        } catch (const std::exception&) {
        }
    }
    std::sort(units.begin(), units.end());
    units.erase(std::unique(units.begin(), units.end()), units.end());
    return units;
}

}  // namespace dbarch
