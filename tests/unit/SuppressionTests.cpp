#include <gtest/gtest.h>

#include "filters/Suppressions.hpp"

using namespace dbarch;

namespace {

Finding at(const std::string& file, unsigned line, const std::string& rule) {
    Finding f;
    f.file = file;
    f.line = line;
    f.column = 1;
    f.rule = rule;
    return f;
}

const char* kDirect = "dbarch-direct-connection";
const char* kPrepared = "dbarch-prepared-statement";

}  // namespace

TEST(Nolint, SameLineBareAndWithChecks) {
    auto index = NolintIndex::parse("a.cpp",
                                    "x(); // NOLINT\n"
                                    "y(); // NOLINT(dbarch-direct-connection)\n"
                                    "z(); // NOLINT(dbarch-prepared-*, other-check)\n"
                                    "w(); // NOLINTX is not a marker\n");
    EXPECT_TRUE(index.suppresses(1, kDirect));
    EXPECT_TRUE(index.suppresses(2, kDirect));
    EXPECT_FALSE(index.suppresses(2, kPrepared));
    EXPECT_TRUE(index.suppresses(3, kPrepared));
    EXPECT_FALSE(index.suppresses(3, kDirect));
    EXPECT_FALSE(index.suppresses(4, kDirect));
    EXPECT_TRUE(index.problems().empty());
}

TEST(Nolint, NextLineOnlyCoversTheNextLine) {
    auto index = NolintIndex::parse("a.cpp",
                                    "// NOLINTNEXTLINE(dbarch-*)\n"
                                    "x();\n"
                                    "y();\n");
    EXPECT_FALSE(index.suppresses(1, kDirect));
    EXPECT_TRUE(index.suppresses(2, kDirect));
    EXPECT_FALSE(index.suppresses(3, kDirect));
}

TEST(Nolint, BeginEndBlocksMatchByTheirLists) {
    auto index = NolintIndex::parse("a.cpp",
                                    "// NOLINTBEGIN(dbarch-direct-connection)\n"  // 1
                                    "x();\n"                                      // 2
                                    "// NOLINTBEGIN\n"                            // 3
                                    "y();\n"                                      // 4
                                    "// NOLINTEND\n"                              // 5
                                    "z();\n"                                      // 6
                                    "// NOLINTEND(dbarch-direct-connection)\n"    // 7
                                    "after();\n");                                // 8
    EXPECT_TRUE(index.suppresses(2, kDirect));
    EXPECT_FALSE(index.suppresses(2, kPrepared));
    EXPECT_TRUE(index.suppresses(4, kPrepared));
    EXPECT_TRUE(index.suppresses(6, kDirect));
    EXPECT_FALSE(index.suppresses(6, kPrepared));
    EXPECT_FALSE(index.suppresses(8, kDirect));
    EXPECT_TRUE(index.problems().empty());
}

TEST(Nolint, UnmatchedBeginAndEndAreReported) {
    auto index = NolintIndex::parse("a.cpp",
                                    "// NOLINTEND(dbarch-direct-connection)\n"
                                    "x();\n"
                                    "  // NOLINTBEGIN(dbarch-*)\n"
                                    "y();\n");
    ASSERT_EQ(index.problems().size(), 2u);
    EXPECT_EQ(index.problems()[0].rule, "dbarch-nolint");
    EXPECT_EQ(index.problems()[0].line, 1u);
    EXPECT_NE(index.problems()[0].message.find("NOLINTEND"), std::string::npos);
    EXPECT_EQ(index.problems()[1].line, 3u);
    EXPECT_EQ(index.problems()[1].column, 6u);
    EXPECT_NE(index.problems()[1].message.find("NOLINTBEGIN"), std::string::npos);
    // An unclosed block still suppresses nothing it should not: clang-tidy ignores it.
    EXPECT_FALSE(index.suppresses(4, kDirect));
}

TEST(Nolint, OtherToolsListsAreNotOurProblem) {
    auto index = NolintIndex::parse("a.cpp", "// NOLINTBEGIN(google-*)\nx();\n");
    EXPECT_TRUE(index.problems().empty());
}

TEST(ApplySuppressions, DropsSuppressedAndScansEveryProjectFile) {
    std::map<std::string, std::string> files{
        {"a.cpp", "x(); // NOLINT(dbarch-direct-connection)\ny();\n"},
        {"clean.hpp", "// NOLINTBEGIN\n"},
    };
    auto outcome = applySuppressions({at("a.cpp", 1, kDirect), at("a.cpp", 2, kDirect), at("a.cpp", 1, kPrepared)},
                                     {"a.cpp", "clean.hpp"}, [&](const std::string& f) -> std::optional<std::string> {
                                         auto it = files.find(f);
                                         if (it == files.end()) return std::nullopt;
                                         return it->second;
                                     });
    EXPECT_EQ(outcome.suppressed, 1u);
    ASSERT_EQ(outcome.kept.size(), 2u);
    EXPECT_EQ(outcome.kept[0].line, 2u);
    EXPECT_EQ(outcome.kept[1].rule, kPrepared);
    ASSERT_EQ(outcome.problems.size(), 1u);
    EXPECT_EQ(outcome.problems[0].file, "clean.hpp");
}

TEST(Dedupe, KeepsTheFirstOfEqualLocations) {
    auto a = at("h.hpp", 3, kDirect);
    a.message = "first";
    auto b = at("h.hpp", 3, kDirect);
    b.message = "second";
    auto kept = dedupeFindings({a, b, at("h.hpp", 3, kPrepared), at("h.hpp", 4, kDirect)});
    ASSERT_EQ(kept.size(), 3u);
    EXPECT_EQ(kept[0].message, "first");
}
