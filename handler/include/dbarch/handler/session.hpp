// Session: one borrowed connection (RAII, move-only, one thread at a time).
#pragma once

#include <memory>
#include <string_view>

#include "dbarch/handler/config.hpp"
#include "dbarch/handler/params.hpp"
#include "dbarch/handler/result.hpp"

namespace dbarch::handler {

namespace detail {
class Lease;
struct SessionAccess;
}  // namespace detail

class Transaction;

// A connection borrowed from a Pool. Destroying it (or release()) gives the connection back: an
// open transaction is rolled back first, a connection that is broken or cannot be cleaned is closed
// instead; a dirty connection is never handed on. Statements run with PQexecParams semantics only
// (one statement, $1..$n parameters, no named or prepared statements), so they are safe behind a
// transaction-mode pooler.
class Session {
 public:
  Session() = default;  // holds nothing; valid() is false
  Session(Session&&) noexcept = default;
  Session& operator=(Session&&) noexcept = default;
  ~Session() = default;

  // Runs one statement. Parameters: bool, integers, double, strings, std::optional<T>, std::nullopt.
  //   auto r = s.exec("SELECT name FROM users WHERE id = $1 AND active = $2", id, true);
  // Throws QueryError (with SQLSTATE), ConnectionLost, QueryTimeout, UsageError.
  template <class... P>
  Result exec(std::string_view sql, const P&... params) {
    const detail::ParamArray<sizeof...(P)> encoded(params...);
    return exec_params(sql, encoded.view());
  }

  // BEGIN plus the settings (SET LOCAL) in one round trip. The Transaction rolls back unless
  // commit() succeeds. One transaction at a time per session.
  Transaction transaction(const TransactionSettings& settings = {});

  // Asks the server to cancel the statement running on this session. Callable from another thread
  // while exec() runs; the statement then fails with QueryError SQLSTATE 57014. Returns whether the
  // cancel request was delivered.
  bool cancel() noexcept;

  bool valid() const noexcept { return lease_ != nullptr; }
  explicit operator bool() const noexcept { return valid(); }

  // Gives the connection back now (as the destructor would).
  void release() noexcept { lease_.reset(); }

 private:
  friend struct detail::SessionAccess;
  explicit Session(std::shared_ptr<detail::Lease> lease) noexcept : lease_(std::move(lease)) {}
  Result exec_params(std::string_view sql, const detail::ParamView& params);

  std::shared_ptr<detail::Lease> lease_;
};

// A transaction on a Session's connection, from Session::transaction(). It shares the connection
// with its Session: the connection goes back to the pool when both have ended, so destroying the
// Session first is safe (the transaction still rolls back unless committed).
class Transaction {
 public:
  Transaction(Transaction&&) noexcept = default;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();  // ROLLBACK unless committed or rolled back; never throws

  template <class... P>
  Result exec(std::string_view sql, const P&... params) {
    const detail::ParamArray<sizeof...(P)> encoded(params...);
    return exec_params(sql, encoded.view());
  }

  // COMMIT. Throws CommitFailed when the server rolled back instead (the outcome is known) and
  // CommitInDoubt when no answer came (the outcome is unknown; never retried by the handler).
  void commit();
  void rollback();
  bool active() const noexcept { return lease_ != nullptr && active_; }

 private:
  friend class Session;
  Transaction(std::shared_ptr<detail::Lease> lease) noexcept : lease_(std::move(lease)), active_(true) {}
  Result exec_params(std::string_view sql, const detail::ParamView& params);
  void finish() noexcept;

  std::shared_ptr<detail::Lease> lease_;
  bool active_ = false;
};

}  // namespace dbarch::handler
