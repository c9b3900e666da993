// Requirements 5 and 8: exhaustion, FIFO fairness, leak detection.
#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "../support/pg_env.hpp"

using namespace dbarch::handler;
using namespace handler_test;
using namespace std::chrono_literals;

TEST(PoolLimits, AcquireTimesOutNamingThePoolState) {
  Pool pool(direct_config("pool-exhaust", 2));
  Session a = get_session(pool);
  Session b = get_session(pool);
  try {
    (void)get_session(pool, 200ms);
    ADD_FAILURE() << "a third session from a pool of two";
  } catch (const AcquireTimeout& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("no connection available after 200 ms"), std::string::npos) << msg;
    EXPECT_NE(msg.find("size=2/2 in_use=2 idle=0 opening=0 waiters=0"), std::string::npos) << msg;
    EXPECT_NE(msg.find("application_name=pool-exhaust"), std::string::npos) << msg;
    EXPECT_NE(msg.find("last connect error: none"), std::string::npos) << msg;
  }
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.acquire_timeouts, 1u);
  EXPECT_EQ(s.in_use, 2u);
  b.release();
  EXPECT_NO_THROW((void)get_session(pool, 200ms));  // a returned connection is served at once
}

TEST(PoolLimits, WaitersShowInTheMessage) {
  Pool pool(direct_config("pool-waiters", 1));
  Session held = get_session(pool);
  std::thread early([&] { EXPECT_THROW((void)get_session(pool, 1s), AcquireTimeout); });
  ASSERT_TRUE(wait_until([&] { return pool.stats().waiters == 1; }));
  try {
    (void)get_session(pool, 100ms);
    ADD_FAILURE() << "acquired from an exhausted pool";
  } catch (const AcquireTimeout& e) {
    EXPECT_NE(std::string(e.what()).find("in_use=1 idle=0 opening=0 waiters=1"), std::string::npos) << e.what();
  }
  early.join();
}

TEST(PoolLimits, WaitersAreServedInArrivalOrder) {
  constexpr int kWaiters = 6;
  Pool pool(direct_config("pool-fifo", 1));
  Session holder = get_session(pool);
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int k = 0; k < kWaiters; ++k) {
    waiters.emplace_back([&, k] {
      Session s = get_session(pool, 30s);
      {
        std::lock_guard lock(mu);
        order.push_back(k);
      }
      s.exec("SELECT 1");
    });
    // The next thread starts only once this one is queued.
    ASSERT_TRUE(wait_until([&] { return pool.stats().waiters == static_cast<std::size_t>(k + 1); }));
  }
  holder.release();
  for (auto& t : waiters) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(pool.stats().acquire_waits, static_cast<std::uint64_t>(kWaiters));
  EXPECT_EQ(pool.stats().created, 1u);
}

TEST(PoolLimits, LeakIsReportedOnceWithTheAcquisitionSite) {
  LogCapture logs;
  PoolConfig c = direct_config("pool-leak", 2);
  c.leak_detection_threshold = 100ms;
  Pool pool(c);
  const unsigned line = __LINE__ + 1;
  Session leaked = get_session(pool);
  const std::string site = std::string("pool_test.cpp:") + std::to_string(line);
  ASSERT_TRUE(wait_until([&] { return logs.count("possible session leak") >= 1; }));
  std::this_thread::sleep_for(600ms);  // several more housekeeping rounds: still one report
  EXPECT_EQ(logs.count("possible session leak"), 1u);
  EXPECT_EQ(logs.count(site), 1u) << "no report names " << site;
  EXPECT_EQ(pool.stats().leaks, 1u);
  for (const auto& l : logs.lines()) {
    if (l.find("possible session leak") != std::string::npos) {
      EXPECT_EQ(l.rfind("warning: ", 0), 0u) << l;
      EXPECT_NE(l.find("LeakIsReportedOnceWithTheAcquisitionSite"), std::string::npos) << l;
    }
  }
  leaked.release();
  { Session quick = get_session(pool); }  // returned in time: no report
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(pool.stats().leaks, 1u);
}
