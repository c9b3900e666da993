// Requirement 3: per-transaction settings never leak to other clients of a transaction pooler.
#include <gtest/gtest.h>

#include "../support/pg_env.hpp"

using namespace dbarch::handler;
using namespace handler_test;
using namespace std::chrono_literals;

// postgres_one has exactly one server connection, so every client below shares it: whatever
// session state one leaves behind, the next one sees.
TEST(Settings, TransactionSettingsDoNotLeakThroughPgBouncer) {
  RawConn other(env().bouncer_dsn("postgres_one"));
  ASSERT_TRUE(other.ok()) << other.error();
  ASSERT_EQ(other.scalar("SHOW statement_timeout"), "0");

  // Negative control: a session-level SET does leak to the other client.
  {
    RawConn careless(env().bouncer_dsn("postgres_one"));
    careless.exec("SET statement_timeout = 50");
    EXPECT_EQ(other.scalar("SHOW statement_timeout"), "50ms") << "the leak this test guards against is not observable";
    careless.exec("RESET statement_timeout");
  }
  ASSERT_EQ(other.scalar("SHOW statement_timeout"), "0");

  PoolConfig c = bouncer_config("settings", 2, "postgres_one");
  c.lock_timeout = 3s;  // pool default, applied per transaction in transaction mode
  Pool pool(c);
  {
    Session s = get_session(pool);
    Transaction tx = s.transaction({.statement_timeout = 50ms,
                                    .isolation = IsolationLevel::repeatable_read,
                                    .settings = {{"application_name", "it's-local"}}});
    EXPECT_EQ(tx.exec("SHOW statement_timeout").value<std::string>(), "50ms");
    EXPECT_EQ(tx.exec("SHOW lock_timeout").value<std::string>(), "3s");
    EXPECT_EQ(tx.exec("SHOW transaction_isolation").value<std::string>(), "repeatable read");
    EXPECT_EQ(tx.exec("SHOW application_name").value<std::string>(), "it's-local");
    tx.commit();
  }
  {
    // The timeout is real: it cancels a slow statement inside the transaction.
    Session s = get_session(pool);
    Transaction tx = s.transaction({.statement_timeout = 50ms});
    try {
      tx.exec("SELECT pg_sleep(5)");
      ADD_FAILURE() << "statement_timeout did not fire";
    } catch (const QueryError& e) {
      EXPECT_EQ(e.sqlstate(), "57014") << e.what();
    }
  }
  {
    // Outside a transaction the pool's defaults are not applied in transaction mode.
    Session s = get_session(pool);
    EXPECT_EQ(s.exec("SHOW lock_timeout").value<std::string>(), "0");
  }
  EXPECT_EQ(other.scalar("SHOW statement_timeout"), "0");
  EXPECT_EQ(other.scalar("SHOW lock_timeout"), "0");
  EXPECT_EQ(other.scalar("SHOW transaction_isolation"), "read committed");
  EXPECT_NE(other.scalar("SHOW application_name"), "it's-local");
}

TEST(Settings, OptionsStartupParameterIsRefusedBeforeItReachesThePooler) {
  // What PgBouncer 1.18 does with it:
  RawConn raw(env().bouncer_dsn() + "?options=-c%20statement_timeout%3D50");
  EXPECT_FALSE(raw.ok());
  EXPECT_NE(raw.error().find("unsupported startup parameter: options"), std::string::npos) << raw.error();
  // The handler refuses the configuration up front, with the reason.
  PoolConfig c = bouncer_config("settings-options", 1);
  c.dsn += "?options=-c%20statement_timeout%3D50";
  try {
    Pool pool(c);
    ADD_FAILURE() << "a transaction-mode pool accepted `options`";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("unsupported startup parameter: options"), std::string::npos) << e.what();
  }
}

TEST(Settings, SessionLevelDefaultsInDirectMode) {
  PoolConfig c = direct_config("settings-direct", 1);
  c.statement_timeout = 1234ms;
  Pool pool(c);
  Session s = get_session(pool);
  EXPECT_EQ(s.exec("SHOW statement_timeout").value<std::string>(), "1234ms");
  {
    Transaction tx = s.transaction({.statement_timeout = 0ms});  // explicit 0: no timeout in this one
    EXPECT_EQ(tx.exec("SHOW statement_timeout").value<std::string>(), "0");
  }
  EXPECT_EQ(s.exec("SHOW statement_timeout").value<std::string>(), "1234ms");
}
