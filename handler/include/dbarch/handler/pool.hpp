// Pool: a bounded, thread-safe set of connections built by one ConnectionFactory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "dbarch/handler/config.hpp"
#include "dbarch/handler/session.hpp"
#include "dbarch/handler/source_location.hpp"

namespace dbarch::handler {

namespace detail {
class PoolCore;
}

struct PoolStats {
  // gauges
  std::size_t max_size = 0;
  std::size_t total = 0;    // open or opening; never above max_size
  std::size_t idle = 0;
  std::size_t in_use = 0;   // lent to sessions
  std::size_t opening = 0;  // connection attempts in progress
  std::size_t waiters = 0;  // threads queued in get_session()
  // counters since the pool was created
  std::uint64_t created = 0;
  std::uint64_t connect_failures = 0;
  std::uint64_t closed_broken = 0;        // failed validation, or broke while in use
  std::uint64_t closed_lifetime = 0;      // older than max_lifetime
  std::uint64_t closed_idle = 0;          // idle longer than idle_timeout
  std::uint64_t closed_reset_failed = 0;  // could not be cleaned (ROLLBACK failed) on return
  std::uint64_t closed_shutdown = 0;
  std::uint64_t acquired = 0;
  std::uint64_t acquire_waits = 0;     // acquisitions that had to queue
  std::uint64_t acquire_timeouts = 0;
  std::uint64_t pings = 0;             // empty-query pings on borrow
  std::uint64_t rollbacks_on_return = 0;
  std::uint64_t leaks = 0;             // sessions reported by leak detection
  std::string last_connect_error;      // "" if none; never contains a password
};

// "size=3/10 in_use=2 idle=1 opening=0 waiters=4"
std::string describe_state(const PoolStats& stats);

class Pool {
 public:
  // Validates the configuration (throws ConfigError) and starts a housekeeping thread, which also
  // opens min_idle connections in the background. Connects lazily otherwise.
  explicit Pool(PoolConfig config);
  ~Pool();  // shutdown()
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  PoolStats stats() const;
  const PoolConfig& config() const noexcept;
  std::string target() const;  // the masked DSN and pooler mode, for messages

  // Closes idle connections, fails waiting and future acquisitions with PoolClosed; sessions still
  // out close their connection when they end. Idempotent.
  void shutdown() noexcept;

 private:
  friend Session get_session(Pool& pool, milliseconds timeout, SourceLocation where);
  std::shared_ptr<detail::PoolCore> core_;
};

// Borrows a connection, waiting at most the pool's acquire_timeout (or `timeout`) in FIFO order.
// `where` is recorded for leak reports. Throws AcquireTimeout (with the pool state and the last
// connect error) or PoolClosed.
Session get_session(Pool& pool, SourceLocation where = SourceLocation::current());
Session get_session(Pool& pool, milliseconds timeout, SourceLocation where = SourceLocation::current());

// The process-wide pool, configured once from DATABASE_URL and DBARCH_POOL_* on first use
// (ConfigError if they are invalid; the next call tries again).
Session get_background_session(SourceLocation where = SourceLocation::current());
Session get_background_session(milliseconds timeout, SourceLocation where = SourceLocation::current());
Pool& background_pool();

}  // namespace dbarch::handler
