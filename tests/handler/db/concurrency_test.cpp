// Requirement 1: many threads through a transaction-mode PgBouncer, with a negative control.
// Requirement 2: 500 concurrent tasks against max_connections=40.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <memory>
#include <mutex>
#include <thread>

#include "../support/pg_env.hpp"

using namespace dbarch::handler;
using namespace handler_test;

namespace {

constexpr int kThreads = 8;
constexpr int kQueries = 300;

// Three statement shapes with different parameter counts; each answer identifies its question.
struct Shape {
  const char* sql;
  int params;
};
constexpr Shape kShapes[] = {
    {"SELECT $1::text", 1},
    {"SELECT $1::text || '/' || $2::text", 2},
    {"SELECT $1::text || '/' || $2::text || '/' || $3::text", 3},
};

std::string tag(int thread, int i) { return "t" + std::to_string(thread) + "q" + std::to_string(i); }

// The parameters of shape `shape` for question `t`, and the one right answer.
std::string param(const std::string& t, int k) { return k == 0 ? t : t + "#" + std::to_string(k); }
std::string answer(int shape, const std::string& t) {
  std::string out = t;
  for (int k = 1; k <= shape; ++k) out += "/" + param(t, k);
  return out;
}

}  // namespace

TEST(Concurrency, ManyThreadsThroughTransactionPoolerGetTheirOwnResults) {
  RawConn admin(env().direct_dsn());
  admin.exec("DROP TABLE IF EXISTS conc_rows");
  admin.exec("CREATE TABLE conc_rows (thread int, i int, tag text, PRIMARY KEY (thread, i))");

  Pool pool(bouncer_config("conc-handler", kThreads));
  std::atomic<int> errors{0}, foreign{0}, done{0};
  std::mutex mu;
  std::string first_error;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kQueries; ++i) {
        const std::string me = tag(t, i);
        const int shape = (t + i) % 4;
        try {
          Session s = get_session(pool);
          if (shape == 3) {  // a short transaction with a write and a read back
            Transaction tx = s.transaction({.statement_timeout = std::chrono::seconds(5)});
            tx.exec("INSERT INTO conc_rows VALUES ($1, $2, $3)", t, i, me);
            const auto got = tx.exec("SELECT tag FROM conc_rows WHERE thread = $1 AND i = $2", t, i).value<std::string>();
            tx.commit();
            if (got != me) ++foreign;
          } else {
            const std::string a = param(me, 1), b = param(me, 2);
            Result r = shape == 0   ? s.exec(kShapes[0].sql, me)
                       : shape == 1 ? s.exec(kShapes[1].sql, me, a)
                                    : s.exec(kShapes[2].sql, me, a, b);
            if (r.value<std::string>() != answer(shape, me)) ++foreign;
          }
          ++done;
        } catch (const Error& e) {
          ++errors;
          std::lock_guard lock(mu);
          if (first_error.empty()) first_error = e.what();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0) << first_error;
  EXPECT_EQ(foreign.load(), 0);
  EXPECT_EQ(done.load(), kThreads * kQueries);
  EXPECT_EQ(admin.scalar("SELECT count(*) FROM conc_rows"), std::to_string(kThreads * kQueries / 4));

  // Negative control, same PgBouncer, same load: unnamed prepared statements (PQprepare +
  // PQexecPrepared) are split across server connections: errors or someone else's answers.
  std::atomic<int> raw_errors{0}, raw_foreign{0}, raw_ok{0};
  std::string first_raw_error;
  auto raw_error = [&](PGconn* conn) {
    ++raw_errors;
    std::lock_guard lock(mu);
    if (first_raw_error.empty()) first_raw_error = PQerrorMessage(conn);
  };
  std::vector<std::thread> raw;
  for (int t = 0; t < kThreads; ++t) {
    raw.emplace_back([&, t] {
      RawConn c(env().bouncer_dsn());
      if (!c.ok()) {
        raw_errors += kQueries;
        return;
      }
      for (int i = 0; i < kQueries; ++i) {
        const int shape = (t + i) % 3;
        const std::string me = tag(t, i), a = param(me, 1), b = param(me, 2);
        const char* values[] = {me.c_str(), a.c_str(), b.c_str()};
        PGresult* p = PQprepare(c.get(), "", kShapes[shape].sql, kShapes[shape].params, nullptr);
        const bool prepared = PQresultStatus(p) == PGRES_COMMAND_OK;
        PQclear(p);
        if (!prepared) {
          raw_error(c.get());
          continue;
        }
        PGresult* r = PQexecPrepared(c.get(), "", kShapes[shape].params, values, nullptr, nullptr, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
          raw_error(c.get());
        } else if (PQgetvalue(r, 0, 0) != answer(shape, me)) {
          ++raw_foreign;
        } else {
          ++raw_ok;
        }
        PQclear(r);
      }
    });
  }
  for (auto& th : raw) th.join();
  RecordProperty("raw_prepare_errors", raw_errors.load());
  RecordProperty("raw_prepare_foreign", raw_foreign.load());
  std::printf("negative control: %d errors, %d foreign results, %d correct of %d; first error: %s\n",
              raw_errors.load(), raw_foreign.load(), raw_ok.load(), kThreads * kQueries, first_raw_error.c_str());
  EXPECT_GT(raw_errors.load() + raw_foreign.load(), 0)
      << "PQprepare/PQexecPrepared through a transaction pooler unexpectedly worked: the negative control "
         "did not demonstrate the hazard";
  admin.exec("DROP TABLE conc_rows");
}

