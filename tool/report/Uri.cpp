#include "report/Report.hpp"

namespace dbarch {

std::string percentEncodePath(std::string_view path) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

std::string directoryUri(std::string_view absoluteDirectory) {
    std::string uri = "file://" + percentEncodePath(absoluteDirectory);
    if (uri.back() != '/') uri += '/';
    return uri;
}

}  // namespace dbarch
