// Private to the handler library: connections, the factory that builds them, one round trip with a
// client-side deadline, and the pool core that lends them out.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "dbarch/handler/annotate.hpp"
#include "dbarch/handler/config.hpp"
#include "dbarch/handler/log.hpp"
#include "dbarch/handler/params.hpp"
#include "dbarch/handler/pool.hpp"
#include "dbarch/handler/source_location.hpp"

namespace dbarch::handler::detail {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
inline constexpr TimePoint no_deadline = TimePoint::max();

void log(LogLevel level, std::string_view message) noexcept;
std::string one_line(std::string_view text);  // collapses libpq's multi-line messages
std::string format_ms(milliseconds ms);       // "250 ms"

class ConnectionFactory;

// One server connection. Owned by the pool (idle) or by a Lease (in use); one thread at a time,
// except cancel().
struct Conn {
  Conn() = default;
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn();  // PQfreeCancel + PQfinish

  bool cancel() noexcept;  // thread-safe

  PGconn* pg = nullptr;
  const ConnectionFactory* factory = nullptr;  // for the notice receiver
  std::uint64_t id = 0;
  TimePoint created{};
  TimePoint expires = no_deadline;  // created + jittered max_lifetime
  TimePoint returned{};             // last time it went idle
  bool broken = false;              // never reuse: the connection died or the server said FATAL

 private:
  friend class ConnectionFactory;
  std::mutex cancel_mu_;
  PGcancel* cancel_ = nullptr;
};

// What one round trip produced.
struct Reply {
  std::shared_ptr<pg_result> result;  // the last non-error result
  bool failed = false;
  bool lost = false;       // the connection cannot be used any more
  bool timed_out = false;  // the deadline passed (a cancel was sent if a grace period was given)
  std::string message;     // redacted, one line
  std::string sqlstate;
};

// Builds every connection of a pool the same way: the DSN's parameters, plus application_name,
// keepalives and client_encoding where the DSN leaves them out; `options` only in direct mode;
// session-level defaults (SET) only in session and direct mode. Knows the passwords, in order to
// scrub them from every text that leaves the library.
class ConnectionFactory {
 public:
  explicit ConnectionFactory(const PoolConfig& config);  // throws ConfigError

  // Opens one connection before `deadline` with the asynchronous libpq API. On failure returns
  // nullptr and sets `error` (redacted, one line).
  DBARCH_HANDLER std::unique_ptr<Conn> open(TimePoint deadline, std::string& error) const;

  const std::string& target() const noexcept { return target_; }
  milliseconds connect_timeout() const noexcept { return connect_timeout_; }
  std::string redact(std::string_view text) const;

 private:
  std::vector<std::string> keys_;
  std::vector<std::string> values_;
  std::vector<std::string> secrets_;
  std::string target_;
  std::string session_setup_;
  milliseconds connect_timeout_{};
};

struct ConninfoDeleter {
  void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};
using ConninfoPtr = std::unique_ptr<PQconninfoOption, ConninfoDeleter>;

// Secrets visible in a DSN's text (decoded and as written), for scrubbing messages.
std::vector<std::string> dsn_secrets(std::string_view dsn);
std::string scrub(std::string_view text, const std::vector<std::string>& secrets);

// Sends one statement and collects every result before `deadline`. `params` == nullptr sends the
// fixed internal statements (BEGIN..., COMMIT, ROLLBACK, "" ping, SET) with the simple protocol;
// otherwise PQsendQueryParams with $n parameters. When the deadline passes: with a non-zero grace a
// cancel request is sent and the answer awaited for `grace` more; otherwise (or after that) the
// connection is given up (lost). Marks the connection broken when it is lost.
Reply round_trip(Conn& conn, const ConnectionFactory& factory, const char* sql, const ParamView* params,
                 TimePoint deadline, milliseconds grace);

class PoolCore;

// A connection lent out. Shared by a Session and its Transaction; the last one to go gives the
// connection back.
class Lease {
 public:
  Lease(std::shared_ptr<PoolCore> pool, std::unique_ptr<Conn> conn, SourceLocation site, TimePoint at)
      : pool_(std::move(pool)), conn_(std::move(conn)), where(site), acquired_at(at) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  Conn& conn() noexcept { return *conn_; }
  PoolCore& pool() noexcept { return *pool_; }

  bool in_transaction = false;  // a Transaction is active (owner thread only)

 private:
  std::shared_ptr<PoolCore> pool_;
  std::unique_ptr<Conn> conn_;

 public:
  // Leak detection; `leak_reported` is guarded by the pool mutex.
  const SourceLocation where;
  const TimePoint acquired_at;
  bool leak_reported = false;
};

class PoolCore : public std::enable_shared_from_this<PoolCore> {
 public:
  explicit PoolCore(PoolConfig config);
  ~PoolCore();
  PoolCore(const PoolCore&) = delete;
  PoolCore& operator=(const PoolCore&) = delete;

  void start();  // launches the housekeeper
  void shutdown() noexcept;

  std::shared_ptr<Lease> acquire(milliseconds timeout, SourceLocation where);
  void give_back(std::unique_ptr<Conn> conn, Lease* lease) noexcept;

  PoolStats stats() const;
  const PoolConfig& config() const noexcept { return config_; }
  const ConnectionFactory& factory() const noexcept { return factory_; }

 private:
  struct Waiter {
    std::condition_variable cv;
    std::unique_ptr<Conn> conn;  // granted: an idle connection
    bool slot = false;           // granted: the right to open one
    bool closed = false;         // the pool shut down
    bool granted() const noexcept { return conn || slot || closed; }
  };

  std::size_t total() const noexcept { return idle_.size() + in_use_ + opening_; }
  void pump();  // hands idle connections / open slots to waiters, oldest first (mutex held)
  PoolStats snapshot() const;  // mutex held
  std::string timeout_message(milliseconds waited) const;  // mutex held
  void connect_failed(const std::string& error);           // mutex held
  void raise_alert();                                      // mutex held
  void connected(Conn& conn);                              // mutex held: a connect succeeded
  // Validation before a connection is lent: "" if usable, otherwise why not. Mutex not held.
  std::string check_on_borrow(Conn& conn, TimePoint deadline, bool fresh);
  std::unique_ptr<Conn> open_one(TimePoint deadline, std::string& error);  // mutex not held
  void housekeeper_loop();

  const PoolConfig config_;
  const ConnectionFactory factory_;
  milliseconds housekeeping_period_;

  mutable std::mutex mu_;
  std::deque<Waiter*> waiters_;
  std::vector<std::unique_ptr<Conn>> idle_;  // back = most recently returned
  std::unordered_set<Lease*> leases_;
  std::size_t in_use_ = 0;
  std::size_t opening_ = 0;
  TimePoint next_connect_{};  // back-off gate after failed connects
  TimePoint alert_until_{};   // after a broken connection or failed connect: ping everything lent
  unsigned failures_in_row_ = 0;
  std::uint64_t next_id_ = 1;
  PoolStats counters_;
  bool closed_ = false;

  std::condition_variable housekeeper_cv_;
  std::mutex shutdown_mu_;
  std::thread housekeeper_;
};

struct SessionAccess {
  static Session make(std::shared_ptr<Lease> lease) { return Session(std::move(lease)); }
};

}  // namespace dbarch::handler::detail
