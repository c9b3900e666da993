// The speed machinery must never change a result: the result cache (cold vs warm, invalidation
// by content, corrupt entries) and shared preambles (with vs without).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/Process.hpp"

namespace fs = std::filesystem;
using namespace dbarch::test;

namespace {

ProcessResult runDbarch(const std::string& args, const fs::path& cwd) {
    return run(shellQuote(DBARCH_BINARY) + " " + args, cwd);
}

// Four units sharing a heavy library prefix, two headers, violations in units and a header.
void writeProject(const TempDir& dir) {
    writeFile(dir / ".dbarch.json", R"({"extends": ["builtin:libpq", "builtin:libpqxx"]})");
    writeFile(dir / "compile_flags.txt", "-std=c++20\n-I/usr/include/postgresql\n");
    writeFile(dir / "shared.hpp", "#pragma once\n#include <libpq-fe.h>\ninline PGconn* open_shared() { return PQconnectdb(\"\"); }\n");
    writeFile(dir / "other.hpp", "#pragma once\ninline int other() { return 1; }\n");
    for (int i = 0; i < 4; ++i) {
        std::string n = std::to_string(i);
        writeFile(dir / ("u" + n + ".cpp"),
                  "#include <pqxx/pqxx>\n#include <memory>\n#include <vector>\n#include \"" + std::string(i < 2 ? "shared" : "other") +
                      ".hpp\"\n"
                      "void f" + n + "(pqxx::connection& c) { pqxx::work w(c); }\n" +
                      (i == 1 ? "auto g() { return std::make_unique<pqxx::connection>(\"\"); }\n" : "") +
                      (i == 3 ? "void p(pqxx::connection& c) { c.prepare(\"s\", \"select 1\"); }\n" : ""));
    }
}

std::string violations(const ProcessResult& r) {
    return nlohmann::json::parse(r.out)["violations"].dump();
}

// A project whose library headers live in lib/ (a system include directory) and whose unit.cpp
// has one violation.
void writeLibraryProject(const TempDir& dir, const std::string& header, const std::string& headerText,
                         const std::string& unitText) {
    writeFile(dir / ".dbarch.json", R"({"extends": ["builtin:libpq"]})");
    writeFile(dir / "compile_flags.txt", "-std=c++20\n-I/usr/include/postgresql\n-isystem\nlib\n");
    writeFile(dir / "lib" / header, headerText);
    writeFile(dir / "unit.cpp", "#include <" + header + ">\n#include <libpq-fe.h>\n" + unitText +
                                    "PGconn* open() { return PQconnectdb(\"\"); }\n");
}

// unit.cpp was analysed on its first parse, though the library holds a body that does not compile:
// only --full-parse, which parses every body, fails on it.
void expectAnalysedWithoutTheBrokenBody(const TempDir& dir) {
    auto r = runDbarch("check --no-cache --format json --stats unit.cpp", dir.path());
    ASSERT_EQ(r.exitCode, 1) << r.err << r.out;  // not 3: the unit was analysed
    EXPECT_NE(r.out.find("\"file\": \"unit.cpp\""), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("parsed again with every library body: 0 units"), std::string::npos) << r.err;
    auto full = runDbarch("check --no-cache --full-parse --format json unit.cpp", dir.path());
    EXPECT_EQ(full.exitCode, 3) << full.err << full.out;
}

}  // namespace

TEST(CliCache, WarmRunGivesTheSameReportAndParsesNothing) {
    TempDir dir;
    writeProject(dir);
    auto cold = runDbarch("check --format json --stats", dir.path());
    ASSERT_EQ(cold.exitCode, 1) << cold.err;
    EXPECT_NE(cold.err.find("0 from the cache, 4 parsed"), std::string::npos) << cold.err;
    EXPECT_TRUE(fs::is_directory(dir / ".dbarch-cache")) << "the cache lives beside compile_flags.txt";
    auto warm = runDbarch("check --format json --stats", dir.path());
    EXPECT_EQ(warm.exitCode, 1);
    EXPECT_EQ(warm.out, cold.out) << "a warm run must print exactly what the cold one did";
    EXPECT_NE(warm.err.find("4 from the cache, 0 parsed"), std::string::npos) << warm.err;
}

