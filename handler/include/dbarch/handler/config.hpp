// Pool settings: few, named like HikariCP's, safe defaults. Read from code or from the environment.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dbarch::handler {

using std::chrono::milliseconds;

// What sits between the application and PostgreSQL. Decides where settings may live.
enum class PoolerMode {
  // A transaction-mode pooler (PgBouncer pool_mode=transaction): every transaction may run on a
  // different server connection. No session state is ever created: the `options` startup
  // parameter is refused (PgBouncer: "unsupported startup parameter: options"), statement_timeout
  // and lock_timeout are applied with SET LOCAL inside each transaction() only.
  transaction,
  // A session-mode pooler: one server connection per client connection, reset when the client
  // leaves. `options` is still refused (PgBouncer rejects it in every mode); statement_timeout and
  // lock_timeout are also SET once per connection, so they cover exec() outside transactions.
  session,
  // PostgreSQL itself. Like session, and a DSN may carry `options`.
  direct,
};

std::string_view to_string(PoolerMode mode) noexcept;
PoolerMode parse_pooler_mode(std::string_view text);  // throws ConfigError

enum class IsolationLevel { server_default, read_committed, repeatable_read, serializable };

// Per-transaction settings, applied with set_config(name, value, true) (= SET LOCAL) in the same
// round trip as BEGIN: they end with the transaction and never leak through a pooler.
struct TransactionSettings {
  std::optional<milliseconds> statement_timeout;  // unset: the pool's statement_timeout
  std::optional<milliseconds> lock_timeout;       // unset: the pool's lock_timeout
  std::optional<milliseconds> idle_in_transaction_session_timeout;  // unset: server default
  IsolationLevel isolation = IsolationLevel::server_default;
  bool read_only = false;
  // Any other run-time parameter, e.g. {"search_path", "app"} or {"app.tenant", "42"}.
  std::vector<std::pair<std::string, std::string>> settings;
};

struct PoolConfig {
  // libpq URI (postgresql://user@host:5432/db?sslmode=require) or key=value conninfo.
  // Parameters written in the DSN win; the settings below fill in what it leaves out.
  std::string dsn;
  PoolerMode pooler = PoolerMode::transaction;
  std::string application_name = "dbarch-handler";

  std::size_t max_size = 10;  // connections, open or opening
  std::size_t min_idle = 0;   // kept open and idle by the housekeeper (0: no warm-up)

  milliseconds acquire_timeout{30'000};    // get_session() waits at most this long
  milliseconds connect_timeout{10'000};    // one connection attempt (client-side deadline)
  milliseconds max_lifetime{1'800'000};    // idle connections older than this are closed (-2.5% jitter); 0: never
  milliseconds idle_timeout{600'000};      // idle longer than this and above min_idle: closed; 0: never
  milliseconds ping_after_idle{1'000};     // borrowing a connection idle this long pings it first
  milliseconds validation_timeout{5'000};  // deadline of that ping, and of ROLLBACK on return
  milliseconds leak_detection_threshold{60'000};  // held longer: one warning with the call site; 0: off
  milliseconds statement_timeout{0};       // server-side, per transaction (see PoolerMode); 0: server default
  milliseconds lock_timeout{0};            // server-side, per transaction (see PoolerMode); 0: server default
  milliseconds query_timeout{0};           // client-side deadline per statement, then cancel; 0: none

  // DATABASE_URL plus DBARCH_POOL_* (see README). Unknown DBARCH_POOL_* names are an error.
  static PoolConfig from_env();
  // The same from an explicit set of variables (tests, embedding).
  static PoolConfig from_env(const std::map<std::string, std::string>& environment);

  void validate() const;  // throws ConfigError naming the setting
};

// Parses "250ms", "30s", "5m", "1h"; a bare integer means milliseconds. Throws ConfigError.
milliseconds parse_duration(std::string_view text);

// A printable form of a DSN without any password: URIs keep their shape with user:***@ and
// password=*** in the query string; key=value strings are rebuilt without password/sslpassword.
std::string mask_dsn(std::string_view dsn);

}  // namespace dbarch::handler
