#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <memory>
#include <string>

#include "dbarch/handler/config.hpp"
#include "dbarch/handler/errors.hpp"
#include "internal.hpp"

extern char** environ;

namespace dbarch::handler {

namespace {

using detail::ConninfoPtr;

constexpr std::string_view env_prefix = "DBARCH_POOL_";

bool is_secret_key(std::string_view key) { return key == "password" || key == "sslpassword"; }

bool is_uri(std::string_view dsn) {
  return dsn.starts_with("postgresql://") || dsn.starts_with("postgres://");
}

// URI: user:secret@ in the authority, password=/sslpassword= in the query string.
// Calls `on_secret(begin, end)` for each secret's position in `uri`.
template <class F>
void find_uri_secrets(std::string_view uri, F on_secret) {
  const std::size_t start = uri.find("://") + 3;
  std::size_t auth_end = uri.find_first_of("/?#", start);
  if (auth_end == std::string_view::npos) auth_end = uri.size();
  const std::size_t at = uri.substr(0, auth_end).rfind('@');
  if (at != std::string_view::npos && at >= start) {
    const std::size_t colon = uri.find(':', start);
    if (colon != std::string_view::npos && colon < at) on_secret(colon + 1, at);
  }
  std::size_t q = uri.find('?', start);
  if (q == std::string_view::npos) return;
  std::size_t pos = q + 1;
  while (pos <= uri.size()) {
    std::size_t end = uri.find_first_of("&#", pos);
    if (end == std::string_view::npos) end = uri.size();
    const std::string_view param = uri.substr(pos, end - pos);
    const std::size_t eq = param.find('=');
    if (eq != std::string_view::npos && is_secret_key(param.substr(0, eq))) on_secret(pos + eq + 1, end);
    if (end >= uri.size() || uri[end] == '#') break;
    pos = end + 1;
  }
}

// key=value text that libpq could not parse: mask whatever follows a *password keyword.
template <class F>
void find_kv_secrets(std::string_view text, F on_secret) {
  std::size_t pos = 0;
  while ((pos = text.find("password", pos)) != std::string_view::npos) {
    std::size_t i = pos + 8;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size() || text[i] != '=') {
      pos = i;
      continue;
    }
    ++i;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t begin = i;
    if (i < text.size() && text[i] == '\'') {
      begin = ++i;
      while (i < text.size() && text[i] != '\'') i += text[i] == '\\' ? 2 : 1;
      i = std::min(i, text.size());
    } else {
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    }
    on_secret(begin, i);
    pos = i;
  }
}

std::string replace_ranges(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>> ranges) {
  std::sort(ranges.begin(), ranges.end());
  std::string out;
  std::size_t pos = 0;
  for (auto [b, e] : ranges) {
    if (b < pos) continue;
    out.append(text.substr(pos, b - pos));
    out += "***";
    pos = e;
  }
  out.append(text.substr(pos));
  return out;
}

std::string quote_conninfo_value(std::string_view v) {
  const bool plain = !v.empty() && v.find_first_of(" \t\n'\\") == std::string_view::npos;
  if (plain) return std::string(v);
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::size_t parse_count(std::string_view name, std::string_view text) {
  std::size_t value = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size()) {
    throw ConfigError("dbarch::handler: " + std::string(name) + "=\"" + std::string(text) +
                      "\" is not a non-negative integer");
  }
  return value;
}

milliseconds parse_named_duration(std::string_view name, std::string_view text) {
  try {
    return parse_duration(text);
  } catch (const ConfigError& e) {
    throw ConfigError("dbarch::handler: " + std::string(name) + ": " + e.what());
  }
}

}  // namespace

std::string_view to_string(PoolerMode mode) noexcept {
  switch (mode) {
    case PoolerMode::transaction: return "transaction";
    case PoolerMode::session: return "session";
    case PoolerMode::direct: return "direct";
  }
  return "?";
}

PoolerMode parse_pooler_mode(std::string_view text) {
  if (text == "transaction") return PoolerMode::transaction;
  if (text == "session") return PoolerMode::session;
  if (text == "direct") return PoolerMode::direct;
  throw ConfigError("dbarch::handler: pooler mode \"" + std::string(text) +
                    "\" is not one of transaction, session, direct");
}