TEST(CliCache, AChangedHeaderReparsesOnlyTheUnitsThatReadIt) {
    TempDir dir;
    writeProject(dir);
    ASSERT_EQ(runDbarch("check --format json", dir.path()).exitCode, 1);
    writeFile(dir / "other.hpp", "#pragma once\n#include <libpq-fe.h>\ninline PGconn* other() { return PQconnectdb(\"\"); }\n");
    auto after = runDbarch("check --format json --stats", dir.path());
    EXPECT_NE(after.err.find("2 from the cache, 2 parsed"), std::string::npos) << after.err;
    EXPECT_NE(after.out.find("\"file\": \"other.hpp\""), std::string::npos) << "the new violation is found";
    auto fresh = runDbarch("check --format json --no-cache", dir.path());
    EXPECT_EQ(violations(after), violations(fresh));
}

TEST(CliCache, TouchingWithoutChangingKeepsTheCache) {
    TempDir dir;
    writeProject(dir);
    ASSERT_EQ(runDbarch("check", dir.path()).exitCode, 1);
    fs::last_write_time(dir / "shared.hpp", fs::last_write_time(dir / "shared.hpp") + std::chrono::seconds(3));
    auto after = runDbarch("check --stats", dir.path());
    EXPECT_NE(after.err.find("4 from the cache, 0 parsed"), std::string::npos) << after.err;
}

TEST(CliCache, CorruptEntriesAreIgnoredAndRewritten) {
    TempDir dir;
    writeProject(dir);
    auto cold = runDbarch("check --format json", dir.path());
    size_t corrupted = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir / ".dbarch-cache"))
        if (e.is_regular_file() && e.path().extension() == ".json") writeFile(e.path(), "{ not json"), ++corrupted;
    ASSERT_EQ(corrupted, 4u);
    auto again = runDbarch("check --format json --stats", dir.path());
    EXPECT_EQ(again.out, cold.out);
    EXPECT_NE(again.err.find("0 from the cache, 4 parsed"), std::string::npos) << again.err;
    auto warm = runDbarch("check --format json --stats", dir.path());
    EXPECT_NE(warm.err.find("4 from the cache"), std::string::npos) << "rewritten entries are used again: " << warm.err;
}

TEST(CliCache, NoCacheNeitherReadsNorWrites) {
    TempDir dir;
    writeProject(dir);
    auto r = runDbarch("check --no-cache --stats", dir.path());
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_FALSE(fs::exists(dir / ".dbarch-cache"));
    EXPECT_NE(r.err.find("cache off"), std::string::npos) << r.err;
    auto elsewhere = runDbarch("check --cache-dir elsewhere --stats", dir.path());
    EXPECT_TRUE(fs::is_directory(dir / "elsewhere"));
}

TEST(CliPreamble, SharedPreamblesChangeNothingButTheSpeed) {
    TempDir dir;
    writeProject(dir);
    auto with = runDbarch("check --no-cache --format json --stats -j 2", dir.path());
    auto without = runDbarch("check --no-cache --no-shared-preamble --format json -j 2", dir.path());
    EXPECT_EQ(with.exitCode, 1);
    EXPECT_EQ(with.out, without.out);
    EXPECT_NE(with.err.find("shared preambles: 1 built"), std::string::npos) << with.err;
    EXPECT_NE(with.err.find("4 units parsed on one"), std::string::npos) << with.err;
    // The library-mediated construction (make_unique) and the prepared statement are found on it.
    EXPECT_NE(with.out.find("\"line\": 6"), std::string::npos);
    EXPECT_NE(with.out.find("dbarch-prepared-statement"), std::string::npos);
}

