// Requirement 7: a DSN with a password never shows it, in logs or in errors.
#include <gtest/gtest.h>

#include "../support/pg_env.hpp"

using namespace dbarch::handler;
using namespace handler_test;
using namespace std::chrono_literals;

namespace {

std::string uri(const std::string& user, const std::string& password, int port) {
  return "postgresql://" + user + ":" + password + "@127.0.0.1:" + std::to_string(port) + "/postgres";
}

}  // namespace

TEST(Secrets, PasswordNeverInLogLinesOrErrorTexts) {
  const std::string pw = env().app_password;
  ASSERT_GE(pw.size(), 8u);
  LogCapture logs;
  std::vector<std::string> texts;  // every error text produced below

  PoolConfig kv;
  kv.dsn = "host=127.0.0.1 port=" + std::to_string(env().pg_port) + " dbname=postgres user=" + env().app_user +
           " password=" + pw;
  kv.pooler = PoolerMode::direct;
  kv.application_name = "secrets";
  {
    Pool pool(kv);  // scram-sha-256 authentication with the password
    Session s = get_session(pool);
    EXPECT_EQ(s.exec("SELECT current_user").value<std::string>(), env().app_user);
    texts.push_back(pool.target());
    // The server echoes a parameter that happens to be the password: scrubbed as well.
    try {
      s.exec("SELECT $1::int", pw);
    } catch (const QueryError& e) {
      texts.push_back(e.what());
      EXPECT_NE(texts.back().find("invalid input syntax for type integer"), std::string::npos) << texts.back();
    }
  }

  PoolConfig u = kv;
  u.dsn = uri(env().app_user, pw, env().pg_port);
  {
    Pool pool(u);
    Session s = get_session(pool);
    EXPECT_EQ(s.exec("SELECT current_user").value<std::string>(), env().app_user);
    texts.push_back(pool.target());
    EXPECT_NE(pool.target().find(":***@"), std::string::npos) << pool.target();
  }

  // Nothing listening: the connect error carries the masked DSN.
  PoolConfig nowhere = u;
  nowhere.dsn = uri(env().app_user, pw, closed_port());
  {
    Pool pool(nowhere);
    try {
      (void)get_session(pool, 300ms);
      ADD_FAILURE() << "connected to a closed port";
    } catch (const AcquireTimeout& e) {
      texts.push_back(e.what());
      EXPECT_NE(texts.back().find("postgresql://app_pw:***@127.0.0.1"), std::string::npos) << texts.back();
    }
    texts.push_back(pool.stats().last_connect_error);
  }

  // Wrong password (one the server refuses; it contains the real one).
  PoolConfig wrong = u;
  wrong.dsn = uri(env().app_user, pw + "-wrong", env().pg_port);
  {
    Pool pool(wrong);
    try {
      (void)get_session(pool, 500ms);
      ADD_FAILURE() << "logged in with a wrong password";
    } catch (const AcquireTimeout& e) {
      texts.push_back(e.what());
      EXPECT_NE(texts.back().find("password authentication failed"), std::string::npos) << texts.back();
    }
  }

  // A DSN that does not parse.
  PoolConfig broken = kv;
  broken.dsn += " no_such_option=1";
  try {
    Pool pool(broken);
    ADD_FAILURE() << "accepted an invalid DSN";
  } catch (const ConfigError& e) {
    texts.push_back(e.what());
  }
  texts.push_back(mask_dsn(kv.dsn));
  texts.push_back(mask_dsn(u.dsn));

  const auto lines = logs.lines();
  EXPECT_FALSE(lines.empty());  // the connect failures above were logged
  for (const auto& l : lines) EXPECT_EQ(l.find(pw), std::string::npos) << "log line shows the password: " << l;
  for (const auto& t : texts) EXPECT_EQ(t.find(pw), std::string::npos) << "text shows the password: " << t;
  EXPECT_GE(texts.size(), 9u);
}
