#include "findings/PathFrame.hpp"

namespace dbarch {

std::string inFrame(std::string_view prefix, std::string_view path) {
    if (path.empty() || path.front() == '/') return std::string(path);
    while (prefix.substr(0, 2) == "./") prefix.remove_prefix(2);
    if (prefix.empty() || prefix == ".") return std::string(path);
    std::string out(prefix);
    if (out.back() != '/') out += '/';
    while (path.substr(0, 2) == "./") path.remove_prefix(2);
    return out + std::string(path);
}

}  // namespace dbarch
