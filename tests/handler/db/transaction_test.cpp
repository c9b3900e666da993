// Requirement 6 and the COMMIT outcomes: failed (known rollback) versus in doubt (unknown).
#include <gtest/gtest.h>

#include <stdexcept>

#include "../support/pg_env.hpp"

using namespace dbarch::handler;
using namespace handler_test;
using namespace std::chrono_literals;

namespace {

std::string backend_state(RawConn& admin, int pid) {
  return admin.scalar("SELECT coalesce((SELECT state FROM pg_stat_activity WHERE pid = " + std::to_string(pid) +
                      "), 'gone')");
}

}  // namespace

TEST(Transactions, ExceptionInsideTransactionLeavesTheConnectionIdle) {
  RawConn admin(env().direct_dsn());
  admin.exec("DROP TABLE IF EXISTS tx_rows");
  admin.exec("CREATE TABLE tx_rows (id int)");
  Pool pool(direct_config("tx-exception", 1));
  int pid = 0;
  try {
    Session s = get_session(pool);
    pid = s.exec("SELECT pg_backend_pid()").value<int>();
    Transaction tx = s.transaction();
    tx.exec("INSERT INTO tx_rows VALUES (1)");
    EXPECT_EQ(backend_state(admin, pid), "idle in transaction");
    throw std::runtime_error("application failure");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(backend_state(admin, pid), "idle");
  EXPECT_EQ(admin.scalar("SELECT count(*) FROM tx_rows"), "0");

  // The same connection comes back (pool of one), outside any transaction.
  Session s = get_session(pool);
  EXPECT_EQ(s.exec("SELECT pg_backend_pid()").value<int>(), pid);
  EXPECT_TRUE(outside_transaction(s));
  admin.exec("DROP TABLE tx_rows");
}

TEST(Transactions, FailedStatementAndRawBeginAreRolledBackOnReturn) {
  RawConn admin(env().direct_dsn());
  Pool pool(direct_config("tx-return", 1));
  int pid = 0;
  {
    Session s = get_session(pool);
    pid = s.exec("SELECT pg_backend_pid()").value<int>();
    s.exec("BEGIN");  // a transaction opened behind the handler's back...
    EXPECT_THROW(s.exec("SELECT 1/0"), QueryError);  // ...and aborted
    EXPECT_EQ(backend_state(admin, pid), "idle in transaction (aborted)");
  }
  EXPECT_EQ(backend_state(admin, pid), "idle");
  EXPECT_EQ(pool.stats().rollbacks_on_return, 1u);
  Session s = get_session(pool);
  EXPECT_EQ(s.exec("SELECT pg_backend_pid()").value<int>(), pid);
  EXPECT_EQ(s.exec("SELECT 1").value<int>(), 1);  // not "current transaction is aborted"
  EXPECT_TRUE(outside_transaction(s));
}

TEST(Transactions, ExceptionInsideTransactionThroughPgBouncerDoesNotPinOrPoison) {
  Pool pool(bouncer_config("tx-bouncer", 2, "postgres_one"));
  try {
    Session s = get_session(pool);
    Transaction tx = s.transaction();
    tx.exec("SELECT 1/0");
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "22012");
  }
  // Another client of the single server connection gets a clean one.
  RawConn other(env().bouncer_dsn("postgres_one"));
  EXPECT_EQ(other.scalar("SELECT 1"), "1");
  EXPECT_TRUE(outside_transaction(other));
}

TEST(Transactions, CommitPersistsAndDestructorRollsBack) {
  RawConn admin(env().direct_dsn());
  admin.exec("DROP TABLE IF EXISTS tx_commit");
  admin.exec("CREATE TABLE tx_commit (id int)");
  Pool pool(bouncer_config("tx-commit", 2));
  Session s = get_session(pool);
  {
    Transaction tx = s.transaction();
    tx.exec("INSERT INTO tx_commit VALUES ($1)", 1);
    tx.commit();
    EXPECT_FALSE(tx.active());
  }
  {
    Transaction tx = s.transaction();
    tx.exec("INSERT INTO tx_commit VALUES ($1)", 2);
  }
  {
    Transaction tx = s.transaction();
    tx.exec("INSERT INTO tx_commit VALUES ($1)", 3);
    tx.rollback();
  }
  EXPECT_EQ(admin.scalar("SELECT string_agg(id::text, ',') FROM tx_commit"), "1");
  admin.exec("DROP TABLE tx_commit");
}

TEST(Transactions, CommitRejectedByTheServerIsCommitFailed) {
  RawConn admin(env().direct_dsn());
  admin.exec("DROP TABLE IF EXISTS tx_deferred");
  admin.exec("CREATE TABLE tx_deferred (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)");
  Pool pool(direct_config("tx-deferred", 1));
  Session s = get_session(pool);
  {
    Transaction tx = s.transaction();
    tx.exec("INSERT INTO tx_deferred VALUES (1), (1)");  // checked at COMMIT
    try {
      tx.commit();
      ADD_FAILURE() << "commit of a duplicate succeeded";
    } catch (const CommitFailed& e) {
      EXPECT_EQ(e.sqlstate(), "23505") << e.what();
    }
  }
  {
    Transaction tx = s.transaction();
    EXPECT_THROW(tx.exec("SELECT 1/0"), QueryError);
    EXPECT_THROW(tx.commit(), CommitFailed);  // the server answers ROLLBACK
  }
  EXPECT_EQ(s.exec("SELECT count(*) FROM tx_deferred").value<int>(), 0);
  admin.exec("DROP TABLE tx_deferred");
}

TEST(Transactions, CommitWithoutAnswerIsInDoubtAndNotRetried) {
  RawConn admin(env().direct_dsn());
  admin.exec("DROP TABLE IF EXISTS tx_doubt");
  admin.exec("CREATE TABLE tx_doubt (id int)");
  Pool pool(direct_config("tx-doubt", 1));
  {
    Session s = get_session(pool);
    const int pid = s.exec("SELECT pg_backend_pid()").value<int>();
    Transaction tx = s.transaction();
    tx.exec("INSERT INTO tx_doubt VALUES (1)");
    admin.exec("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
    EXPECT_TRUE(wait_until([&] { return backend_state(admin, pid) == "gone"; }));
    EXPECT_THROW(tx.commit(), CommitInDoubt);
    EXPECT_THROW(s.exec("SELECT 1"), ConnectionLost);  // the session knows its connection is gone
  }
  const PoolStats st = pool.stats();
  EXPECT_EQ(st.closed_broken, 1u);
  EXPECT_EQ(st.total, 0u);
  EXPECT_EQ(admin.scalar("SELECT count(*) FROM tx_doubt"), "0");
  Session s = get_session(pool);  // the pool reconnects
  EXPECT_EQ(s.exec("SELECT 1").value<int>(), 1);
  admin.exec("DROP TABLE tx_doubt");
}
