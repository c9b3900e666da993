#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "util/HugePageHeap.hpp"

using namespace dbarch;

namespace {

// Size in MiB of the largest part of this process's heap that is advised for huge pages
// (VmFlags "hg" in /proc/self/smaps).
size_t advisedHeapMiB() {
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inHeap = false;
    size_t size = 0, largest = 0;
    while (std::getline(smaps, line)) {
        // A mapping starts with "start-end perms ..."; its attribute lines with "Name: value".
        std::string first = line.substr(0, line.find(' '));
        size_t dash = first.find('-');
        if (dash != std::string::npos && first.find_first_not_of("0123456789abcdef-") == std::string::npos) {
            inHeap = line.find("[heap]") != std::string::npos;
            size = (std::stoull(first.substr(dash + 1), nullptr, 16) - std::stoull(first.substr(0, dash), nullptr, 16)) >> 20;
        } else if (inHeap && line.rfind("VmFlags:", 0) == 0 && (line + " ").find(" hg ") != std::string::npos) {
            largest = std::max(largest, size);
        }
    }
    return largest;
}

}  // namespace

// Each case runs in a child process: the advice changes the process's malloc for good.
TEST(HugePageHeap, MainHeapIsAdvisedAndStaysUsable) {
    if (!kernelGivesHugePagesOnRequest()) GTEST_SKIP() << "the kernel's THP mode is not [madvise]";
    EXPECT_EXIT(
        {
            unsetenv("GLIBC_TUNABLES");
            adviseHugePagesForHeap();
            auto* block = static_cast<char*>(std::malloc(size_t{64} << 20));
            if (block == nullptr) std::exit(2);
            std::memset(block, 1, size_t{64} << 20);
            std::free(block);
            std::exit(advisedHeapMiB() >= 200 ? 0 : 3);
        },
        ::testing::ExitedWithCode(0), "");
}

TEST(HugePageHeap, UserMallocTuningIsLeftAlone) {
    EXPECT_EXIT(
        {
            setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", 1);
            adviseHugePagesForHeap();
            std::exit(advisedHeapMiB() == 0 ? 0 : 3);
        },
        ::testing::ExitedWithCode(0), "");
}
