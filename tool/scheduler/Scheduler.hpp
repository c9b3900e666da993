// Runs the analysis of many units in one process on N threads (-j). Results come back in input
// order, so output never depends on thread timing.
#pragma once

#include <functional>
#include <vector>

#include "findings/Finding.hpp"

namespace dbarch {

// `analyseOne(i)` analyses unit i; it is called from worker threads, at most once per i.
std::vector<UnitResult> runUnits(size_t count, unsigned jobs, const std::function<UnitResult(size_t)>& analyseOne);

// The default -j: the number of cores.
unsigned defaultJobs();

}  // namespace dbarch