milliseconds parse_duration(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  const std::string_view digits = text.substr(0, i);
  const std::string_view unit = text.substr(i);
  long long n = 0;
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || r.ec != std::errc{}) {
    throw ConfigError("duration \"" + std::string(text) +
                      "\" is not a number with an optional unit (ms, s, m, h; default ms)");
  }
  long long factor = 0;
  if (unit.empty() || unit == "ms") factor = 1;
  else if (unit == "s") factor = 1000;
  else if (unit == "m" || unit == "min") factor = 60'000;
  else if (unit == "h") factor = 3'600'000;
  else throw ConfigError("duration \"" + std::string(text) + "\" has an unknown unit (use ms, s, m or h)");
  if (n > (1LL << 40) / factor) throw ConfigError("duration \"" + std::string(text) + "\" is too large");
  return milliseconds(n * factor);
}

std::string mask_dsn(std::string_view dsn) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  auto add = [&](std::size_t b, std::size_t e) { ranges.emplace_back(b, e); };
  if (is_uri(dsn)) {
    find_uri_secrets(dsn, add);
    return detail::scrub(replace_ranges(dsn, ranges), detail::dsn_secrets(dsn));
  }
  char* err = nullptr;
  ConninfoPtr opts(PQconninfoParse(std::string(dsn).c_str(), &err));
  if (err != nullptr) PQfreemem(err);
  if (!opts) {
    find_kv_secrets(dsn, add);
    return replace_ranges(dsn, ranges);
  }
  std::string out;
  for (PQconninfoOption* o = opts.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr || is_secret_key(o->keyword)) continue;
    if (!out.empty()) out += ' ';
    out += o->keyword;
    out += '=';
    out += quote_conninfo_value(o->val);
  }
  return out;
}

namespace detail {

std::vector<std::string> dsn_secrets(std::string_view dsn) {
  std::vector<std::string> secrets;
  auto add = [&](std::size_t b, std::size_t e) {
    if (e > b) secrets.emplace_back(dsn.substr(b, e - b));
  };
  if (is_uri(dsn)) find_uri_secrets(dsn, add);
  else find_kv_secrets(dsn, add);
  char* err = nullptr;
  ConninfoPtr opts(PQconninfoParse(std::string(dsn).c_str(), &err));
  if (err != nullptr) PQfreemem(err);
  if (opts) {
    for (PQconninfoOption* o = opts.get(); o->keyword != nullptr; ++o) {
      if (o->val != nullptr && *o->val != '\0' && is_secret_key(o->keyword)) secrets.emplace_back(o->val);
    }
  }
  // Longest first, so that a secret containing another is replaced whole.
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
  return secrets;
}

std::string scrub(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out(text);
  for (const auto& s : secrets) {
    if (s.empty()) continue;
    std::size_t pos = 0;
    while ((pos = out.find(s, pos)) != std::string::npos) {
      out.replace(pos, s.size(), "***");
      pos += 3;
    }
  }
  return out;
}

}  // namespace detail

PoolConfig PoolConfig::from_env() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = entry.substr(0, eq);
    if (key == "DATABASE_URL" || key.starts_with(env_prefix)) env.emplace(key, entry.substr(eq + 1));
  }
  return from_env(env);
}