// A preamble is shared by units whose include blocks differ in standard headers (they are parsed
// after it instead of before), never by a unit that includes something else before its headers:
// cfg.h decides what api.h's macro means, so a.cpp must not be parsed on a preamble of api.h.
TEST(CliPreamble, UnitsShareThePreambleOfTheHeadersTheyHaveInCommon) {
    TempDir dir;
    writeFile(dir / ".dbarch.json", R"({"extends": ["builtin:libpq"]})");
    writeFile(dir / "compile_flags.txt", "-std=c++20\n-I/usr/include/postgresql\n-isystem\nlib\n");
    writeFile(dir / "lib" / "cfg.h", "#pragma once\n#define LIB_WANTS_CONNECTIONS 1\n");
    writeFile(dir / "lib" / "api.h",
              "#pragma once\n#include <libpq-fe.h>\n#ifdef LIB_WANTS_CONNECTIONS\n#define OPEN_DB() PQconnectdb(\"\")\n"
              "#else\n#define OPEN_DB() nullptr\n#endif\n");
    const std::string body = "PGconn* open_db() { return OPEN_DB(); }\n";
    writeFile(dir / "a.cpp", "#include <cfg.h>\n#include <api.h>\n" + body);
    writeFile(dir / "b.cpp", "#include <api.h>\n" + body);
    writeFile(dir / "c.cpp", "#include <string>\n#include <api.h>\n" + body);
    writeFile(dir / "d.cpp", "#include <vector>\n#include <string>\n#include <api.h>\n" + body);
    writeFile(dir / "e.cpp", "#include <api.h>\n#include <vector>\n" + body);
    auto with = runDbarch("check --no-cache --format json --stats -j 2", dir.path());
    auto without = runDbarch("check --no-cache --no-shared-preamble --format json -j 2", dir.path());
    ASSERT_EQ(with.exitCode, 1) << with.err;
    EXPECT_EQ(with.out, without.out);
    auto found = nlohmann::json::parse(with.out)["violations"];
    ASSERT_EQ(found.size(), 1u) << with.out;
    EXPECT_EQ(found[0]["file"], "a.cpp");
    // b, c, d and e (a block of exactly the same lines would only have covered b and e).
    EXPECT_NE(with.err.find("4 units parsed on one"), std::string::npos) << with.err;
}

// A preamble whose headers begin with another preamble's is built on it (a chained PCH). The
// construction through make_unique needs a body from the base (memory) in units parsed on the
// chained one (memory, then pqxx), and the prepared statement a declaration from the chained one.
TEST(CliPreamble, APreambleIsBuiltOnThePreambleItsHeadersBeginWith) {
    TempDir dir;
    writeFile(dir / ".dbarch.json", R"({"extends": ["builtin:libpq", "builtin:libpqxx"]})");
    writeFile(dir / "compile_flags.txt", "-std=c++20\n-I/usr/include/postgresql\n");
    writeFile(dir / "own.hpp", "#pragma once\nstruct own { int n = 0; };\n");
    for (std::string unit : {"a", "b"})
        writeFile(dir / (unit + ".cpp"), "#include <memory>\n#include \"own.hpp\"\n"
                                         "auto make_" + unit + "() { return std::make_unique<own>(); }\n");
    for (std::string unit : {"c", "d", "e"})
        writeFile(dir / (unit + ".cpp"), "#include <memory>\n#include <pqxx/pqxx>\n"
                                         "auto open_" + unit + "() { return std::make_unique<pqxx::connection>(\"\"); }\n"
                                         "void prepare_" + unit + "(pqxx::connection& c) { c.prepare(\"s\", \"select 1\"); }\n");
    auto with = runDbarch("check --no-cache --format json --stats -j 2", dir.path());
    auto without = runDbarch("check --no-cache --no-shared-preamble --format json -j 2", dir.path());
    ASSERT_EQ(with.exitCode, 1) << with.err;
    EXPECT_EQ(with.out, without.out);
    EXPECT_NE(with.err.find("shared preambles: 2 built (1 on another)"), std::string::npos) << with.err;
    EXPECT_NE(with.err.find("5 units parsed on one"), std::string::npos) << with.err;
    auto found = nlohmann::json::parse(with.out)["violations"];
    EXPECT_EQ(found.size(), 6u) << with.out;  // c, d and e: a connection and a prepared statement each
    // The preambles live for one run only; what the cache records are the headers they read.
    auto cold = runDbarch("check --format json --stats -j 2", dir.path());
    auto warm = runDbarch("check --format json --stats -j 2", dir.path());
    EXPECT_EQ(warm.out, with.out);
    EXPECT_NE(warm.err.find("5 from the cache, 0 parsed"), std::string::npos) << warm.err;
}