TEST(Concurrency, FiveHundredTasksAgainstFortyConnections) {
  constexpr int kTasks = 500;
  // Direct connect-per-task: the server runs out of connection slots.
  {
    std::atomic<int> too_many{0}, other_failures{0}, ok{0};
    std::barrier start(kTasks);
    std::vector<std::thread> tasks;
    for (int k = 0; k < kTasks; ++k) {
      tasks.emplace_back([&] {
        start.arrive_and_wait();
        RawConn c(env().direct_dsn("conc-raw"));
        if (!c.ok()) {
          (c.error().find("too many clients") != std::string::npos ? too_many : other_failures)++;
          return;
        }
        try {
          c.exec("SELECT pg_sleep(0.3)");
          ++ok;
        } catch (const std::exception&) {
          ++other_failures;
        }
      });
    }
    for (auto& t : tasks) t.join();
    std::printf("connect-per-task: %d ok, %d 'too many clients', %d other failures\n", ok.load(), too_many.load(),
                other_failures.load());
    EXPECT_GT(too_many.load(), 0);
    EXPECT_LT(ok.load(), kTasks);
  }

  // Through the handler: a pool of 20 serves all 500, and the server never sees more than 20.
  PoolConfig c = direct_config("conc-pool", 20);
  c.acquire_timeout = std::chrono::seconds(60);
  Pool pool(c);
  std::atomic<bool> finished{false};
  std::atomic<int> max_seen{0}, samples{0};
  std::thread sampler([&] {
    RawConn admin(env().direct_dsn("conc-sampler"));
    for (int i = 0; i < 6000 && !finished.load(); ++i) {  // bounded: at most ~60 s
      const int n = std::stoi(admin.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'conc-pool'"));
      int prev = max_seen.load();
      while (n > prev && !max_seen.compare_exchange_weak(prev, n)) {
      }
      ++samples;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::atomic<int> ok{0}, wrong{0}, failed{0};
  std::mutex mu;
  std::string first_error;
  std::barrier start(kTasks);
  std::vector<std::thread> tasks;
  for (int k = 0; k < kTasks; ++k) {
    tasks.emplace_back([&, k] {
      start.arrive_and_wait();
      try {
        Session s = get_session(pool);
        const int got = s.exec("SELECT $1::int FROM pg_sleep(0.02)", k).value<int>();
        (got == k ? ok : wrong)++;
      } catch (const Error& e) {
        ++failed;
        std::lock_guard lock(mu);
        if (first_error.empty()) first_error = e.what();
      }
    });
  }
  for (auto& t : tasks) t.join();
  finished = true;
  sampler.join();
  const PoolStats s = pool.stats();
  std::printf("handler pool: %d ok, %d failed, max %d server connections seen in %d samples, %llu created\n",
              ok.load(), failed.load(), max_seen.load(), samples.load(),
              static_cast<unsigned long long>(s.created));
  EXPECT_EQ(ok.load(), kTasks) << first_error;
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(failed.load(), 0) << first_error;
  EXPECT_LE(max_seen.load(), 20);
  EXPECT_GT(max_seen.load(), 0);
  EXPECT_LE(s.created, 20u);
  EXPECT_EQ(s.acquired, static_cast<std::uint64_t>(kTasks));
  EXPECT_GT(s.acquire_waits, 0u);
}
