// Test support: the 1-based line and column of a snippet in a test source, so that assertions
// on reported positions follow the source instead of hard-coded numbers.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace dbarch::test {

struct Position {
    unsigned line = 0, column = 0;
    std::string str() const { return std::to_string(line) + ":" + std::to_string(column); }
};

inline Position positionOf(const std::string& text, const std::string& needle) {
    size_t at = text.find(needle);
    if (at == std::string::npos) {
        ADD_FAILURE() << "test source has no '" << needle << "'";
        return {};
    }
    Position p{1, 1};
    for (size_t i = 0; i < at; ++i) {
        if (text[i] == '\n') ++p.line, p.column = 1;
        else ++p.column;
    }
    return p;
}

}  // namespace dbarch::test