// Library bodies left out for speed never change a result (analysis/BodySkipping.hpp): a unit
// that needs one is parsed again with all of them, and --stats says how many were.
TEST(CliBodySkipping, UnitsThatNeedLibraryBodiesAreParsedAgainWithThem) {
    TempDir dir;
    writeFile(dir / ".dbarch.json", R"({"extends": ["builtin:libpq", "builtin:libpqxx"]})");
    writeFile(dir / "compile_flags.txt", "-std=c++20\n-I/usr/include/postgresql\n");
    // std::sort and std::vector are constexpr only since C++20: their bodies are dropped, and
    // this constant needs them.
    writeFile(dir / "constant.cpp",
              "#include <algorithm>\n#include <vector>\n#include <libpq-fe.h>\n"
              "constexpr int first() { std::vector<int> v{3, 1, 2}; std::sort(v.begin(), v.end()); return v[0]; }\n"
              "static_assert(first() == 1);\n"
              "PGconn* open() { return PQconnectdb(\"\"); }\n");
    // The connections are default-constructed deep inside std::list's skipped bodies.
    writeFile(dir / "pool.cpp", "#include <list>\n#include <pqxx/pqxx>\nvoid pool() { std::list<pqxx::connection> idle(2); }\n");
    writeFile(dir / "plain.cpp",
              "#include <string>\n#include <vector>\n#include <memory>\n#include <pqxx/pqxx>\n"
              "size_t count(const std::vector<std::string>& v) { return v.size(); }\n"
              "void keep(std::unique_ptr<pqxx::connection> c) { auto moved = std::move(c); moved.reset(); }\n");
    auto skipping = runDbarch("check --no-cache --no-shared-preamble --format json --stats -j 2", dir.path());
    auto full = runDbarch("check --no-cache --full-parse --format json -j 2", dir.path());
    ASSERT_EQ(skipping.exitCode, 1) << skipping.err;  // not 3: every unit was analysed
    EXPECT_EQ(violations(skipping), violations(full));
    EXPECT_NE(skipping.out.find("\"file\": \"constant.cpp\""), std::string::npos) << skipping.out;
    EXPECT_NE(skipping.out.find("\"file\": \"pool.cpp\""), std::string::npos) << skipping.out;
    // plain.cpp needs no library body: moving and resetting an owner constructs nothing.
    EXPECT_NE(skipping.err.find("parsed again with every library body: 2 units"), std::string::npos) << skipping.err;
}

// Library functions that are constexpr only since C++20 (libstdc++'s _GLIBCXX20_CONSTEXPR) are
// not parsed at all: bodies that do not compile prove it. Every shape libstdc++ uses is here: a
// free function template, a function declared before its definition, members in and out of their
// class template, a constructor after the class's first constexpr one, and a definition parsed
// on top of a shared preamble that holds its declaration.
TEST(CliBodySkipping, Cxx20LibraryConstexprBodiesAreNeverParsed) {
    TempDir dir;
    writeFile(dir / ".dbarch.json", R"({"extends": ["builtin:libpq"]})");
    writeFile(dir / "compile_flags.txt", "-std=c++20\n-I/usr/include/postgresql\n-isystem\nlib\n");
    const std::string broken = "{ return not_declared_anywhere + 1; }\n";
    writeFile(dir / "lib" / "declared.h",
              "#pragma once\n#ifndef _GLIBCXX20_CONSTEXPR\n#define _GLIBCXX20_CONSTEXPR constexpr\n#endif\n"
              "namespace lib {\n"
              "template <typename T> _GLIBCXX20_CONSTEXPR int free_template(T)" + broken +
              "_GLIBCXX20_CONSTEXPR int declared_first(int);\n"
              "template <typename T> struct box {\n"
              "    constexpr box() {}\n"
              "    _GLIBCXX20_CONSTEXPR box(int)" + broken +
              "    _GLIBCXX20_CONSTEXPR int member() const" + broken +
              "    _GLIBCXX20_CONSTEXPR int out_of_line() const;\n"
              "    constexpr int plain() const { return 1; }\n"
              "};\n}\n");
    writeFile(dir / "lib" / "defined.h",
              "#pragma once\n#include <declared.h>\nnamespace lib {\n"
              "template <typename T> _GLIBCXX20_CONSTEXPR int box<T>::out_of_line() const" + broken +
              "_GLIBCXX20_CONSTEXPR int declared_first(int)" + broken + "}\n");
    writeFile(dir / "project.hpp", "#pragma once\n#include <libpq-fe.h>\n");
    for (std::string unit : {"a", "b"})
        writeFile(dir / (unit + ".cpp"),
                  "#include <declared.h>\n#include \"project.hpp\"\n#include <defined.h>\n"
                  "static_assert(lib::box<int>{}.plain() == 1);  // a constexpr body that stays\n"
                  "PGconn* open_" + unit + "() { return PQconnectdb(\"\"); }\n");
    for (const char* preamble : {"", " --no-shared-preamble"}) {
        auto r = runDbarch(std::string("check --no-cache --format json --stats -j 2") + preamble, dir.path());
        ASSERT_EQ(r.exitCode, 1) << r.err << r.out;  // not 3: both units were analysed
        EXPECT_NE(r.out.find("\"file\": \"a.cpp\""), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("\"file\": \"b.cpp\""), std::string::npos) << r.out;
        EXPECT_NE(r.err.find("parsed again with every library body: 0 units"), std::string::npos) << r.err;
        if (*preamble == '\0') EXPECT_NE(r.err.find("2 units parsed on one"), std::string::npos) << r.err;
    }
}

