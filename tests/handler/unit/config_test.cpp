// Configuration parsing and DSN masking: no server needed.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "dbarch/handler.hpp"

using namespace dbarch::handler;
using namespace std::chrono_literals;

namespace {

std::string what_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "<no exception>";
}

}  // namespace

TEST(ParseDuration, UnitsAndBareMilliseconds) {
  EXPECT_EQ(parse_duration("250"), 250ms);
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("30s"), 30s);
  EXPECT_EQ(parse_duration("5m"), 5min);
  EXPECT_EQ(parse_duration("2h"), 2h);
  EXPECT_EQ(parse_duration("0"), 0ms);
}

TEST(ParseDuration, RejectsGarbage) {
  for (const char* bad : {"", "s", "-5s", "1.5s", "10 s", "10sec", "12x", "99999999999999h"}) {
    EXPECT_THROW(parse_duration(bad), ConfigError) << bad;
  }
}

TEST(PoolerMode, ParsesTheThreeModes) {
  EXPECT_EQ(parse_pooler_mode("transaction"), PoolerMode::transaction);
  EXPECT_EQ(parse_pooler_mode("session"), PoolerMode::session);
  EXPECT_EQ(parse_pooler_mode("direct"), PoolerMode::direct);
  EXPECT_THROW(parse_pooler_mode("Transaction"), ConfigError);
  EXPECT_EQ(to_string(PoolerMode::session), "session");
}

TEST(FromEnv, DefaultsAreSafe) {
  const PoolConfig c = PoolConfig::from_env({{"DATABASE_URL", "postgresql://app@db/app"}});
  EXPECT_EQ(c.dsn, "postgresql://app@db/app");
  EXPECT_EQ(c.pooler, PoolerMode::transaction);
  EXPECT_EQ(c.max_size, 10u);
  EXPECT_EQ(c.min_idle, 0u);
  EXPECT_EQ(c.acquire_timeout, 30s);
  EXPECT_EQ(c.connect_timeout, 10s);
  EXPECT_EQ(c.max_lifetime, 30min);
  EXPECT_EQ(c.idle_timeout, 10min);
  EXPECT_EQ(c.ping_after_idle, 1s);
  EXPECT_EQ(c.validation_timeout, 5s);
  EXPECT_EQ(c.leak_detection_threshold, 60s);
  EXPECT_EQ(c.statement_timeout, 0ms);
  EXPECT_EQ(c.lock_timeout, 0ms);
  EXPECT_EQ(c.query_timeout, 0ms);
  EXPECT_EQ(c.application_name, "dbarch-handler");
}

TEST(FromEnv, ReadsEverySetting) {
  const PoolConfig c = PoolConfig::from_env({
      {"DATABASE_URL", "host=db dbname=app"},
      {"DBARCH_POOL_POOLER", "session"},
      {"DBARCH_POOL_APPLICATION_NAME", "billing"},
      {"DBARCH_POOL_MAX_SIZE", "20"},
      {"DBARCH_POOL_MIN_IDLE", "2"},
      {"DBARCH_POOL_ACQUIRE_TIMEOUT", "2s"},
      {"DBARCH_POOL_CONNECT_TIMEOUT", "3s"},
      {"DBARCH_POOL_MAX_LIFETIME", "10m"},
      {"DBARCH_POOL_IDLE_TIMEOUT", "1m"},
      {"DBARCH_POOL_PING_AFTER_IDLE", "500ms"},
      {"DBARCH_POOL_VALIDATION_TIMEOUT", "1500"},
      {"DBARCH_POOL_LEAK_DETECTION_THRESHOLD", "0"},
      {"DBARCH_POOL_STATEMENT_TIMEOUT", "15s"},
      {"DBARCH_POOL_LOCK_TIMEOUT", "2s"},
      {"DBARCH_POOL_QUERY_TIMEOUT", "20s"},
      {"UNRELATED", "x"},
  });
  EXPECT_EQ(c.pooler, PoolerMode::session);
  EXPECT_EQ(c.application_name, "billing");
  EXPECT_EQ(c.max_size, 20u);
  EXPECT_EQ(c.min_idle, 2u);
  EXPECT_EQ(c.acquire_timeout, 2s);
  EXPECT_EQ(c.connect_timeout, 3s);
  EXPECT_EQ(c.max_lifetime, 10min);
  EXPECT_EQ(c.idle_timeout, 1min);
  EXPECT_EQ(c.ping_after_idle, 500ms);
  EXPECT_EQ(c.validation_timeout, 1500ms);
  EXPECT_EQ(c.leak_detection_threshold, 0ms);
  EXPECT_EQ(c.statement_timeout, 15s);
  EXPECT_EQ(c.lock_timeout, 2s);
  EXPECT_EQ(c.query_timeout, 20s);
}

