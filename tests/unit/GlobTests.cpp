#include <gtest/gtest.h>

#include "util/Glob.hpp"

using namespace dbarch;

TEST(PathGlob, DoubleStarMatchesAnyDepthIncludingNone) {
    EXPECT_TRUE(pathGlobMatch("src/db/**", "src/db/pool.cpp"));
    EXPECT_TRUE(pathGlobMatch("src/db/**", "src/db/a/b/c.cpp"));
    EXPECT_TRUE(pathGlobMatch("**/gen/*.cpp", "gen/x.cpp"));
    EXPECT_TRUE(pathGlobMatch("**/gen/*.cpp", "a/b/gen/x.cpp"));
    EXPECT_FALSE(pathGlobMatch("src/db/**", "src/dbx/pool.cpp"));
    EXPECT_FALSE(pathGlobMatch("**/gen/*.cpp", "a/gen/sub/x.cpp"));
}

TEST(PathGlob, StarAndQuestionStayInsideOneSegment) {
    EXPECT_TRUE(pathGlobMatch("src/*.cpp", "src/main.cpp"));
    EXPECT_FALSE(pathGlobMatch("*.cpp", "src/main.cpp"));
    EXPECT_TRUE(pathGlobMatch("src/?.cpp", "src/a.cpp"));
    EXPECT_FALSE(pathGlobMatch("src/?.cpp", "src/ab.cpp"));
    EXPECT_FALSE(pathGlobMatch("src?main.cpp", "src/main.cpp"));
}

TEST(PathGlob, CharacterClasses) {
    EXPECT_TRUE(pathGlobMatch("v[0-9].cpp", "v7.cpp"));
    EXPECT_FALSE(pathGlobMatch("v[0-9].cpp", "vx.cpp"));
    EXPECT_TRUE(pathGlobMatch("v[!0-9].cpp", "vx.cpp"));
    EXPECT_TRUE(pathGlobMatch("[ab]*.h", "beta.h"));
}

TEST(PathGlob, ADirectoryCoversEverythingBelowIt) {
    EXPECT_TRUE(pathGlobMatch("third_party", "third_party/x/y.h"));
    EXPECT_TRUE(pathGlobMatch("third_party/", "third_party/y.h"));
    EXPECT_FALSE(pathGlobMatch("third_party", "third_party_extra/y.h"));
    EXPECT_TRUE(pathGlobMatch("./src/db/**", "src/db/x.cpp"));
}

TEST(PathGlob, Errors) {
    EXPECT_TRUE(globError("src/[db").has_value());
    EXPECT_TRUE(globError("src/a**").has_value());
    EXPECT_TRUE(globError("").has_value());
    EXPECT_FALSE(globError("src/**/x[ab].cpp").has_value());
    EXPECT_FALSE(globError("[]]x").has_value());
}

TEST(NameGlob, MatchesAcrossEverything) {
    EXPECT_TRUE(nameGlobMatch("dbarch-*", "dbarch-direct-connection"));
    EXPECT_TRUE(nameGlobMatch("*", "anything"));
    EXPECT_FALSE(nameGlobMatch("dbarch-p*", "dbarch-direct-connection"));
    EXPECT_TRUE(nameGlobMatch("dbarch-?irect-connection", "dbarch-direct-connection"));
}
