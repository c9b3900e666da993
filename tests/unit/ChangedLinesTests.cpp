#include <gtest/gtest.h>

#include "filters/ChangedLines.hpp"
#include "support/Process.hpp"

using namespace dbarch;

namespace {

using Ranges = std::vector<LineRange>;

Finding at(const std::string& file, unsigned line) {
    Finding f;
    f.file = file;
    f.line = line;
    f.column = 1;
    f.rule = "dbarch-direct-connection";
    return f;
}

std::vector<std::string> kept(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(f.file + ":" + std::to_string(f.line));
    return out;
}

std::string errorOf(const std::string& json) {
    try {
        parseLineFilter(json);
        return "";
    } catch (const InputError& e) {
        return e.what();
    }
}

// As `git diff -U0 --src-prefix=a/ --dst-prefix=b/` prints it.
const char* kDiff =
    "diff --git a/src/a.cpp b/src/a.cpp\n"
    "index 1111111..2222222 100644\n"
    "--- a/src/a.cpp\n"
    "+++ b/src/a.cpp\n"
    "@@ -3 +3 @@ void f() {\n"             // line 3 modified
    "-    old();\n"
    "+    pqxx::connection c{dsn};\n"
    "@@ -10,0 +11,2 @@ void g() {\n"       // two lines added after old line 10
    "+++ b/not/a/header.cpp\n"             // an added line that reads like a file header
    "+--- also content\n"
    "@@ -20,3 +21,0 @@ void h() {\n"       // pure deletion: no new line
    "-a\n"
    "-b\n"
    "-c\n"
    "@@ -30 +28,3 @@\n"
    "-x\n"
    "+y\n"
    "+z\n"
    "+w\n"
    "\\ No newline at end of file\n"
    "diff --git a/src/new.cpp b/src/new.cpp\n"
    "new file mode 100644\n"
    "index 0000000..3333333\n"
    "--- /dev/null\n"
    "+++ b/src/new.cpp\n"
    "@@ -0,0 +1,2 @@\n"
    "+int x;\n"
    "+int y;\n"
    "diff --git a/src/gone.cpp b/src/gone.cpp\n"
    "deleted file mode 100644\n"
    "index 4444444..0000000\n"
    "--- a/src/gone.cpp\n"
    "+++ /dev/null\n"
    "@@ -1,2 +0,0 @@\n"
    "-int x;\n"
    "-int y;\n"
    "diff --git a/src/old name.cpp b/src/new name.cpp\n"
    "similarity index 90%\n"
    "rename from src/old name.cpp\n"
    "rename to src/new name.cpp\n"
    "index 5555555..6666666 100644\n"
    "--- a/src/old name.cpp\t\n"
    "+++ b/src/new name.cpp\t\n"
    "@@ -5 +5 @@\n"
    "-a\n"
    "+b\n"
    "diff --git a/src/moved.cpp b/src/moved2.cpp\n"
    "similarity index 100%\n"
    "rename from src/moved.cpp\n"
    "rename to src/moved2.cpp\n"
    "diff --git \"a/src/caf\\303\\251.cpp\" \"b/src/caf\\303\\251.cpp\"\n"
    "index 7777777..8888888 100644\n"
    "--- \"a/src/caf\\303\\251.cpp\"\n"
    "+++ \"b/src/caf\\303\\251.cpp\"\n"
    "@@ -1 +1 @@\n"
    "-a\n"
    "+b\n";

}  // namespace

TEST(GitDiff, AddedAndModifiedLinesOfTheNewSide) {
    LineFilter filter = parseGitDiff(kDiff);
    EXPECT_FALSE(filter.matchSuffix);
    EXPECT_EQ(filter.files.at("src/a.cpp").ranges, (Ranges{{3, 3}, {11, 12}, {28, 30}}));
    EXPECT_FALSE(filter.files.count("not/a/header.cpp")) << "content lines are never headers";
    EXPECT_EQ(filter.files.at("src/new.cpp").ranges, (Ranges{{1, 2}}));
    EXPECT_FALSE(filter.files.count("src/gone.cpp"));
    EXPECT_FALSE(filter.files.count("/dev/null"));
    EXPECT_EQ(filter.files.at("src/new name.cpp").ranges, (Ranges{{5, 5}}));
    EXPECT_FALSE(filter.files.count("src/old name.cpp"));
    EXPECT_TRUE(filter.files.at("src/moved2.cpp").ranges.empty()) << "a pure rename changes no line";
    EXPECT_EQ(filter.files.at("src/caf\xC3\xA9.cpp").ranges, (Ranges{{1, 1}}));
}