TEST(FromEnv, ErrorsNameTheVariable) {
  EXPECT_NE(what_of([] { PoolConfig::from_env({}); }).find("DATABASE_URL is not set"), std::string::npos);
  const std::map<std::string, std::string> typo = {{"DATABASE_URL", "host=db"}, {"DBARCH_POOL_MAX_SIZ", "3"}};
  EXPECT_NE(what_of([&] { PoolConfig::from_env(typo); }).find("unknown setting DBARCH_POOL_MAX_SIZ"), std::string::npos);
  const std::map<std::string, std::string> bad = {{"DATABASE_URL", "host=db"}, {"DBARCH_POOL_MAX_SIZE", "ten"}};
  EXPECT_NE(what_of([&] { PoolConfig::from_env(bad); }).find("DBARCH_POOL_MAX_SIZE"), std::string::npos);
  const std::map<std::string, std::string> dur = {{"DATABASE_URL", "host=db"}, {"DBARCH_POOL_IDLE_TIMEOUT", "1d"}};
  EXPECT_NE(what_of([&] { PoolConfig::from_env(dur); }).find("DBARCH_POOL_IDLE_TIMEOUT"), std::string::npos);
}

TEST(Validate, RangesAreChecked) {
  PoolConfig c;
  c.dsn = "host=db";
  c.max_size = 0;
  EXPECT_THROW(c.validate(), ConfigError);
  c.max_size = 2;
  c.min_idle = 3;
  EXPECT_NE(what_of([&] { c.validate(); }).find("min_idle (3) must not exceed max_size (2)"), std::string::npos);
  c.min_idle = 0;
  c.acquire_timeout = 0ms;
  EXPECT_NE(what_of([&] { c.validate(); }).find("acquire_timeout"), std::string::npos);
  c.acquire_timeout = 1s;
  c.idle_timeout = -1ms;
  EXPECT_THROW(c.validate(), ConfigError);
  c.idle_timeout = 0ms;
  EXPECT_NO_THROW(c.validate());
}

TEST(Validate, OptionsStartupParameterOnlyInDirectMode) {
  PoolConfig c;
  c.dsn = "host=db dbname=app options='-c statement_timeout=50'";
  for (PoolerMode m : {PoolerMode::transaction, PoolerMode::session}) {
    c.pooler = m;
    const std::string msg = what_of([&] { c.validate(); });
    EXPECT_NE(msg.find("unsupported startup parameter: options"), std::string::npos) << msg;
  }
  c.pooler = PoolerMode::direct;
  EXPECT_NO_THROW(c.validate());
  c.pooler = PoolerMode::transaction;
  c.dsn = "postgresql://db/app?options=-c%20search_path%3Dx";
  EXPECT_THROW(c.validate(), ConfigError);
}

