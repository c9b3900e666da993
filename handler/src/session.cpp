#include <string>
#include <vector>

#include "dbarch/handler/errors.hpp"
#include "dbarch/handler/session.hpp"
#include "internal.hpp"

namespace dbarch::handler {

namespace {

using detail::Clock;
using detail::Lease;
using detail::Reply;

std::string excerpt(std::string_view sql) {
  std::string s = detail::one_line(sql);
  if (s.size() > 200) s = s.substr(0, 200) + "...";
  return s;
}

detail::TimePoint statement_deadline(const PoolConfig& c) {
  return c.query_timeout.count() > 0 ? Clock::now() + c.query_timeout : detail::no_deadline;
}

[[noreturn]] void throw_reply(const Reply& r, std::string_view what, std::string_view sql) {
  std::string msg = "dbarch::handler: " + std::string(what) + " failed: " + r.message;
  if (!r.sqlstate.empty()) msg += " [SQLSTATE " + r.sqlstate + "]";
  if (!sql.empty()) msg += " in: " + excerpt(sql);
  if (r.timed_out) {
    throw QueryTimeout(msg + (r.lost ? " (query_timeout passed, no answer to the cancel; connection discarded)"
                                     : " (query_timeout passed, statement cancelled)"),
                       r.sqlstate.empty() ? "57014" : r.sqlstate);
  }
  if (r.lost) throw ConnectionLost(msg + " (connection lost and discarded)", r.sqlstate);
  throw QueryError(msg, r.sqlstate);
}

Lease& require(const std::shared_ptr<Lease>& lease, const char* what) {
  if (!lease) {
    throw UsageError(std::string("dbarch::handler: ") + what + " on an empty Session (moved from or released)");
  }
  return *lease;
}

void require_alive(const detail::Conn& conn) {
  if (conn.broken) {
    throw ConnectionLost("dbarch::handler: this session's connection was lost earlier; get a new session", "08003");
  }
}

Result run_statement(Lease& lease, std::string_view sql, const detail::ParamView& params) {
  detail::Conn& conn = lease.conn();
  require_alive(conn);
  const std::string text(sql);
  const PoolConfig& config = lease.pool().config();
  const Reply r = detail::round_trip(conn, lease.pool().factory(), text.c_str(), &params,
                                     statement_deadline(config), config.validation_timeout);
  if (r.failed) throw_reply(r, "statement", sql);
  return Result(r.result);
}

std::string set_local_ms(const char* name, milliseconds value) {
  return std::string("set_config('") + name + "', '" + std::to_string(value.count()) + "', true)";
}

std::string quote_literal(PGconn* pg, const std::string& text) {
  char* q = PQescapeLiteral(pg, text.c_str(), text.size());
  if (q == nullptr) throw UsageError("dbarch::handler: transaction setting is not valid text: " + detail::one_line(PQerrorMessage(pg)));
  std::string out(q);
  PQfreemem(q);
  return out;
}

// BEGIN and every setting in one simple-protocol message: one round trip, one server connection.
std::string begin_sql(PGconn* pg, const TransactionSettings& t, const PoolConfig& c) {
  std::string sql = "BEGIN";
  switch (t.isolation) {
    case IsolationLevel::server_default: break;
    case IsolationLevel::read_committed: sql += " ISOLATION LEVEL READ COMMITTED"; break;
    case IsolationLevel::repeatable_read: sql += " ISOLATION LEVEL REPEATABLE READ"; break;
    case IsolationLevel::serializable: sql += " ISOLATION LEVEL SERIALIZABLE"; break;
  }
  if (t.read_only) sql += " READ ONLY";
  std::vector<std::string> settings;
  const milliseconds statement_timeout = t.statement_timeout.value_or(c.statement_timeout);
  if (t.statement_timeout || statement_timeout.count() > 0) {
    settings.push_back(set_local_ms("statement_timeout", statement_timeout));
  }
  const milliseconds lock_timeout = t.lock_timeout.value_or(c.lock_timeout);
  if (t.lock_timeout || lock_timeout.count() > 0) settings.push_back(set_local_ms("lock_timeout", lock_timeout));
  if (t.idle_in_transaction_session_timeout) {
    settings.push_back(
        set_local_ms("idle_in_transaction_session_timeout", *t.idle_in_transaction_session_timeout));
  }
  for (const auto& [name, value] : t.settings) {
    settings.push_back("set_config(" + quote_literal(pg, name) + ", " + quote_literal(pg, value) + ", true)");
  }
  for (std::size_t i = 0; i < settings.size(); ++i) sql += (i == 0 ? "; SELECT " : ", ") + settings[i];
  return sql;
}

}  // namespace

Result Session::exec_params(std::string_view sql, const detail::ParamView& params) {
  return run_statement(require(lease_, "exec()"), sql, params);
}

Transaction Session::transaction(const TransactionSettings& settings) {
  Lease& lease = require(lease_, "transaction()");
  detail::Conn& conn = lease.conn();
  if (lease.in_transaction) throw UsageError("dbarch::handler: a transaction is already open on this session");
  require_alive(conn);
  if (PQtransactionStatus(conn.pg) != PQTRANS_IDLE) {
    throw UsageError("dbarch::handler: transaction() on a connection that is not idle (a BEGIN sent with exec()?)");
  }
  const PoolConfig& config = lease.pool().config();
  const std::string sql = begin_sql(conn.pg, settings, config);
  const Reply r = detail::round_trip(conn, lease.pool().factory(), sql.c_str(), nullptr,
                                     statement_deadline(config), config.validation_timeout);
  if (r.failed) {
    if (!conn.broken && PQtransactionStatus(conn.pg) != PQTRANS_IDLE) {
      detail::round_trip(conn, lease.pool().factory(), "ROLLBACK", nullptr,
                         Clock::now() + config.validation_timeout, milliseconds(0));
    }
    throw_reply(r, "BEGIN", sql);
  }
  lease.in_transaction = true;
  return Transaction(lease_);
}

bool Session::cancel() noexcept { return lease_ && lease_->conn().cancel(); }

Transaction::~Transaction() { finish(); }

Result Transaction::exec_params(std::string_view sql, const detail::ParamView& params) {
  if (!active()) throw UsageError("dbarch::handler: exec() on a transaction that has ended");
  return run_statement(*lease_, sql, params);
}

void Transaction::commit() {
  if (!active()) throw UsageError("dbarch::handler: commit() on a transaction that has ended");
  Lease& lease = *lease_;
  detail::Conn& conn = lease.conn();
  active_ = false;
  lease.in_transaction = false;
  const auto lease_keep = std::move(lease_);  // the connection goes back when the Session ends too
  if (conn.broken) {
    throw CommitFailed(
        "dbarch::handler: COMMIT not sent: the connection was lost earlier in this transaction, so the "
        "server rolled it back",
        "08003");
  }
  const PoolConfig& config = lease.pool().config();
  const Reply r = detail::round_trip(conn, lease.pool().factory(), "COMMIT", nullptr, statement_deadline(config),
                                     config.validation_timeout);
  if (r.failed) {
    if (r.lost) {
      conn.broken = true;
      throw CommitInDoubt("dbarch::handler: COMMIT sent but no answer came back (" + r.message +
                              "); the transaction may or may not have committed. Not retried.",
                          r.sqlstate);
    }
    throw CommitFailed("dbarch::handler: COMMIT failed, the transaction was rolled back: " + r.message +
                           (r.sqlstate.empty() ? "" : " [SQLSTATE " + r.sqlstate + "]"),
                       r.sqlstate);
  }
  if (r.result && std::string_view(PQcmdStatus(r.result.get())) == "ROLLBACK") {
    throw CommitFailed(
        "dbarch::handler: COMMIT rolled the transaction back because a statement in it had failed", "25P02");
  }
}

void Transaction::rollback() { finish(); }

void Transaction::finish() noexcept {
  if (!active()) return;
  Lease& lease = *lease_;
  detail::Conn& conn = lease.conn();
  active_ = false;
  lease.in_transaction = false;
  try {
    if (!conn.broken) {
      const PoolConfig& config = lease.pool().config();
      const Reply r = detail::round_trip(conn, lease.pool().factory(), "ROLLBACK", nullptr,
                                         Clock::now() + config.validation_timeout, milliseconds(0));
      if (r.failed) conn.broken = true;  // a lost connection rolls back too; never reuse it
    }
  } catch (...) {
    conn.broken = true;
  }
  lease_.reset();
}

}  // namespace dbarch::handler