PoolConfig PoolConfig::from_env(const std::map<std::string, std::string>& environment) {
  PoolConfig c;
  auto url = environment.find("DATABASE_URL");
  if (url == environment.end() || url->second.empty()) {
    throw ConfigError(
        "dbarch::handler: DATABASE_URL is not set; the background pool needs a libpq URI "
        "(postgresql://user@host:5432/dbname) or a key=value connection string");
  }
  c.dsn = url->second;
  for (const auto& [key, value] : environment) {
    if (!std::string_view(key).starts_with(env_prefix)) continue;
    const std::string_view name = std::string_view(key).substr(env_prefix.size());
    if (name == "POOLER") c.pooler = parse_pooler_mode(value);
    else if (name == "APPLICATION_NAME") c.application_name = value;
    else if (name == "MAX_SIZE") c.max_size = parse_count(key, value);
    else if (name == "MIN_IDLE") c.min_idle = parse_count(key, value);
    else if (name == "ACQUIRE_TIMEOUT") c.acquire_timeout = parse_named_duration(key, value);
    else if (name == "CONNECT_TIMEOUT") c.connect_timeout = parse_named_duration(key, value);
    else if (name == "MAX_LIFETIME") c.max_lifetime = parse_named_duration(key, value);
    else if (name == "IDLE_TIMEOUT") c.idle_timeout = parse_named_duration(key, value);
    else if (name == "PING_AFTER_IDLE") c.ping_after_idle = parse_named_duration(key, value);
    else if (name == "VALIDATION_TIMEOUT") c.validation_timeout = parse_named_duration(key, value);
    else if (name == "LEAK_DETECTION_THRESHOLD") c.leak_detection_threshold = parse_named_duration(key, value);
    else if (name == "STATEMENT_TIMEOUT") c.statement_timeout = parse_named_duration(key, value);
    else if (name == "LOCK_TIMEOUT") c.lock_timeout = parse_named_duration(key, value);
    else if (name == "QUERY_TIMEOUT") c.query_timeout = parse_named_duration(key, value);
    else {
      throw ConfigError("dbarch::handler: unknown setting " + key +
                        " (known: POOLER, APPLICATION_NAME, MAX_SIZE, MIN_IDLE, ACQUIRE_TIMEOUT, "
                        "CONNECT_TIMEOUT, MAX_LIFETIME, IDLE_TIMEOUT, PING_AFTER_IDLE, "
                        "VALIDATION_TIMEOUT, LEAK_DETECTION_THRESHOLD, STATEMENT_TIMEOUT, "
                        "LOCK_TIMEOUT, QUERY_TIMEOUT, each prefixed with DBARCH_POOL_)");
    }
  }
  c.validate();
  return c;
}

void PoolConfig::validate() const {
  auto fail = [](const std::string& what) { throw ConfigError("dbarch::handler: " + what); };
  if (max_size < 1) fail("max_size must be at least 1");
  if (min_idle > max_size) {
    fail("min_idle (" + std::to_string(min_idle) + ") must not exceed max_size (" + std::to_string(max_size) + ")");
  }
  const std::pair<const char*, milliseconds> positive[] = {
      {"acquire_timeout", acquire_timeout},
      {"connect_timeout", connect_timeout},
      {"validation_timeout", validation_timeout},
  };
  for (auto [name, v] : positive) {
    if (v.count() <= 0) fail(std::string(name) + " must be greater than 0");
  }
  const std::pair<const char*, milliseconds> non_negative[] = {
      {"max_lifetime", max_lifetime},       {"idle_timeout", idle_timeout},
      {"ping_after_idle", ping_after_idle}, {"leak_detection_threshold", leak_detection_threshold},
      {"statement_timeout", statement_timeout}, {"lock_timeout", lock_timeout},
      {"query_timeout", query_timeout},
  };
  for (auto [name, v] : non_negative) {
    if (v.count() < 0) fail(std::string(name) + " must not be negative");
  }
  if (application_name.size() >= 64) fail("application_name must be shorter than 64 bytes");

  const std::vector<std::string> secrets = detail::dsn_secrets(dsn);
  char* err = nullptr;
  ConninfoPtr opts(PQconninfoParse(dsn.c_str(), &err));
  if (!opts) {
    std::string why = err != nullptr ? detail::one_line(err) : "out of memory";
    if (err != nullptr) PQfreemem(err);
    fail("invalid DSN \"" + mask_dsn(dsn) + "\": " + detail::scrub(why, secrets));
  }
  for (PQconninfoOption* o = opts.get(); o->keyword != nullptr; ++o) {
    if (o->val != nullptr && std::string_view(o->keyword) == "options" && pooler != PoolerMode::direct) {
      fail("the DSN sets `options`, which a pooler refuses (PgBouncer: \"unsupported startup parameter: "
           "options\") and which would leak settings between clients; with pooler=" +
           std::string(to_string(pooler)) +
           " use the statement_timeout/lock_timeout settings or TransactionSettings instead, or set "
           "pooler=direct when connecting to PostgreSQL itself");
    }
  }
}

}  // namespace dbarch::handler
