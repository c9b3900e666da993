#include "scheduler/Scheduler.hpp"

#include <atomic>
#include <exception>
#include <thread>

namespace dbarch {

unsigned defaultJobs() {
    unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : n;
}

std::vector<UnitResult> runUnits(size_t count, unsigned jobs, const std::function<UnitResult(size_t)>& analyseOne) {
    std::vector<UnitResult> results(count);
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i = next++; i < count; i = next++) {
            try {
                results[i] = analyseOne(i);
            } catch (const std::exception& e) {
                // A crash in one unit must not take the others down, nor pass as clean.
                results[i].errors.push_back({results[i].file, std::string("internal error: ") + e.what()});
            }
        }
    };
    unsigned threads = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(count)));
    // The calling thread is one of the workers: with -j 1 or a single unit no thread is started.
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& thread : pool) thread.join();
    return results;
}

}  // namespace dbarch