// Library templates spelled constexpr keep their bodies as tokens until a unit first uses one
// (analysis/LateParsing.hpp). A body that does not compile proves the unused ones are never
// parsed. The static_asserts prove the used ones are parsed right where they are needed, and as at
// the end of the unit: from a nested template argument list (`>` in the body), from a class
// template's member (a generic lambda in the body must not take that template's depth), from a
// function whose local hides a global the body uses, and a constructor with member initializers.
// A wrong value fails its static_assert, and the unit is parsed again with every body.
TEST(CliBodySkipping, ConstexprLibraryTemplatesAreParsedWhenFirstUsed) {
    TempDir dir;
    writeLibraryProject(dir, "delayed.h",
                        "#pragma once\ninline constexpr int global_scale = 10;\nnamespace lib {\n"
                        "template <typename T> constexpr int never_used(T) { return not_declared_anywhere + 1; }\n"
                        "template <typename T> constexpr T biggest(T a, T b) { if (a > b) return a; return b > a ? b : a; }\n"
                        "template <typename T> constexpr T scaled(T v) { return v * global_scale; }\n"
                        "template <typename T> constexpr T via_lambda(T v) { auto twice = [](auto x) { return x * 2; }; return twice(v); }\n"
                        "struct seven_t {\n"
                        "    template <typename T> constexpr operator T() const { return 3 > 2 ? 7 : 0; }\n"
                        "};\n"
                        "inline constexpr seven_t seven{};\n"
                        "template <typename T> struct pair_like {\n"
                        "    T a, b;\n"
                        "    constexpr pair_like(T x) : a{x}, b(x + 1) {}\n"
                        "    constexpr T sum() const { return a + b; }\n"
                        "};\n}\n",
                        "template <int N> struct size { static constexpr int value = N; };\n"
                        "static_assert(size<lib::biggest(2, 3)>::value == 3);\n"
                        "static_assert(size<size<lib::seven>::value>::value == 7);\n"
                        "static_assert(lib::pair_like<int>{1}.sum() == 3);\n"
                        "template <typename U> struct holder { static constexpr int n = lib::via_lambda(21); };\n"
                        "static_assert(holder<int>::n == 42);\n"
                        "int local_scale() {\n"
                        "    constexpr int global_scale = 1;\n"
                        "    constexpr int scaled = lib::scaled(2);\n"
                        "    static_assert(scaled == 20);\n"
                        "    return global_scale;\n"
                        "}\n");
    expectAnalysedWithoutTheBrokenBody(dir);
}

// Library functions spelled constexpr that are not templates (<chrono>'s calendar types,
// numeric_limits) keep their bodies as tokens until a unit first uses one (BodySkipping.hpp): a
// body that does not compile proves the unused ones are never parsed, and the static_asserts that
// the used ones are parsed before their constant is evaluated: a function used before its
// definition, two that call each other, a constructor with member initializers, a hidden friend,
// a member defined outside its class and one whose body names a member declared after it.
TEST(CliBodySkipping, ConstexprLibraryFunctionsAreParsedWhenFirstUsed) {
    TempDir dir;
    writeLibraryProject(dir, "calendar.h",
                        "#pragma once\nnamespace lib {\n"
                        "constexpr int never_used(int) { return not_declared_anywhere + 1; }\n"
                        "constexpr int twice(int);\n"
                        "inline int early_use = twice(1);\n"
                        "constexpr int twice(int x) { return 2 * x; }\n"
                        "constexpr int even(int n);\n"
                        "constexpr int odd(int n) { return n == 0 ? 0 : even(n - 1); }\n"
                        "constexpr int even(int n) { return n == 0 ? 1 : odd(n - 1); }\n"
                        "struct day {\n"
                        "    unsigned v;\n"
                        "    constexpr explicit day(unsigned d) : v(d) {}\n"
                        "    constexpr bool ok() const { return v >= 1 && v <= 31; }\n"
                        "    constexpr int next() const;\n"
                        "    constexpr int limit_of() const { return limit; }\n"
                        "    static constexpr int limit = 31;\n"
                        "    friend constexpr bool operator==(day a, day b) { return a.v == b.v; }\n"
                        "};\n"
                        "constexpr int day::next() const { return int(v) + 1; }\n"
                        "}\n",
                        "static_assert(lib::twice(3) == 6);\n"
                        "static_assert(lib::even(4) == 1 && lib::odd(3) == 1);\n"
                        "static_assert(lib::day(3).ok() && lib::day(4) == lib::day(4));\n"
                        "static_assert(lib::day(5).next() == 6 && lib::day(1).limit_of() == 31);\n");
    expectAnalysedWithoutTheBrokenBody(dir);
}

