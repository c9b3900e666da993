// Every error the handler throws derives from dbarch::handler::Error. No message ever contains a
// password: connection strings are masked and libpq/server texts are scrubbed before they are used.
#pragma once

#include <stdexcept>
#include <string>

namespace dbarch::handler {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Invalid configuration: DSN, DBARCH_POOL_* variable, setting out of range.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// The API was used wrongly: moved-from session, nested transaction, unsupported value, bad column.
class UsageError : public Error {
 public:
  using Error::Error;
};

// No connection could be borrowed before the acquire timeout. what() names the pool state
// (size, in use, idle, opening, waiters) and the last connect error.
class AcquireTimeout : public Error {
 public:
  using Error::Error;
};

// The pool has been shut down.
class PoolClosed : public Error {
 public:
  using Error::Error;
};

// A value of a result could not be converted to the requested type (or was NULL).
class ResultError : public Error {
 public:
  using Error::Error;
};

// A statement failed. sqlstate() is the five-character SQLSTATE ("" when the server sent none).
class QueryError : public Error {
 public:
  QueryError(const std::string& message, std::string sqlstate)
      : Error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// The connection broke while the statement ran (server restart, terminated backend, network,
// pooler error: SQLSTATE class 08, 57P01-57P03, FATAL, or no answer). Outside a transaction the
// statement may or may not have taken effect. The connection has been discarded.
class ConnectionLost : public QueryError {
 public:
  using QueryError::QueryError;
};

// The client-side query_timeout expired. The handler sent a cancel request; if the server did not
// answer it within validation_timeout, the connection was discarded.
class QueryTimeout : public QueryError {
 public:
  using QueryError::QueryError;
};

// The server answered COMMIT with an error (deferred constraint, serialization failure, or an
// earlier statement of the transaction had failed): the transaction was rolled back, for certain.
class CommitFailed : public QueryError {
 public:
  using QueryError::QueryError;
};

// COMMIT was sent but no answer came back (connection lost, timeout, cancel): the transaction may
// or may not have committed. Deliberately not a QueryError, so that generic retry code does not
// catch it. The handler never retries; find out what happened before doing the work again.
class CommitInDoubt : public Error {
 public:
  CommitInDoubt(const std::string& message, std::string sqlstate)
      : Error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

}  // namespace dbarch::handler
