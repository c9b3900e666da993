#include "findings/Fingerprint.hpp"

#include <cstdint>
#include <map>

#include "findings/Utf8.hpp"

namespace dbarch {
namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// FNV-1a, 64 bit: tiny, dependency-free, stable across platforms and releases. Collisions only
// matter between findings of the same rule and file, where 64 bits are plenty.
class Fnv1a64 {
  public:
    void add(std::string_view bytes) {
        for (unsigned char c : bytes) {
            hash_ ^= c;
            hash_ *= 0x100000001b3ULL;
        }
    }
    // Fields are separated by a byte that cannot occur in them, so ("ab","c") != ("a","bc").
    void field(std::string_view bytes) {
        add(bytes);
        add(std::string_view("\0", 1));
    }
    std::string hex() const {
        static const char digits[] = "0123456789abcdef";
        std::string out(16, '0');
        for (int i = 15, shift = 0; i >= 0; --i, shift += 4) out[i] = digits[(hash_ >> shift) & 0xF];
        return out;
    }

  private:
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace

std::string normalizeSourceText(std::string_view line) {
    std::string out;
    bool pendingSpace = false;
    for (char c : line) {
        if (isSpace(c)) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace) out += ' ';
        pendingSpace = false;
        out += c;
    }
    return toValidUtf8(out);
}

std::string findingKey(const Finding& finding) {
    Fnv1a64 hash;
    hash.field("dbarch-finding-key/v1");  // bump with any change to what is hashed
    hash.field(finding.rule);
    hash.field(finding.file);
    hash.field(finding.function);
    hash.field(normalizeSourceText(finding.context));
    return hash.hex();
}

std::vector<std::string> uniqueFingerprints(const std::vector<Finding>& findings) {
    std::map<std::string, unsigned> seen;
    std::vector<std::string> out;
    out.reserve(findings.size());
    for (const auto& f : findings) {
        std::string key = findingKey(f);
        unsigned n = ++seen[key];
        out.push_back(n == 1 ? key : key + ":" + std::to_string(n));
    }
    return out;
}

}  // namespace dbarch