TEST(GitDiff, SelectsOnlyChangedLines) {
    LineFilter filter = parseGitDiff(kDiff);
    EXPECT_TRUE(filter.selects("src/a.cpp", 3));
    EXPECT_FALSE(filter.selects("src/a.cpp", 4));
    EXPECT_TRUE(filter.selects("src/a.cpp", 12));
    EXPECT_FALSE(filter.selects("src/a.cpp", 21)) << "the line after a deletion is unchanged";
    EXPECT_FALSE(filter.selects("src/untouched.cpp", 1));
    EXPECT_FALSE(filter.selects("a.cpp", 3)) << "git paths match exactly";
    EXPECT_FALSE(filter.selects("src/a.cpp", 0));
}

TEST(GitDiff, ContextLinesOfAWiderDiffAreNotSelected) {
    LineFilter filter = parseGitDiff(
        "diff --git a/x.cpp b/x.cpp\n"
        "--- a/x.cpp\n"
        "+++ b/x.cpp\n"
        "@@ -1,5 +1,6 @@\n"
        " one\n"
        " two\n"
        "-three\n"
        "+THREE\n"
        "+three and a half\n"
        " four\n"
        "\n"  // an empty context line some tools write without its space
        "@@ -20,2 +21,2 @@\n"
        " a\n"
        "-b\n"
        "+B\n");
    EXPECT_EQ(filter.files.at("x.cpp").ranges, (Ranges{{3, 4}, {22, 22}}));
}

TEST(GitDiff, EmptyDiffSelectsNothing) {
    EXPECT_TRUE(parseGitDiff("").files.empty());
}

TEST(GitDiff, RealGitOutput) {
    namespace fs = std::filesystem;
    using dbarch::test::run;
    dbarch::test::TempDir dir;
    if (run("git --version").exitCode != 0) GTEST_SKIP() << "git is not installed";
    auto git = [&](const std::string& args) {
        auto r = run("git -c user.name=t -c user.email=t@example.com -c core.quotePath=true " + args, dir.path());
        EXPECT_EQ(r.exitCode, 0) << args << ": " << r.err;
        return r.out;
    };
    dbarch::test::writeFile(dir / "src/a.cpp", "1\n2\n3\n4\n5\n6\n7\n8\n");
    dbarch::test::writeFile(dir / "src/with space.cpp", "a\nb\n");
    dbarch::test::writeFile(dir / "src/gone.cpp", "x\n");
    git("init -q .");
    git("add -A");
    git("commit -q -m base");
    dbarch::test::writeFile(dir / "src/a.cpp", "1\nTWO\n3\n4\n6\n7\n8\nnine\nten\n");  // 2 changed, 5 deleted, 9-10 added
    dbarch::test::writeFile(dir / "src/with space.cpp", "a\nb\nc\n");
    dbarch::test::writeFile(dir / "src/new.cpp", "n\n");
    fs::remove(dir / "src/gone.cpp");
    git("add -A");
    // diff.noprefix would drop the a/ b/ prefixes; the recommended flags put them back.
    std::string diff = git("-c diff.noprefix=true diff -U0 --no-color --no-ext-diff --src-prefix=a/ --dst-prefix=b/ --cached");
    LineFilter filter = parseGitDiff(diff);
    ASSERT_EQ(filter.files.size(), 3u) << diff;
    EXPECT_EQ(filter.files.at("src/a.cpp").ranges, (Ranges{{2, 2}, {8, 9}})) << diff;
    EXPECT_EQ(filter.files.at("src/with space.cpp").ranges, (Ranges{{3, 3}})) << diff;
    EXPECT_EQ(filter.files.at("src/new.cpp").ranges, (Ranges{{1, 1}})) << diff;
}

