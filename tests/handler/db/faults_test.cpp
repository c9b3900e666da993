// Requirement 4: terminated backends and PostgreSQL restarts, idle and under load.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "../support/pg_env.hpp"

using namespace dbarch::handler;
using namespace handler_test;
using namespace std::chrono_literals;

namespace {

// Borrows every connection of the pool at once and checks that none is inside a transaction.
void expect_all_connections_clean(Pool& pool) {
  std::vector<Session> held;
  for (std::size_t i = 0; i < pool.config().max_size; ++i) held.push_back(get_session(pool));
  for (Session& s : held) EXPECT_TRUE(outside_transaction(s));
}

}  // namespace

TEST(Faults, TerminatedIdleConnectionsAreDetectedWithoutFailingWork) {
  RawConn admin(env().direct_dsn());
  PoolConfig c = direct_config("faults-term", 4);
  c.ping_after_idle = 1h;  // the check without a round trip must find them on its own
  Pool pool(c);
  {
    std::vector<Session> warm;
    for (int i = 0; i < 4; ++i) warm.push_back(get_session(pool));
  }
  ASSERT_EQ(pool.stats().idle, 4u);
  std::vector<int> backend_pids;
  for (const Row r : get_session(pool).exec("SELECT pid FROM pg_stat_activity WHERE application_name = $1",
                                              "faults-term")) {
    backend_pids.push_back(r.get<int>(0));
  }
  EXPECT_EQ(backend_pids.size(), 4u);
  EXPECT_EQ(admin.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                         "WHERE application_name = 'faults-term'"),
            "4");
  ASSERT_TRUE(wait_for_exit(backend_pids));  // their FATAL notice and EOF have been sent

  // The first borrow walks the four dead ones (found by poll + PQconsumeInput, no ping) and opens a
  // fresh connection.
  std::vector<Session> sessions;
  sessions.push_back(get_session(pool));
  EXPECT_EQ(pool.stats().closed_broken, 4u);
  EXPECT_EQ(pool.stats().pings, 0u);
  for (int i = 0; i < 4; ++i) {
    if (i > 0) sessions.push_back(get_session(pool));
    EXPECT_EQ(sessions.back().exec("SELECT $1::int", i).value<int>(), i);
  }
  EXPECT_EQ(pool.stats().created, 8u);

  // The same through PgBouncer: it replaces its own server connections; the handler sees nothing.
  Pool bouncer(bouncer_config("faults-term-pgb", 3));
  { Session warm = get_session(bouncer); warm.exec("SELECT 1"); }
  // PgBouncer reaches PostgreSQL over the unix socket (client_addr IS NULL); everything else here uses
  // TCP. Termination is asynchronous: wait until PgBouncer itself has dropped those server
  // connections (its SHOW SERVERS), otherwise it could still lend one that is about to die.
  const std::string pids = admin.scalar(
      "SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE backend_type = 'client backend' "
      "AND client_addr IS NULL");
  ASSERT_FALSE(pids.empty());
  admin.exec("SELECT pg_terminate_backend(pid) FROM unnest('{" + pids + "}'::int[]) pid");
  RawConn console("host=127.0.0.1 port=" + std::to_string(env().pgb_port) + " dbname=pgbouncer user=postgres");
  ASSERT_TRUE(console.ok()) << console.error();
  auto server_pids = [&] {
    std::string out;
    PGresult* r = PQexec(console.get(), "SHOW SERVERS");
    const int col = PQfnumber(r, "remote_pid");
    for (int i = 0; i < PQntuples(r); ++i) out += std::string(",") + PQgetvalue(r, i, col) + ",";
    PQclear(r);
    return out;
  };
  ASSERT_TRUE(wait_until([&] {
    const std::string live = server_pids();
    std::size_t start = 0;
    const std::string list = pids + ",";
    for (std::size_t comma; (comma = list.find(',', start)) != std::string::npos; start = comma + 1) {
      if (live.find("," + list.substr(start, comma - start) + ",") != std::string::npos) return false;
    }
    return true;
  }));
  for (int i = 0; i < 6; ++i) {
    Session b = get_session(bouncer);
    EXPECT_EQ(b.exec("SELECT $1::int", i).value<int>(), i);
  }
}

