#include <gtest/gtest.h>

#include <thread>

#include "cache/ResultCache.hpp"
#include "support/Process.hpp"

using namespace dbarch;
using dbarch::test::TempDir;
using dbarch::test::writeFile;
namespace fs = std::filesystem;

namespace {

UnitResult resultReading(const std::vector<fs::path>& files) {
    UnitResult r;
    r.file = "src/a.cpp";
    Finding f;
    f.rule = "dbarch-direct-connection";
    f.file = "src/a.cpp";
    f.line = 3;
    f.column = 7;
    f.message = "m";
    f.context = "PQconnectdb(\"\");";
    f.notes.push_back({"src/a.hpp", 1, 2, "expanded from macro 'X'"});
    r.findings.push_back(f);
    r.projectFiles = {"src/a.cpp"};
    for (const auto& p : files) r.inputFiles.push_back(p.string());
    return r;
}

}  // namespace

TEST(ResultCache, HitWhenNothingChangedAndTheResultRoundTrips) {
    TempDir dir;
    writeFile(dir / "a.cpp", "int a;");
    writeFile(dir / "a.hpp", "int h;");
    std::string key = ResultCache::keyOf({"v1", "rules", "cmd"});
    ResultCache(dir / "cache", nullptr).store(key, (dir / "a.cpp").string(), resultReading({dir / "a.cpp", dir / "a.hpp"}));
    ResultCache cache(dir / "cache", nullptr);
    auto hit = cache.load(key);
    ASSERT_TRUE(hit.has_value());
    ASSERT_EQ(hit->findings.size(), 1u);
    EXPECT_EQ(hit->findings[0].context, "PQconnectdb(\"\");");
    EXPECT_EQ(hit->findings[0].notes[0].message, "expanded from macro 'X'");
    EXPECT_EQ(cache.hits(), 1u);
    EXPECT_FALSE(cache.load(ResultCache::keyOf({"v1", "rules", "other command"})).has_value());
}

TEST(ResultCache, AChangedInputInvalidatesButATouchedOneDoesNot) {
    TempDir dir;
    writeFile(dir / "a.cpp", "int a;");
    writeFile(dir / "a.hpp", "int h;");
    std::string key = ResultCache::keyOf({"k"});
    ResultCache(dir / "cache", nullptr).store(key, (dir / "a.cpp").string(), resultReading({dir / "a.cpp", dir / "a.hpp"}));
    // Same content, new mtime: the hash decides, still a hit.
    fs::last_write_time(dir / "a.hpp", fs::last_write_time(dir / "a.hpp") + std::chrono::seconds(5));
    EXPECT_TRUE(ResultCache(dir / "cache", nullptr).load(key).has_value());
    // Same size, other content.
    writeFile(dir / "a.hpp", "int x;");
    EXPECT_FALSE(ResultCache(dir / "cache", nullptr).load(key).has_value());
    // A vanished input.
    writeFile(dir / "a.hpp", "int h;");
    EXPECT_TRUE(ResultCache(dir / "cache", nullptr).load(key).has_value());
    fs::remove(dir / "a.hpp");
    EXPECT_FALSE(ResultCache(dir / "cache", nullptr).load(key).has_value());
}

TEST(ResultCache, ACorruptEntryIsIgnoredAndRewritten) {
    TempDir dir;
    writeFile(dir / "a.cpp", "int a;");
    std::string key = ResultCache::keyOf({"k"});
    ResultCache first(dir / "cache", nullptr);
    first.store(key, (dir / "a.cpp").string(), resultReading({dir / "a.cpp"}));
    fs::path entry;
    for (const auto& e : fs::recursive_directory_iterator(dir / "cache"))
        if (e.is_regular_file() && e.path().extension() == ".json") entry = e.path();
    ASSERT_FALSE(entry.empty());
    writeFile(entry, "{\"format\": 1, \"key\": \"" + key + "\", \"deps\": [tru");
    ResultCache second(dir / "cache", nullptr);
    EXPECT_FALSE(second.load(key).has_value());
    EXPECT_EQ(second.corrupt(), 1u);
    second.store(key, (dir / "a.cpp").string(), resultReading({dir / "a.cpp"}));
    EXPECT_TRUE(ResultCache(dir / "cache", nullptr).load(key).has_value());
}

TEST(ResultCache, ResultsWithErrorsAreNotStored) {
    TempDir dir;
    writeFile(dir / "a.cpp", "int a;");
    auto result = resultReading({dir / "a.cpp"});
    result.errors.push_back({"src/a.cpp", "could not be fully analysed"});
    std::string key = ResultCache::keyOf({"k"});
    ResultCache(dir / "cache", nullptr).store(key, (dir / "a.cpp").string(), result);
    EXPECT_FALSE(ResultCache(dir / "cache", nullptr).load(key).has_value());
}

TEST(ResultCache, OverlayContentIsWhatCounts) {
    TempDir dir;
    writeFile(dir / "a.cpp", "int a;");
    std::string path = (dir / "a.cpp").string();
    ContentOverlay staged{{path, "int staged;"}};
    std::string key = ResultCache::keyOf({"k"});
    ResultCache(dir / "cache", &staged).store(key, path, resultReading({dir / "a.cpp"}));
    EXPECT_TRUE(ResultCache(dir / "cache", &staged).load(key).has_value());
    ContentOverlay other{{path, "int other!!;"}};
    EXPECT_FALSE(ResultCache(dir / "cache", &other).load(key).has_value());
    EXPECT_FALSE(ResultCache(dir / "cache", nullptr).load(key).has_value()) << "the disk content differs from what was analysed";
}

TEST(ResultCache, KnowsWhichUnitsReadAHeader) {
    TempDir dir;
    writeFile(dir / "a.cpp", "");
    writeFile(dir / "b.cpp", "");
    writeFile(dir / "h.hpp", "");
    ResultCache cache(dir / "cache", nullptr);
    cache.store(ResultCache::keyOf({"a"}), (dir / "a.cpp").string(), resultReading({dir / "a.cpp", dir / "h.hpp"}));
    cache.store(ResultCache::keyOf({"b"}), (dir / "b.cpp").string(), resultReading({dir / "b.cpp"}));
    EXPECT_EQ(cache.unitsReading((dir / "h.hpp").string()), std::vector<std::string>{(dir / "a.cpp").string()});
}

TEST(ResultCache, ConcurrentWritersLeaveAValidEntry) {
    TempDir dir;
    writeFile(dir / "a.cpp", "int a;");
    std::string key = ResultCache::keyOf({"k"});
    std::vector<std::thread> writers;
    for (int i = 0; i < 8; ++i)
        writers.emplace_back([&] { ResultCache(dir / "cache", nullptr).store(key, (dir / "a.cpp").string(), resultReading({dir / "a.cpp"})); });
    for (auto& t : writers) t.join();
    EXPECT_TRUE(ResultCache(dir / "cache", nullptr).load(key).has_value());
}

TEST(ResultCache, DefaultLocation) {
    EXPECT_EQ(ResultCache::defaultDirectory("/src/build"), fs::path("/src/build/.dbarch-cache"));
}
