#include "util/HugePageHeap.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace dbarch {

#if defined(__linux__) && defined(__GLIBC__)

namespace {

constexpr size_t kHugePage = size_t{2} << 20;
// Address space reserved above the heap: a heavy unit's AST plus a shared preamble's fit.
constexpr size_t kReservation = size_t{256} << 20;
// glibc's largest dynamic mmap threshold: below it, blocks come from the (advised) heap rather
// than from a fresh mmap each, as glibc itself settles on after the first large frees.
constexpr int kMmapThreshold = 32 << 20;
constexpr int kDefaultTopPad = 128 << 10;

bool userTunedMalloc() {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    return tunables != nullptr && std::string(tunables).find("glibc.malloc.") != std::string::npos;
}

}  // namespace

void adviseHugePagesForHeap() {
    if (!kernelGivesHugePagesOnRequest() || userTunedMalloc()) return;
    // Grow the heap once by the reservation (the top pad), and keep it: without a trim threshold
    // above it, free() would hand it straight back to the kernel.
    mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(kReservation * 2));
    mallopt(M_TOP_PAD, static_cast<int>(kReservation));
    void* probe = std::malloc(1 << 20);
    mallopt(M_TOP_PAD, kDefaultTopPad);
    if (probe == nullptr) return;  // refused (strict overcommit, address-space limit): plain pages
    auto from = reinterpret_cast<uintptr_t>(probe) & ~(kHugePage - 1);
    auto to = reinterpret_cast<uintptr_t>(sbrk(0));
    if (to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
    std::free(probe);
}

#else

void adviseHugePagesForHeap() {}

#endif

bool kernelGivesHugePagesOnRequest() {
    std::ifstream mode("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string line;
    return std::getline(mode, line) && line.find("[madvise]") != std::string::npos;
}

}  // namespace dbarch