TEST(Faults, RestartWhileIdle) {
  PoolConfig dc = direct_config("faults-idle", 3);
  dc.min_idle = 3;
  PoolConfig bc = bouncer_config("faults-idle-pgb", 3);
  bc.min_idle = 3;
  Pool direct(dc), bouncer(bc);
  ASSERT_TRUE(wait_until([&] { return direct.stats().idle == 3 && bouncer.stats().idle == 3; }));
  { Session s = get_session(bouncer); s.exec("SELECT 1"); }

  env().restart_postgres();

  int errors = 0;
  std::string first;
  for (Pool* pool : {&direct, &bouncer}) {
    for (int i = 0; i < 6; ++i) {
      try {
        Session s = get_session(*pool);
        if (s.exec("SELECT $1::int", i).value<int>() != i) ++errors;
      } catch (const Error& e) {
        ++errors;
        if (first.empty()) first = e.what();
      }
    }
  }
  EXPECT_EQ(errors, 0) << first;
  EXPECT_EQ(direct.stats().closed_broken, 3u);  // every idle direct connection was found dead on borrow
  expect_all_connections_clean(direct);
  expect_all_connections_clean(bouncer);
}

TEST(Faults, RestartDuringQueriesLosesNoCommittedRow) {
  RawConn admin(env().direct_dsn());
  admin.exec("DROP TABLE IF EXISTS fault_rows");
  admin.exec("CREATE TABLE fault_rows (id bigint PRIMARY KEY)");

  PoolConfig dc = direct_config("faults-busy", 4);
  PoolConfig bc = bouncer_config("faults-busy-pgb", 4);
  Pool direct(dc), bouncer(bc);

  std::atomic<bool> restart_done{false};
  std::atomic<int> commits{0};
  std::mutex mu;
  std::set<long long> committed, in_doubt;
  std::vector<std::string> errors_before, errors_after;
  std::atomic<int> commits_after_restart_direct{0}, commits_after_restart_bouncer{0};

  constexpr int kWorkersPerPool = 4;
  constexpr int kMaxIterations = 3000;  // bound; normally ~40 iterations after the restart end a worker
  std::vector<std::thread> workers;
  for (int w = 0; w < 2 * kWorkersPerPool; ++w) {
    const bool via_bouncer = w >= kWorkersPerPool;
    Pool& pool = via_bouncer ? bouncer : direct;
    workers.emplace_back([&, w, via_bouncer] {
      int after = 0;
      for (int i = 0; i < kMaxIterations && after < 40; ++i) {
        const long long id = w * 100000LL + i;
        const bool started_after_restart = restart_done.load();
        try {
          Session s = get_session(pool);
          Transaction tx = s.transaction();
          tx.exec("INSERT INTO fault_rows VALUES ($1)", id);
          tx.exec("SELECT pg_sleep(0.005)");
          tx.commit();
          ++commits;
          std::lock_guard lock(mu);
          committed.insert(id);
          if (started_after_restart) ++(via_bouncer ? commits_after_restart_bouncer : commits_after_restart_direct);
        } catch (const CommitInDoubt& e) {
          std::lock_guard lock(mu);
          in_doubt.insert(id);
          (started_after_restart ? errors_after : errors_before).push_back(e.what());
        } catch (const Error& e) {
          std::lock_guard lock(mu);
          (started_after_restart ? errors_after : errors_before).push_back(e.what());
        }
        if (started_after_restart) ++after;
      }
    });
  }
  ASSERT_TRUE(wait_until([&] { return commits.load() >= 100; }, 30s));
  env().restart_postgres();
  restart_done = true;
  for (auto& t : workers) t.join();

  std::printf("restart under load: %zu committed, %zu in doubt, %zu errors in flight, %zu errors after\n",
              committed.size(), in_doubt.size(), errors_before.size(), errors_after.size());
  for (const auto& e : errors_before) std::printf("  in flight: %s\n", e.c_str());
  EXPECT_TRUE(errors_after.empty()) << errors_after.front();
  EXPECT_GT(commits_after_restart_direct.load(), 0);
  EXPECT_GT(commits_after_restart_bouncer.load(), 0);

  // No committed row lost, no row from nowhere.
  std::set<long long> stored;
  {
    Pool reader(direct_config("faults-reader", 1));
    Session s = get_session(reader);
    for (const Row r : s.exec("SELECT id FROM fault_rows")) stored.insert(r.get<long long>(0));
  }
  for (long long id : committed) EXPECT_TRUE(stored.count(id)) << "committed row " << id << " is missing";
  for (long long id : stored) EXPECT_TRUE(committed.count(id) || in_doubt.count(id)) << "row " << id << " was never committed";

  EXPECT_GT(direct.stats().closed_broken, 0u);
  expect_all_connections_clean(direct);
  expect_all_connections_clean(bouncer);
  RawConn(env().direct_dsn()).exec("DROP TABLE fault_rows");  // `admin` died with the restart
}
