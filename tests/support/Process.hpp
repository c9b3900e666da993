// Test support: run a command, capture its output and exit code; temporary directories.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace dbarch::test {

struct ProcessResult {
    int exitCode = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

inline std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

inline std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void writeFile(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

// Runs `command` with /bin/sh in `directory`; stdout and stderr are captured separately.
inline ProcessResult run(const std::string& command, const std::filesystem::path& directory = {}) {
    char errTemplate[] = "/tmp/dbarch-test-stderr-XXXXXX";
    int fd = mkstemp(errTemplate);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    std::string full = (directory.empty() ? "" : "cd " + shellQuote(directory.string()) + " && ") + command + " 2>" +
                       shellQuote(errTemplate) + " </dev/null";
    ProcessResult result;
    FILE* pipe = popen(full.c_str(), "r");
    if (!pipe) throw std::runtime_error("popen failed");
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
    int status = pclose(pipe);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.err = readFile(errTemplate);
    std::filesystem::remove(errTemplate);
    return result;
}

class TempDir {
  public:
    TempDir() {
        char name[] = "/tmp/dbarch-test-XXXXXX";
        if (!mkdtemp(name)) throw std::runtime_error("mkdtemp failed");
        path_ = name;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& relative) const { return path_ / relative; }

  private:
    std::filesystem::path path_;
};

}  // namespace dbarch::test
