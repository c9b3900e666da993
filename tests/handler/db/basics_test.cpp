// Typed values in and out, usage errors, cancel, client-side deadline, background pool, eviction.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "../support/pg_env.hpp"

using namespace dbarch::handler;
using namespace handler_test;

TEST(Basics, TypedValuesRoundTrip) {
  Pool pool(direct_config("basics", 2));
  Session s = get_session(pool);
  const std::optional<std::string> missing;
  const Result r = s.exec(
      "SELECT $1::int AS i, $2::bigint AS big, $3::float8 AS d, $4::bool AS b, $5::text AS t, $6::text AS n, "
      "$7::text AS v",
      42, std::int64_t{9'000'000'000}, 0.1, true, std::string("héllo 'quoted'"), missing, std::string_view("view"));
  ASSERT_EQ(r.rows(), 1u);
  ASSERT_EQ(r.columns(), 7u);
  const Row row = r.row(0);
  EXPECT_EQ(row.get<int>("i"), 42);
  EXPECT_EQ(row.get<std::int64_t>("big"), 9'000'000'000);
  EXPECT_DOUBLE_EQ(row.get<double>("d"), 0.1);
  EXPECT_TRUE(row.get<bool>("b"));
  EXPECT_EQ(row.get<std::string>("t"), "héllo 'quoted'");
  EXPECT_EQ(row.get<std::optional<std::string>>("n"), std::nullopt);
  EXPECT_TRUE(row.is_null(5));
  EXPECT_EQ(row.get<std::string_view>(6), "view");
  EXPECT_THROW(row.get<std::string>("n"), ResultError);
  EXPECT_THROW(row.get<int>("t"), ResultError);
  EXPECT_THROW(row.get<int>("nope"), UsageError);
  EXPECT_THROW(row.get<int>(7), UsageError);
  EXPECT_EQ(r.column_name(1), "big");

  // Untyped integer parameters still work in arithmetic; strings are inferred by the server.
  EXPECT_EQ(s.exec("SELECT $1 + 1", 41).value<int>(), 42);
  EXPECT_EQ(s.exec("SELECT $1::int[] @> ARRAY[2]", "{1,2,3}").value<bool>(), true);

  s.exec("CREATE TEMP TABLE basics_t (id int, name text)");
  const Result ins = s.exec("INSERT INTO basics_t SELECT g, 'n' || g FROM generate_series(1, $1) g", 5);
  EXPECT_EQ(ins.affected_rows(), 5u);
  EXPECT_EQ(ins.command_tag(), "INSERT 0 5");
  int sum = 0;
  for (const Row each : s.exec("SELECT id FROM basics_t ORDER BY id")) sum += each.get<int>(0);
  EXPECT_EQ(sum, 15);
  EXPECT_THROW(s.exec("SELECT 1; SELECT 2"), QueryError);  // one statement per exec
}

TEST(Basics, QueryErrorsCarrySqlstateAndKeepTheConnection) {
  Pool pool(direct_config("basics-errors", 1));
  Session s = get_session(pool);
  try {
    s.exec("SELECT 1/0");
    ADD_FAILURE() << "division by zero did not fail";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "22012");
    EXPECT_NE(std::string(e.what()).find("division by zero"), std::string::npos) << e.what();
  }
  EXPECT_EQ(s.exec("SELECT 2").value<int>(), 2);
  EXPECT_EQ(pool.stats().closed_broken, 0u);
}

TEST(Basics, MovedFromSessionAndNestedTransactionAreUsageErrors) {
  Pool pool(direct_config("basics-usage", 2));
  Session a = get_session(pool);
  Session b = std::move(a);
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): testing exactly that
  EXPECT_THROW(a.exec("SELECT 1"), UsageError);
  Transaction tx = b.transaction();
  EXPECT_THROW((void)b.transaction(), UsageError);
  tx.commit();
  EXPECT_THROW(tx.commit(), UsageError);
  EXPECT_THROW(tx.exec("SELECT 1"), UsageError);
}

TEST(Basics, CancelFromAnotherThread) {
  for (bool through_bouncer : {false, true}) {
    SCOPED_TRACE(through_bouncer ? "through PgBouncer" : "direct");
    Pool pool(through_bouncer ? bouncer_config("basics-cancel", 1) : direct_config("basics-cancel", 1));
    Session s = get_session(pool);
    std::string sqlstate;
    std::thread worker([&] {
      try {
        s.exec("SELECT pg_sleep(30)");
      } catch (const QueryError& e) {
        sqlstate = e.sqlstate();
      }
    });
    RawConn admin(env().direct_dsn());
    const bool running = wait_until([&] {
      return admin.scalar("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' "
                          "AND state = 'active'") == "1";
    });
    EXPECT_TRUE(running);
    EXPECT_TRUE(s.cancel());
    worker.join();
    EXPECT_EQ(sqlstate, "57014");
    EXPECT_EQ(s.exec("SELECT 3").value<int>(), 3);  // the connection stays usable
  }
}

TEST(Basics, QueryTimeoutCancelsAndKeepsTheConnection) {
  PoolConfig c = direct_config("basics-qt", 1);
  c.query_timeout = 200ms;
  Pool pool(c);
  Session s = get_session(pool);
  const int pid = s.exec("SELECT pg_backend_pid()").value<int>();
  EXPECT_THROW(s.exec("SELECT pg_sleep(20)"), QueryTimeout);
  EXPECT_EQ(s.exec("SELECT pg_backend_pid()").value<int>(), pid);
  EXPECT_EQ(pool.stats().closed_broken, 0u);
}

TEST(Basics, BackgroundSessionFromEnvironment) {
  ::setenv("DATABASE_URL", (env().direct_dsn() + " application_name=basics-bg").c_str(), 1);
  ::setenv("DBARCH_POOL_POOLER", "direct", 1);
  ::setenv("DBARCH_POOL_MAX_SIZE", "3", 1);
  ::setenv("DBARCH_POOL_STATEMENT_TIMEOUT", "7s", 1);
  {
    Session s = get_background_session();
    EXPECT_EQ(s.exec("SELECT current_setting('application_name')").value<std::string>(), "basics-bg");
    EXPECT_EQ(s.exec("SHOW statement_timeout").value<std::string>(), "7s");  // session-level in direct mode
  }
  EXPECT_EQ(background_pool().config().max_size, 3u);
  EXPECT_EQ(background_pool().stats().idle, 1u);
}

TEST(Basics, IdleAndLifetimeLimitsRetireIdleConnections) {
  PoolConfig c = direct_config("basics-evict", 2);
  c.idle_timeout = 200ms;
  Pool idle_pool(c);
  { Session s = get_session(idle_pool); }
  EXPECT_TRUE(wait_until([&] { return idle_pool.stats().closed_idle == 1; }));
  EXPECT_EQ(idle_pool.stats().total, 0u);

  c.idle_timeout = 0ms;
  c.max_lifetime = 300ms;
  c.application_name = "basics-lifetime";
  Pool old_pool(c);
  {
    Session s = get_session(old_pool);
    std::this_thread::sleep_for(400ms);  // in use past its lifetime: not touched until it comes back
    EXPECT_EQ(old_pool.stats().closed_lifetime, 0u);
    EXPECT_EQ(s.exec("SELECT 1").value<int>(), 1);
  }
  EXPECT_EQ(old_pool.stats().closed_lifetime, 1u);  // retired on return
  { Session s = get_session(old_pool); }
  EXPECT_TRUE(wait_until([&] { return old_pool.stats().closed_lifetime == 2; }));
  EXPECT_EQ(old_pool.stats().created, 2u);
}

TEST(Basics, MinIdleWarmsUpInTheBackground) {
  PoolConfig c = direct_config("basics-warm", 5);
  c.min_idle = 3;
  Pool pool(c);
  EXPECT_TRUE(wait_until([&] { return pool.stats().idle == 3; }));
  RawConn admin(env().direct_dsn());
  EXPECT_EQ(admin.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'basics-warm'"), "3");
}
