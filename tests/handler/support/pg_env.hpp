// The throwaway PostgreSQL + PgBouncer the handler tests run against (started by tests/handler/pgenv),
// plus small helpers: raw libpq connections for negative controls, log capture, bounded waiting.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "dbarch/handler.hpp"

namespace handler_test {

using namespace std::chrono_literals;

struct PgEnv {
  std::string state_dir;
  std::string host = "127.0.0.1";
  std::string sockdir;
  int pg_port = 0;
  int pgb_port = 0;
  std::string app_user;
  std::string app_password;

  // Superuser straight to PostgreSQL over TCP.
  std::string direct_dsn(std::string_view application_name = "handler-test-admin") const;
  // Superuser through PgBouncer (transaction mode). db "postgres" has 3 server connections,
  // "postgres_one" exactly one (so that state leaking between clients is observable).
  std::string bouncer_dsn(std::string_view db = "postgres") const;
  // Fast restart of PostgreSQL (pg_ctl restart -m fast); returns once it accepts connections.
  void restart_postgres() const;
};

// Loaded once per test binary: from $DBARCH_TEST_PGENV (the CTest fixture), or started by the binary
// itself (and stopped at exit) when run by hand.
const PgEnv& env();

dbarch::handler::PoolConfig direct_config(std::string application_name, std::size_t max_size);
dbarch::handler::PoolConfig bouncer_config(std::string application_name, std::size_t max_size,
                                           std::string_view db = "postgres");

// A port on 127.0.0.1 where nothing listens.
int closed_port();

// Raw libpq, for admin queries and for the negative controls the handler exists to prevent.
class RawConn {
 public:
  explicit RawConn(const std::string& conninfo);
  ~RawConn();
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;
  bool ok() const;
  std::string error() const;
  PGconn* get() const { return conn_; }
  // Runs one statement (simple protocol); throws std::runtime_error on failure.
  void exec(const std::string& sql);
  // The first value of the first row ("" for NULL); throws on failure or an empty result.
  std::string scalar(const std::string& sql);

 private:
  PGconn* conn_;
};

// Collects every log line of the handler while alive (all levels), then restores the default sink.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  std::vector<std::string> lines() const;
  std::size_t count(std::string_view needle) const;

 private:
  struct State {
    mutable std::mutex mu;
    std::vector<std::string> lines;
  };
  std::shared_ptr<State> state_;
};

// True when the session's connection is outside any transaction block: two statements in a row get
// different transaction start times (inside an open transaction now() stays the same).
bool outside_transaction(dbarch::handler::Session& session);
bool outside_transaction(RawConn& conn);

// Waits until the processes are gone (terminated backends announce their exit in pg_stat_activity
// before their socket is closed; the process is gone only after). Needs a shared PID namespace.
bool wait_for_exit(const std::vector<int>& pids, std::chrono::milliseconds limit = 10s);

// Polls `condition` every 10 ms until it holds or `limit` passes; returns the last result.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit = 10s);

}  // namespace handler_test