TEST(LineFilterJson, ClangTidyFormat) {
    LineFilter filter = parseLineFilter(R"([{"name":"file.cpp","lines":[[5,5],[1,3],[4,4]]},{"name":"all.h"},{"name":"./src/x.cpp","lines":[]}])");
    EXPECT_TRUE(filter.matchSuffix);
    EXPECT_EQ(filter.files.at("file.cpp").ranges, (Ranges{{1, 5}})) << "sorted and merged";
    EXPECT_FALSE(filter.files.at("file.cpp").allLines);
    EXPECT_TRUE(filter.files.at("all.h").allLines);
    EXPECT_TRUE(filter.files.at("src/x.cpp").allLines) << "empty lines means every line, as in clang-tidy";
    EXPECT_TRUE(filter.selects("file.cpp", 2));
    EXPECT_FALSE(filter.selects("file.cpp", 6));
    EXPECT_TRUE(filter.selects("src/file.cpp", 2)) << "a name matches as a path suffix";
    EXPECT_FALSE(filter.selects("src/myfile.cpp", 2)) << "only at a '/' boundary";
    EXPECT_TRUE(filter.selects("include/all.h", 999));
    EXPECT_TRUE(filter.selects("include/all.h", 0)) << "a whole-file entry keeps findings without a line";
    EXPECT_FALSE(filter.selects("other.cpp", 1));
}

TEST(LineFilterJson, ErrorsNameTheJsonPointer) {
    EXPECT_EQ(errorOf("[{\"name\": }]").rfind("--line-filter:1:11: invalid JSON: ", 0), 0u) << errorOf("[{\"name\": }]");
    EXPECT_EQ(errorOf(R"({"name":"a"})"),
              "--line-filter: expected an array of {\"name\": ..., \"lines\": [[first, last], ...]}, got an object");
    EXPECT_EQ(errorOf(R"(["a.cpp"])"), "--line-filter: at /0: expected an object, got a string");
    EXPECT_EQ(errorOf(R"([{"lines":[[1,2]]}])"), "--line-filter: at /0: missing required key 'name'");
    EXPECT_EQ(errorOf(R"([{"name":""}])"), "--line-filter: at /0/name: expected a file name, got \"\"");
    EXPECT_EQ(errorOf(R"([{"name":"a","line":[]}])"), "--line-filter: at /0/line: unknown key 'line' (allowed: name, lines)");
    EXPECT_EQ(errorOf(R"([{"name":"a","lines":3}])"), "--line-filter: at /0/lines: expected an array of [first, last], got a number");
    EXPECT_EQ(errorOf(R"([{"name":"a","lines":[[1,2],[3]]}])"), "--line-filter: at /0/lines/1: expected [first, last], got [3]");
    EXPECT_EQ(errorOf(R"([{"name":"a","lines":[[1,"2"]]}])"),
              "--line-filter: at /0/lines/0/1: expected a line number (a positive integer), got a string");
    EXPECT_EQ(errorOf(R"([{"name":"a","lines":[[0,2]]}])"),
              "--line-filter: at /0/lines/0/0: expected a line number (a positive integer), got 0");
    EXPECT_EQ(errorOf(R"([{"name":"a","lines":[[5,2]]}])"), "--line-filter: at /0/lines/0: first line 5 is after last line 2");
    EXPECT_EQ(errorOf("[]"), "");
}

TEST(KeepChangedLines, MapsProjectPathsIntoTheFilterFrame) {
    LineFilter filter = parseGitDiff(
        "diff --git a/services/billing/src/a.cpp b/services/billing/src/a.cpp\n"
        "--- a/services/billing/src/a.cpp\n"
        "+++ b/services/billing/src/a.cpp\n"
        "@@ -10,0 +11,2 @@\n"
        "+x\n"
        "+y\n");
    std::vector<Finding> findings = {at("src/a.cpp", 10), at("src/a.cpp", 11), at("src/a.cpp", 12), at("src/b.cpp", 11)};
    EXPECT_EQ(kept(keepChangedLines(findings, filter, "services/billing/")), (std::vector<std::string>{"src/a.cpp:11", "src/a.cpp:12"}));
    EXPECT_EQ(kept(keepChangedLines(findings, filter, "services/billing")), (std::vector<std::string>{"src/a.cpp:11", "src/a.cpp:12"}));
    EXPECT_TRUE(keepChangedLines(findings, filter, "").empty()) << "without the prefix nothing matches";
}

TEST(KeepChangedLines, AbsoluteLineFilterNames) {
    LineFilter filter = parseLineFilter(R"([{"name":"/src/repo/lib/a.cpp","lines":[[3,3]]}])");
    std::vector<Finding> findings = {at("lib/a.cpp", 3), at("lib/a.cpp", 4)};
    EXPECT_EQ(kept(keepChangedLines(findings, filter, "/src/repo")), (std::vector<std::string>{"lib/a.cpp:3"}));
}