// A library function definition whose body is skipped does not make Sema complete its return and
// by-value parameter types (BodySkipping.hpp): a class template that does not compile once
// instantiated proves it, in a definition at namespace scope, a member defined outside its class
// and a function template with a concrete return type. A call still completes what it returns,
// and the member, marked invalid and thereby public for that moment, is private again. A hidden
// friend is left alone: an invalid friend declaration would open its class's private members.
TEST(CliBodySkipping, SkippedLibraryDefinitionsDoNotCompleteTheirTypes) {
    TempDir dir;
    writeLibraryProject(dir, "box.h",
                        "#pragma once\nnamespace lib {\n"
                        "template <typename T> struct Box { static_assert(sizeof(T) == 0, \"Box instantiated\"); };\n"
                        "template <typename T> struct Fine { T value; };\n"
                        "inline Box<int> make_box() { return {}; }\n"
                        "inline void take_box(Box<long>) {}\n"
                        "class Holder {\n"
                        "    Box<short> hidden() const;\n"
                        "    explicit Holder(int) {}\n"
                        "  public:\n"
                        "    static Box<unsigned> make();\n"
                        "    friend int peek(Holder) { return 0; }\n"
                        "};\n"
                        "inline Box<short> Holder::hidden() const { return {}; }\n"
                        "inline Box<unsigned> Holder::make() { return {}; }\n"
                        "template <typename T> Box<char> convert(T) { return {}; }\n"
                        "inline Fine<int> fine() { return {1}; }\n"
                        "}\n",
                        "int use() { return lib::fine().value; }\n");
    expectAnalysedWithoutTheBrokenBody(dir);

    writeFile(dir / "private.cpp", "#include <box.h>\nvoid peek(const lib::Holder& h) { h.hidden(); }\n");
    auto r = runDbarch("check --no-cache private.cpp", dir.path());
    EXPECT_EQ(r.exitCode, 3) << r.err << r.out;
    EXPECT_NE(r.out.find("'hidden' is a private member of 'lib::Holder'"), std::string::npos) << r.out;
    writeFile(dir / "construct.cpp", "#include <box.h>\nlib::Holder make() { return lib::Holder(1); }\n");
    r = runDbarch("check --no-cache construct.cpp", dir.path());
    EXPECT_EQ(r.exitCode, 3) << r.err << r.out;
    EXPECT_NE(r.out.find("calling a private constructor of class 'lib::Holder'"), std::string::npos) << r.out;
}

// -o onto something that is not a regular file (a FIFO here; /dev/null in practice) writes into
// it and never replaces it: an atomic rename over /dev/null, as root, destroys the device.
TEST(CliOutput, NonRegularTargetIsWrittenIntoNeverReplaced) {
    TempDir dir;
    writeProject(dir);
    std::string fifo = (dir / "report.fifo").string();
    ASSERT_EQ(run("mkfifo " + shellQuote(fifo)).exitCode, 0);
    auto r = run("(cat " + shellQuote(fifo) + " > copy.json &) ; " + shellQuote(DBARCH_BINARY) +
                     " check --no-cache --format json -o " + shellQuote(fifo) + "; status=$?; sleep 0.2; exit $status",
                 dir.path());
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_TRUE(fs::is_fifo(fifo)) << "the FIFO was replaced by a regular file";
    EXPECT_FALSE(fs::exists(fifo + ".dbarch-tmp"));
    EXPECT_NE(readFile(dir / "copy.json").find("\"violations\""), std::string::npos);
}
