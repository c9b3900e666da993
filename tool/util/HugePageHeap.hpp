#pragma once

namespace dbarch {

// Backs the main thread's heap with transparent huge pages where the kernel offers them only on
// request (THP mode "madvise", the Debian default). Parsing a header-heavy unit touches 100+ MiB
// of freshly allocated AST memory: the benchmark's heavy unit took 19,750 page faults with 4 KiB
// pages and 5,300 with this, about 8 % less time. This is what glibc's own
// `GLIBC_TUNABLES=glibc.malloc.hugetlb=1` does, which a program cannot set for itself once it runs.
//
// Call once, first thing in main, before any thread starts. It reserves address space at the top
// of the heap (untouched pages cost no memory) and does nothing when the kernel has THP always on
// or off, when the user tuned malloc through GLIBC_TUNABLES (glibc.malloc.*: their choice stands;
// `glibc.malloc.hugetlb=0` turns this off), or when the reservation is refused.
void adviseHugePagesForHeap();

// The kernel's THP mode is "madvise": huge pages only where a program asks for them.
bool kernelGivesHugePagesOnRequest();

}  // namespace dbarch
