#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "dbarch/handler/errors.hpp"
#include "internal.hpp"

namespace dbarch::handler::detail {

namespace {

// Waits until the connection's socket is ready for `events` or `deadline` passes.
// Returns >0 ready, 0 timed out, <0 error.
int wait_socket(PGconn* pg, short events, TimePoint deadline) {
  const int fd = PQsocket(pg);
  if (fd < 0) return -1;
  for (;;) {
    int timeout_ms = -1;
    if (deadline != no_deadline) {
      const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
      timeout_ms = static_cast<int>(std::clamp<long long>(left, 0, 60'000));
    }
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 && deadline != no_deadline && Clock::now() < deadline) continue;  // clamped wait
    if (n == 0 && deadline == no_deadline) continue;
    return n;
  }
}

// Notices, and errors that arrive while no statement runs (libpq routes those here too: a
// backend terminated while idle says FATAL before it closes the socket).
void notice_receiver(void* arg, const PGresult* res) {
  auto* conn = static_cast<Conn*>(arg);
  const ConnectionFactory* factory = conn->factory;
  const char* sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
  const std::string_view severity = sev != nullptr ? sev : "NOTICE";
  if (severity == "FATAL" || severity == "PANIC") conn->broken = true;
  LogLevel level = LogLevel::debug;
  if (severity == "WARNING") level = LogLevel::warning;
  else if (severity == "NOTICE" || severity == "INFO" || severity == "ERROR" || severity == "FATAL" ||
           severity == "PANIC") level = LogLevel::info;
  log(level, "server says: " + factory->redact(one_line(PQresultErrorMessage(res))));
}

bool lost_sqlstate(std::string_view state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

}  // namespace

Conn::~Conn() {
  if (cancel_ != nullptr) PQfreeCancel(cancel_);
  if (pg != nullptr) PQfinish(pg);
}

bool Conn::cancel() noexcept {
  std::lock_guard lock(cancel_mu_);
  if (cancel_ == nullptr) return false;
  char err[256];
  return PQcancel(cancel_, err, sizeof err) == 1;
}

ConnectionFactory::ConnectionFactory(const PoolConfig& config)
    : secrets_(dsn_secrets(config.dsn)), connect_timeout_(config.connect_timeout) {
  config.validate();
  char* err = nullptr;
  ConninfoPtr opts(PQconninfoParse(config.dsn.c_str(), &err));
  if (err != nullptr) PQfreemem(err);
  if (!opts) throw ConfigError("dbarch::handler: invalid DSN \"" + mask_dsn(config.dsn) + "\"");

  for (PQconninfoOption* o = opts.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string_view key = o->keyword;
    if (key == "connect_timeout") {
      // The DSN wins; libpq ignores connect_timeout with the asynchronous API, so it is enforced here.
      const long seconds = std::strtol(o->val, nullptr, 10);
      if (seconds > 0) connect_timeout_ = std::chrono::seconds(seconds);
      continue;
    }
    keys_.emplace_back(key);
    values_.emplace_back(o->val);
  }
  auto add_default = [&](const char* key, std::string value) {
    if (std::find(keys_.begin(), keys_.end(), key) != keys_.end()) return;
    keys_.emplace_back(key);
    values_.push_back(std::move(value));
  };
  add_default("application_name", config.application_name);
  add_default("client_encoding", "UTF8");
  add_default("keepalives", "1");
  add_default("keepalives_idle", "30");
  add_default("keepalives_interval", "10");
  add_default("keepalives_count", "3");

  // Session-level defaults only where the server connection belongs to this client connection.
  if (config.pooler != PoolerMode::transaction) {
    if (config.statement_timeout.count() > 0) {
      session_setup_ += "SET statement_timeout = " + std::to_string(config.statement_timeout.count()) + ";";
    }
    if (config.lock_timeout.count() > 0) {
      session_setup_ += "SET lock_timeout = " + std::to_string(config.lock_timeout.count()) + ";";
    }
  }
  const std::string shown = config.dsn.empty() ? std::string("libpq defaults") : mask_dsn(config.dsn);
  target_ = "\"" + shown + "\" (pooler=" + std::string(to_string(config.pooler)) + ")";
}

std::string ConnectionFactory::redact(std::string_view text) const { return scrub(text, secrets_); }

DBARCH_HANDLER std::unique_ptr<Conn> ConnectionFactory::open(TimePoint deadline, std::string& error) const {
  std::vector<const char*> keys;
  std::vector<const char*> values;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    keys.push_back(keys_[i].c_str());
    values.push_back(values_[i].c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);

  auto conn = std::make_unique<Conn>();
  conn->pg = PQconnectStartParams(keys.data(), values.data(), /*expand_dbname=*/0);
  auto fail = [&](std::string_view why) {
    error = "could not connect to " + target_ + ": " + redact(one_line(why));
    return nullptr;
  };
  if (conn->pg == nullptr) return fail("out of memory");
  if (PQstatus(conn->pg) == CONNECTION_BAD) return fail(PQerrorMessage(conn->pg));

  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK) {
    if (state == PGRES_POLLING_FAILED) return fail(PQerrorMessage(conn->pg));
    const int ready = wait_socket(conn->pg, state == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline);
    if (ready == 0) return fail("no answer before the connect deadline (connect_timeout " + format_ms(connect_timeout_) + ")");
    if (ready < 0) return fail(std::string("poll: ") + std::strerror(errno));
    state = PQconnectPoll(conn->pg);
  }
  if (PQsetnonblocking(conn->pg, 1) != 0) return fail(PQerrorMessage(conn->pg));
  conn->factory = this;
  PQsetNoticeReceiver(conn->pg, &notice_receiver, conn.get());
  {
    std::lock_guard lock(conn->cancel_mu_);
    conn->cancel_ = PQgetCancel(conn->pg);
  }
  if (!session_setup_.empty()) {
    const Reply r = round_trip(*conn, *this, session_setup_.c_str(), nullptr, deadline, milliseconds(0));
    if (r.failed) return fail("session setup failed: " + r.message);
  }
  conn->created = Clock::now();
  conn->returned = conn->created;
  return conn;
}

Reply round_trip(Conn& conn, const ConnectionFactory& factory, const char* sql, const ParamView* params,
                 TimePoint deadline, milliseconds grace) {
  Reply out;
  PGconn* pg = conn.pg;
  auto give_up = [&](std::string why) {
    out.failed = true;
    out.lost = true;
    if (out.message.empty()) out.message = factory.redact(one_line(why));
    conn.broken = true;
    return out;
  };

  const int sent = params != nullptr
                       ? PQsendQueryParams(pg, sql, params->count, params->types, params->values, nullptr, nullptr, 0)
                       : PQsendQuery(pg, sql);
  if (sent == 0) {
    if (PQstatus(pg) == CONNECTION_BAD) return give_up(PQerrorMessage(pg));
    out.failed = true;
    out.message = factory.redact(one_line(PQerrorMessage(pg)));
    return out;
  }

  bool cancel_sent = false;
  TimePoint limit = deadline;
  // The deadline passed: first ask the server to cancel, then stop waiting.
  auto on_deadline = [&]() {
    out.timed_out = true;
    if (!cancel_sent && grace.count() > 0) {
      cancel_sent = true;
      conn.cancel();
      limit = Clock::now() + grace;
      return true;
    }
    return false;
  };

  for (;;) {
    const int f = PQflush(pg);
    if (f == 0) break;
    if (f < 0) return give_up(PQerrorMessage(pg));
    const int ready = wait_socket(pg, POLLIN | POLLOUT, limit);
    if (ready < 0) return give_up(std::string("poll: ") + std::strerror(errno));
    if (ready == 0) {
      if (!on_deadline()) return give_up("no answer before the deadline; connection given up");
      continue;
    }
    if (PQconsumeInput(pg) == 0) return give_up(PQerrorMessage(pg));
  }

  std::string severity;
  for (;;) {
    while (PQisBusy(pg) != 0) {
      const int ready = wait_socket(pg, POLLIN, limit);
      if (ready < 0) return give_up(std::string("poll: ") + std::strerror(errno));
      if (ready == 0) {
        if (!on_deadline()) return give_up("no answer before the deadline; connection given up");
        continue;
      }
      if (PQconsumeInput(pg) == 0) break;  // connection lost: PQgetResult reports it
    }
    PGresult* r = PQgetResult(pg);
    if (r == nullptr) break;
    const ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      PQclear(r);
      return give_up("COPY is not supported by dbarch::handler; the connection was discarded");
    }
    if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE || status == PGRES_NONFATAL_ERROR) {
      if (!out.failed) {
        out.failed = true;
        const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        out.sqlstate = state != nullptr ? state : "";
        const char* sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
        severity = sev != nullptr ? sev : "";
        const char* msg = PQresultErrorMessage(r);
        out.message = factory.redact(one_line(msg != nullptr && *msg != '\0' ? msg : PQerrorMessage(pg)));
      }
      PQclear(r);
      continue;
    }
    out.result.reset(r, &PQclear);
  }

  if (PQstatus(pg) == CONNECTION_BAD || PQtransactionStatus(pg) == PQTRANS_UNKNOWN ||
      (out.failed && (lost_sqlstate(out.sqlstate) || severity == "FATAL" || severity == "PANIC"))) {
    if (!out.failed) {
      out.failed = true;
      out.message = factory.redact(one_line(PQerrorMessage(pg)));
    }
    out.lost = true;
    conn.broken = true;
  }
  return out;
}

}  // namespace dbarch::handler::detail