TEST(Validate, InvalidDsnIsReportedWithoutItsPassword) {
  PoolConfig c;
  c.dsn = "host=db password=Hunter2-secret nonsense_key=1";
  const std::string msg = what_of([&] { c.validate(); });
  EXPECT_NE(msg.find("invalid DSN"), std::string::npos) << msg;
  EXPECT_NE(msg.find("nonsense_key"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("Hunter2-secret"), std::string::npos) << msg;

  c.dsn = "postgresql://app:p%zzHunter2@db/app";  // bad percent-encoding inside the password
  const std::string uri_msg = what_of([&] { c.validate(); });
  EXPECT_NE(uri_msg.find("invalid DSN"), std::string::npos) << uri_msg;
  EXPECT_EQ(uri_msg.find("Hunter2"), std::string::npos) << uri_msg;
}

TEST(MaskDsn, UriPasswordsAreMasked) {
  EXPECT_EQ(mask_dsn("postgresql://app:s3cret@db:5432/app"), "postgresql://app:***@db:5432/app");
  EXPECT_EQ(mask_dsn("postgres://app:s3cret@db/app?sslmode=require&password=other"),
            "postgres://app:***@db/app?sslmode=require&password=***");
  EXPECT_EQ(mask_dsn("postgresql://app:p%40ss@h1:5432,h2:5433/app"), "postgresql://app:***@h1:5432,h2:5433/app");
  EXPECT_EQ(mask_dsn("postgresql://app@db/app"), "postgresql://app@db/app");
  EXPECT_EQ(mask_dsn("postgresql://db/app?sslpassword=k3y"), "postgresql://db/app?sslpassword=***");
  EXPECT_EQ(mask_dsn("postgresql://app:@db/app"), "postgresql://app:***@db/app");
}

TEST(MaskDsn, KeyValueIsRebuiltWithoutPasswords) {
  EXPECT_EQ(mask_dsn("host=db port=5432 user=app password=s3cret dbname=app"),
            "user=app dbname=app host=db port=5432");
  const std::string quoted = mask_dsn("host=db password='with space\\'s' application_name='my app'");
  EXPECT_EQ(quoted.find("with space"), std::string::npos) << quoted;
  EXPECT_NE(quoted.find("application_name='my app'"), std::string::npos) << quoted;
}

TEST(MaskDsn, UnparseableTextIsMaskedTextually) {
  EXPECT_EQ(mask_dsn("host=db password = s3cret bogus"), "host=db password = *** bogus");
  EXPECT_EQ(mask_dsn("password='a b c' host"), "password='***' host");
  EXPECT_EQ(mask_dsn("sslpassword=k3y broken"), "sslpassword=*** broken");
}

TEST(Pool, ConstructionIsLazyAndValidates) {
  PoolConfig c;
  c.dsn = "host=127.0.0.1 port=1 dbname=nothing";
  c.max_size = 0;
  EXPECT_THROW(Pool{c}, ConfigError);
  c.max_size = 2;
  Pool pool(c);  // no server there: constructing does not connect
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.total, 0u);
  EXPECT_EQ(s.created, 0u);
  EXPECT_EQ(pool.target(), "\"dbname=nothing host=127.0.0.1 port=1\" (pooler=transaction)");
}

TEST(Pool, UnreachableServerTimesOutWithTheLastConnectError) {
  PoolConfig c;
  c.dsn = "postgresql://app:Hunter2-secret@127.0.0.1:1/app";
  c.acquire_timeout = 300ms;
  set_log_sink([](LogLevel, std::string_view msg) {
    EXPECT_EQ(msg.find("Hunter2-secret"), std::string_view::npos) << msg;
  });
  Pool pool(c);
  try {
    (void)get_session(pool);
    ADD_FAILURE() << "acquired a session from a pool with no server";
  } catch (const AcquireTimeout& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("no connection available after 300 ms"), std::string::npos) << msg;
    EXPECT_NE(msg.find("size=0/10 in_use=0 idle=0 opening=0 waiters=0"), std::string::npos) << msg;
    EXPECT_NE(msg.find("last connect error: could not connect to \"postgresql://app:***@127.0.0.1:1/app\""),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("Connection refused"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("Hunter2-secret"), std::string::npos) << msg;
  }
  set_log_sink(nullptr);
  const PoolStats s = pool.stats();
  EXPECT_GE(s.connect_failures, 1u);
  EXPECT_EQ(s.acquire_timeouts, 1u);
  EXPECT_EQ(s.total, 0u);
}

TEST(Pool, ShutdownFailsLaterAcquisitions) {
  PoolConfig c;
  c.dsn = "host=127.0.0.1 port=1";
  Pool pool(c);
  pool.shutdown();
  EXPECT_THROW((void)get_session(pool, 50ms), PoolClosed);
}

TEST(Session, EmptySessionIsAUsageError) {
  Session s;
  EXPECT_FALSE(s.valid());
  EXPECT_THROW(s.exec("SELECT 1"), UsageError);
  EXPECT_THROW((void)s.transaction(), UsageError);
  EXPECT_FALSE(s.cancel());
}
