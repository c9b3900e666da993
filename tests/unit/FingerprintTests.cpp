#include <gtest/gtest.h>

#include <set>

#include "findings/Fingerprint.hpp"
#include "findings/PathFrame.hpp"
#include "findings/Utf8.hpp"

using namespace dbarch;

namespace {

Finding sampleFinding() {
    Finding f;
    f.rule = "dbarch-direct-connection";
    f.file = "src/a.cpp";
    f.line = 12;
    f.column = 5;
    f.function = "app::run";
    f.message = "constructs pqxx::connection";
    f.context = "\tpqxx::connection   c{\"x\"};  ";
    return f;
}

}  // namespace

TEST(NormalizeSourceText, TrimsAndCollapsesWhitespace) {
    EXPECT_EQ(normalizeSourceText("  \tpqxx::connection \t  c{\"x\"};\r\n"), "pqxx::connection c{\"x\"};");
    EXPECT_EQ(normalizeSourceText(" \t "), "");
    EXPECT_EQ(normalizeSourceText("a  b"), normalizeSourceText("a\tb"));
    EXPECT_NE(normalizeSourceText("a b"), normalizeSourceText("ab")) << "whitespace between tokens is kept as one space";
}

TEST(NormalizeSourceText, ReplacesInvalidUtf8) {
    EXPECT_EQ(normalizeSourceText("s = \"caf\xE9\";"), "s = \"caf\xEF\xBF\xBD\";");
    EXPECT_EQ(normalizeSourceText("s = \"caf\xC3\xA9\";"), "s = \"caf\xC3\xA9\";");
}

TEST(FindingKey, IsPinnedSoStoredFingerprintsStayValid) {
    // Computed independently (Python FNV-1a 64 of the '\0'-terminated fields). If this changes,
    // every baseline and every uploaded SARIF/GitLab fingerprint changes: bump the "/v1" instead.
    EXPECT_EQ(findingKey(sampleFinding()), "4fffdd50c45ed9be");
}

TEST(FindingKey, SurvivesLineColumnIndentAndMessageChanges) {
    Finding a = sampleFinding(), b = sampleFinding();
    b.line = 40;
    b.column = 9;
    b.context = "        pqxx::connection c{\"x\"};";
    b.message = "a reworded message";
    b.notes.push_back({"src/a.hpp", 3, 1, "expanded from macro"});
    EXPECT_EQ(findingKey(a), findingKey(b));
}

TEST(FindingKey, ChangesWithRuleFileFunctionOrText) {
    Finding base = sampleFinding();
    std::set<std::string> keys{findingKey(base)};
    Finding f = base;
    f.rule = "dbarch-prepared-statement";
    keys.insert(findingKey(f));
    f = base;
    f.file = "src/b.cpp";
    keys.insert(findingKey(f));
    f = base;
    f.function = "app::other";
    keys.insert(findingKey(f));
    f = base;
    f.context = "pqxx::connection d{\"x\"};";
    keys.insert(findingKey(f));
    EXPECT_EQ(keys.size(), 5u);
    for (const auto& k : keys) EXPECT_EQ(k.find_first_not_of("0123456789abcdef"), std::string::npos) << k;
}

TEST(FindingKey, FieldBoundariesMatter) {
    Finding a = sampleFinding(), b = sampleFinding();
    a.file = "src/ab", a.function = "c";
    b.file = "src/a", b.function = "bc";
    EXPECT_NE(findingKey(a), findingKey(b));
}

TEST(UniqueFingerprints, AppendsOccurrenceIndexToSharedKeys) {
    Finding a = sampleFinding();
    Finding other = sampleFinding();
    other.rule = "dbarch-prepared-statement";
    Finding a2 = a, a3 = a;
    a2.line = 13, a3.line = 14;
    auto prints = uniqueFingerprints({a, other, a2, a3});
    ASSERT_EQ(prints.size(), 4u);
    EXPECT_EQ(prints[0], findingKey(a));
    EXPECT_EQ(prints[1], findingKey(other));
    EXPECT_EQ(prints[2], findingKey(a) + ":2");
    EXPECT_EQ(prints[3], findingKey(a) + ":3");
    EXPECT_EQ(std::set<std::string>(prints.begin(), prints.end()).size(), 4u);
    // Adding a duplicate below leaves the earlier fingerprints as they were.
    EXPECT_EQ(uniqueFingerprints({a})[0], prints[0]);
}

TEST(Utf8, ValidTextIsKeptAndInvalidBytesReplaced) {
    EXPECT_EQ(toValidUtf8("plain"), "plain");
    EXPECT_EQ(toValidUtf8("\xE2\x82\xAC \xF0\x9F\x98\x80"), "\xE2\x82\xAC \xF0\x9F\x98\x80");
    EXPECT_EQ(toValidUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
    EXPECT_EQ(toValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "overlong encodings are invalid";
    EXPECT_EQ(toValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") << "surrogates are invalid";
    EXPECT_EQ(toValidUtf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "truncated sequence";
}

TEST(Utf8, Utf16Length) {
    EXPECT_EQ(utf16Length("abc"), 3u);
    EXPECT_EQ(utf16Length("\xC3\xA9"), 1u);          // é
    EXPECT_EQ(utf16Length("\xE2\x82\xAC"), 1u);      // €
    EXPECT_EQ(utf16Length("\xF0\x9F\x98\x80"), 2u);  // 😀, a surrogate pair
}

TEST(PathFrame, PrefixesProjectRelativePathsOnly) {
    EXPECT_EQ(inFrame("", "src/a.cpp"), "src/a.cpp");
    EXPECT_EQ(inFrame(".", "src/a.cpp"), "src/a.cpp");
    EXPECT_EQ(inFrame("./", "src/a.cpp"), "src/a.cpp");
    EXPECT_EQ(inFrame("services/billing", "src/a.cpp"), "services/billing/src/a.cpp");
    EXPECT_EQ(inFrame("./services/billing/", "src/a.cpp"), "services/billing/src/a.cpp");
    EXPECT_EQ(inFrame("/src/repo/", "src/a.cpp"), "/src/repo/src/a.cpp");
    EXPECT_EQ(inFrame("services/", "/usr/include/pqxx/connection.hxx"), "/usr/include/pqxx/connection.hxx");
}
