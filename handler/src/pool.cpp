#include <poll.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <random>
#include <string>

#include "dbarch/handler/errors.hpp"
#include "dbarch/handler/pool.hpp"
#include "internal.hpp"

namespace dbarch::handler {

namespace detail {

namespace {

double random_unit() {
  thread_local std::minstd_rand rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// 50 ms, 100 ms, 200 ms ... capped at 2 s, +-25 % jitter.
milliseconds backoff(unsigned failures_in_row) {
  const unsigned shift = std::min(failures_in_row == 0 ? 0u : failures_in_row - 1, 6u);
  const double base = std::min(50.0 * static_cast<double>(1u << shift), 2000.0);
  return milliseconds(static_cast<long long>(base * (0.75 + 0.5 * random_unit())));
}

// After the pool sees a broken connection or a failed connect, failures tend to come in groups
// (restart, failover, a pooler that cannot reach its server): for this long every connection lent
// is pinged first, and behind a pooler so is every new one.
constexpr milliseconds kAlertWindow{10'000};

std::string site(const SourceLocation& where) {
  return std::string(where.file_name()) + ":" + std::to_string(where.line()) + " (" + where.function_name() + ")";
}

}  // namespace

PoolCore::PoolCore(PoolConfig config) : config_(std::move(config)), factory_(config_) {
  milliseconds period(1000);
  if (config_.leak_detection_threshold.count() > 0) period = std::min(period, config_.leak_detection_threshold / 2);
  housekeeping_period_ = std::max(period, milliseconds(10));
  counters_.max_size = config_.max_size;
}

PoolCore::~PoolCore() { shutdown(); }

void PoolCore::start() { housekeeper_ = std::thread([this] { housekeeper_loop(); }); }

void PoolCore::shutdown() noexcept {
  std::vector<std::unique_ptr<Conn>> doomed;
  {
    std::lock_guard lock(mu_);
    if (!closed_) {
      closed_ = true;
      pump();  // wakes every waiter with `closed`
      doomed = std::move(idle_);
      idle_.clear();
      counters_.closed_shutdown += doomed.size();
    }
  }
  housekeeper_cv_.notify_all();
  {
    std::lock_guard lock(shutdown_mu_);
    if (housekeeper_.joinable() && housekeeper_.get_id() != std::this_thread::get_id()) housekeeper_.join();
  }
  doomed.clear();  // PQfinish outside the pool mutex
}

void PoolCore::pump() {
  const TimePoint now = Clock::now();
  while (!waiters_.empty()) {
    Waiter* w = waiters_.front();
    if (closed_) {
      w->closed = true;
    } else if (!idle_.empty()) {
      w->conn = std::move(idle_.back());
      idle_.pop_back();
      ++in_use_;
    } else if (total() < config_.max_size && now >= next_connect_) {
      w->slot = true;
      ++opening_;
    } else {
      break;
    }
    waiters_.pop_front();
    w->cv.notify_one();
  }
}

PoolStats PoolCore::snapshot() const {
  PoolStats s = counters_;
  s.total = total();
  s.idle = idle_.size();
  s.in_use = in_use_;
  s.opening = opening_;
  s.waiters = waiters_.size();
  return s;
}

PoolStats PoolCore::stats() const {
  std::lock_guard lock(mu_);
  return snapshot();
}

std::string PoolCore::timeout_message(milliseconds waited) const {
  const PoolStats s = snapshot();
  return "dbarch::handler: no connection available after " + format_ms(waited) + " from pool " +
         factory_.target() + " (application_name=" + config_.application_name + "): " + describe_state(s) +
         "; last connect error: " + (s.last_connect_error.empty() ? "none" : s.last_connect_error);
}

void PoolCore::connect_failed(const std::string& error) {
  raise_alert();
  ++counters_.connect_failures;
  counters_.last_connect_error = error;
  ++failures_in_row_;
  next_connect_ = Clock::now() + backoff(failures_in_row_);
}

std::unique_ptr<Conn> PoolCore::open_one(TimePoint deadline, std::string& error) {
  auto conn = factory_.open(std::min(deadline, Clock::now() + factory_.connect_timeout()), error);
  if (conn && config_.max_lifetime.count() > 0) {
    const auto jitter = std::chrono::duration_cast<Clock::duration>(config_.max_lifetime * (0.025 * random_unit()));
    conn->expires = conn->created + config_.max_lifetime - jitter;
  }
  return conn;
}

void PoolCore::connected(Conn& conn) {
  ++counters_.created;
  failures_in_row_ = 0;
  next_connect_ = TimePoint{};
  conn.id = next_id_++;
}

void PoolCore::raise_alert() { alert_until_ = Clock::now() + kAlertWindow; }

std::string PoolCore::check_on_borrow(Conn& c, TimePoint deadline, bool fresh) {
  bool alert = false;
  {
    std::lock_guard lock(mu_);
    alert = Clock::now() < alert_until_;
  }
  // A connection just opened to PostgreSQL itself is known good. Behind a pooler it only proves that
  // the pooler accepted a login, so while the pool is on alert it is pinged like the others.
  if (fresh && (!alert || config_.pooler == PoolerMode::direct)) return "";
  if (c.broken || PQstatus(c.pg) != CONNECTION_OK || PQtransactionStatus(c.pg) != PQTRANS_IDLE) {
    return "connection is not idle";
  }
  // Without a round trip: anything readable on an idle connection arrived unsolicited
  // (a termination notice, then EOF). Read it; a dead connection shows here.
  bool unsolicited = false;
  for (int i = 0; i < 4; ++i) {
    pollfd p{PQsocket(c.pg), POLLIN, 0};
    const int n = ::poll(&p, 1, 0);
    if (n < 0) return "poll failed";
    if (n == 0) break;
    unsolicited = true;
    if (PQconsumeInput(c.pg) == 0 || PQstatus(c.pg) != CONNECTION_OK || c.broken) {
      const std::string why = one_line(PQerrorMessage(c.pg));
      return "closed by the server: " + (why.empty() ? std::string("it sent FATAL") : factory_.redact(why));
    }
    while (PGnotify* note = PQnotifies(c.pg)) PQfreemem(note);
  }
  if (!unsolicited && !alert && Clock::now() - c.returned < config_.ping_after_idle) return "";
  {
    std::lock_guard lock(mu_);
    ++counters_.pings;
  }
  const TimePoint ping_deadline = std::min(deadline, Clock::now() + config_.validation_timeout);
  const Reply r = round_trip(c, factory_, "", nullptr, ping_deadline, milliseconds(0));
  if (r.failed || !r.result || PQresultStatus(r.result.get()) != PGRES_EMPTY_QUERY ||
      PQtransactionStatus(c.pg) != PQTRANS_IDLE) {
    return "ping failed: " + (r.message.empty() ? std::string("unexpected answer") : r.message);
  }
  return "";
}

std::shared_ptr<Lease> PoolCore::acquire(milliseconds timeout, SourceLocation where) {
  const TimePoint start = Clock::now();
  const TimePoint deadline = start + timeout;
  Waiter w;
  std::unique_lock lock(mu_);
  waiters_.push_back(&w);
  pump();
  bool waited = false;
  for (;;) {
    while (!w.granted()) {
      waited = true;
      TimePoint wake = deadline;
      if (!waiters_.empty() && waiters_.front() == &w && total() < config_.max_size) {
        wake = std::min(wake, next_connect_);  // the back-off gate opens before the deadline
      }
      w.cv.wait_until(lock, wake);
      if (w.granted()) break;
      if (Clock::now() >= deadline) {
        waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &w));
        ++counters_.acquire_timeouts;
        const std::string msg = timeout_message(timeout);
        lock.unlock();
        log(LogLevel::debug, msg);
        throw AcquireTimeout(msg);
      }
      pump();
    }
    if (w.closed) throw PoolClosed("dbarch::handler: pool " + factory_.target() + " is shut down");

    std::unique_ptr<Conn> conn;
    if (w.conn) {
      conn = std::move(w.conn);
      lock.unlock();
      const std::string problem = check_on_borrow(*conn, deadline, false);
      if (problem.empty()) {
        lock.lock();
      } else {
        log(LogLevel::info, "dbarch::handler: closing idle connection #" + std::to_string(conn->id) + " of pool " +
                                factory_.target() + ": " + problem);
        conn.reset();
        lock.lock();
        --in_use_;
        ++counters_.closed_broken;
        raise_alert();
      }
    } else {
      w.slot = false;
      lock.unlock();
      std::string error;
      conn = open_one(deadline, error);
      if (conn) {
        const std::string problem = check_on_borrow(*conn, deadline, true);
        if (!problem.empty()) {
          error = "could not connect to " + factory_.target() + ": connected, but the new connection's " + problem;
          conn.reset();
        }
      }
      if (!conn) log(LogLevel::warning, "dbarch::handler: " + error);
      lock.lock();
      --opening_;
      if (conn) {
        connected(*conn);
        ++in_use_;
        if (closed_) {
          --in_use_;
          ++counters_.closed_shutdown;
          lock.unlock();
          conn.reset();
          throw PoolClosed("dbarch::handler: pool " + factory_.target() + " is shut down");
        }
      } else {
        connect_failed(error);
        if (Clock::now() >= deadline) {
          ++counters_.acquire_timeouts;
          pump();  // the slot is free again
          const std::string msg = timeout_message(timeout);
          lock.unlock();
          throw AcquireTimeout(msg);
        }
      }
    }
    if (conn) {
      ++counters_.acquired;
      if (waited) ++counters_.acquire_waits;
      lock.unlock();
      std::shared_ptr<Lease> lease;
      try {
        lease = std::make_shared<Lease>(shared_from_this(), std::move(conn), where, Clock::now());
      } catch (...) {
        conn.reset();
        lock.lock();
        --in_use_;
        ++counters_.closed_broken;
        pump();
        throw;
      }
      lock.lock();
      leases_.insert(lease.get());
      return lease;
    }
    // The borrowed connection was dead or the connect failed: back to the head of the queue.
    waiters_.push_front(&w);
    pump();
  }
}

void PoolCore::give_back(std::unique_ptr<Conn> conn, Lease* lease) noexcept {
  enum class Outcome { clean, rolled_back, broken, reset_failed } outcome = Outcome::clean;
  try {
    if (conn->broken || PQstatus(conn->pg) != CONNECTION_OK) {
      outcome = Outcome::broken;
    } else {
      switch (PQtransactionStatus(conn->pg)) {
        case PQTRANS_IDLE:
          break;
        case PQTRANS_INTRANS:
        case PQTRANS_INERROR: {
          const Reply r = round_trip(*conn, factory_, "ROLLBACK", nullptr,
                                     Clock::now() + config_.validation_timeout, milliseconds(0));
          outcome = !r.failed && PQtransactionStatus(conn->pg) == PQTRANS_IDLE ? Outcome::rolled_back
                                                                             : Outcome::reset_failed;
          break;
        }
        default:  // ACTIVE (a statement still running) or UNKNOWN: never hand it on
          outcome = Outcome::reset_failed;
          break;
      }
    }
  } catch (...) {
    outcome = Outcome::reset_failed;
  }
  const TimePoint now = Clock::now();
  const bool reusable = outcome == Outcome::clean || outcome == Outcome::rolled_back;
  const bool expired = reusable && now >= conn->expires;
  if (!reusable || expired) conn.reset();  // PQfinish before the slot is freed, outside the mutex

  bool close_now = false;
  {
    std::lock_guard lock(mu_);
    leases_.erase(lease);
    --in_use_;
    if (outcome == Outcome::rolled_back) ++counters_.rollbacks_on_return;
    if (outcome == Outcome::broken) ++counters_.closed_broken;
    if (outcome == Outcome::reset_failed) ++counters_.closed_reset_failed;
    if (!reusable) raise_alert();
    if (expired) ++counters_.closed_lifetime;
    if (conn && closed_) {
      ++counters_.closed_shutdown;
      close_now = true;
    } else if (conn) {
      conn->returned = now;
      idle_.push_back(std::move(conn));
    }
    pump();
  }
  if (close_now) conn.reset();
}

void PoolCore::housekeeper_loop() {
  std::unique_lock lock(mu_);
  while (!closed_) {
    housekeeper_cv_.wait_for(lock, housekeeping_period_, [this] { return closed_; });
    if (closed_) break;
    const TimePoint now = Clock::now();

    // Retire idle connections only; connections in use are retired when they come back.
    std::vector<std::unique_ptr<Conn>> doomed;
    for (auto it = idle_.begin(); it != idle_.end();) {
      Conn& c = **it;
      const bool too_old = now >= c.expires;
      const bool too_idle = config_.idle_timeout.count() > 0 && now - c.returned >= config_.idle_timeout &&
                            total() > config_.min_idle;
      if (too_old || too_idle) {
        ++(too_old ? counters_.closed_lifetime : counters_.closed_idle);
        doomed.push_back(std::move(*it));
        it = idle_.erase(it);
      } else {
        ++it;
      }
    }

    std::vector<std::string> leaks;
    if (config_.leak_detection_threshold.count() > 0) {
      for (Lease* l : leases_) {
        const auto held = now - l->acquired_at;
        if (l->leak_reported || held < config_.leak_detection_threshold) continue;
        l->leak_reported = true;
        ++counters_.leaks;
        leaks.push_back("dbarch::handler: possible session leak: a session acquired at " + site(l->where) +
                        " has been held for " + format_ms(std::chrono::duration_cast<milliseconds>(held)) +
                        " (leak_detection_threshold " + format_ms(config_.leak_detection_threshold) +
                        "); pool " + factory_.target() + ": " + describe_state(snapshot()));
      }
    }

    std::size_t to_open = 0;
    if (waiters_.empty()) {
      while (idle_.size() + opening_ + to_open < config_.min_idle && total() + to_open < config_.max_size &&
             now >= next_connect_) {
        ++to_open;
      }
    }
    opening_ += to_open;

    lock.unlock();
    doomed.clear();
    for (const auto& msg : leaks) log(LogLevel::warning, msg);
    for (std::size_t i = 0; i < to_open; ++i) {
      std::string error;
      auto conn = open_one(Clock::now() + factory_.connect_timeout(), error);
      if (!conn) log(LogLevel::warning, "dbarch::handler: warming up min_idle: " + error);
      lock.lock();
      --opening_;
      if (conn) {
        connected(*conn);
        if (closed_) {
          ++counters_.closed_shutdown;
        } else {
          idle_.push_back(std::move(conn));
          pump();
        }
      } else {
        connect_failed(error);
        opening_ -= to_open - i - 1;  // give the remaining reservations back
        to_open = i + 1;
      }
      lock.unlock();
      conn.reset();
    }
    lock.lock();
  }
}

Lease::~Lease() { pool_->give_back(std::move(conn_), this); }

}  // namespace detail

std::string describe_state(const PoolStats& s) {
  return "size=" + std::to_string(s.total) + "/" + std::to_string(s.max_size) +
         " in_use=" + std::to_string(s.in_use) + " idle=" + std::to_string(s.idle) +
         " opening=" + std::to_string(s.opening) + " waiters=" + std::to_string(s.waiters);
}

Pool::Pool(PoolConfig config) : core_(std::make_shared<detail::PoolCore>(std::move(config))) {
  core_->start();
  detail::log(LogLevel::debug, "dbarch::handler: pool created for " + core_->factory().target() +
                                   ", max_size " + std::to_string(core_->config().max_size));
}

Pool::~Pool() { shutdown(); }

PoolStats Pool::stats() const { return core_->stats(); }
const PoolConfig& Pool::config() const noexcept { return core_->config(); }
std::string Pool::target() const { return core_->factory().target(); }
void Pool::shutdown() noexcept { core_->shutdown(); }

Session get_session(Pool& pool, SourceLocation where) {
  return get_session(pool, pool.config().acquire_timeout, where);
}

Session get_session(Pool& pool, milliseconds timeout, SourceLocation where) {
  return detail::SessionAccess::make(pool.core_->acquire(timeout, where));
}

namespace {
std::atomic<Pool*> background{nullptr};
}

Pool& background_pool() {
  static Pool* pool = [] {
    auto* p = new Pool(PoolConfig::from_env());  // never deleted: sessions may outlive main()
    background.store(p);
    std::atexit([] {
      if (Pool* b = background.load()) b->shutdown();
    });
    return p;
  }();
  return *pool;
}

Session get_background_session(SourceLocation where) {
  Pool& pool = background_pool();
  return get_session(pool, pool.config().acquire_timeout, where);
}

Session get_background_session(milliseconds timeout, SourceLocation where) {
  return get_session(background_pool(), timeout, where);
}

}  // namespace dbarch::handler
