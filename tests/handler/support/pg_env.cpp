#include "pg_env.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#ifndef DBARCH_PGENV_SCRIPT
#error "DBARCH_PGENV_SCRIPT must point at tests/handler/pgenv"
#endif

namespace handler_test {

namespace {

PgEnv g_env;
bool g_loaded = false;

std::map<std::string, std::string> read_env_file(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

int run(const std::string& command) {
  const int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

// Starts the servers when the binary runs outside CTest; the fixture does it otherwise.
class PgEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    std::string state;
    if (const char* dir = std::getenv("DBARCH_TEST_PGENV"); dir != nullptr && *dir != '\0') {
      state = dir;
    } else {
      char tmpl[] = "/tmp/dbarch-handler-test.XXXXXX";
      if (mkdtemp(tmpl) == nullptr) fatal("mkdtemp failed");
      state = tmpl;
      owned_ = state;
      if (run(std::string(DBARCH_PGENV_SCRIPT) + " start " + state + " " + std::to_string(getpid())) != 0) {
        fatal("could not start PostgreSQL + PgBouncer with " DBARCH_PGENV_SCRIPT);
      }
    }
    auto vars = read_env_file(state + "/env");
    if (vars.empty()) {
      fatal("no server environment in " + state +
            "/env; run through ctest (fixture handler.pgenv.start) or unset DBARCH_TEST_PGENV");
    }
    g_env.state_dir = state;
    g_env.sockdir = vars["DBARCH_PG_SOCKDIR"];
    g_env.pg_port = std::atoi(vars["DBARCH_PG_PORT"].c_str());
    g_env.pgb_port = std::atoi(vars["DBARCH_PGB_PORT"].c_str());
    g_env.app_user = vars["DBARCH_PG_APP_USER"];
    g_env.app_password = vars["DBARCH_PG_APP_PASSWORD"];
    if (g_env.pg_port == 0 || g_env.pgb_port == 0) fatal("incomplete server environment in " + state + "/env");
    g_loaded = true;
  }
  void TearDown() override {
    if (!owned_.empty()) {
      run(std::string(DBARCH_PGENV_SCRIPT) + " stop " + owned_);
      run("rm -rf " + owned_);
    }
  }

 private:
  [[noreturn]] static void fatal(const std::string& why) {
    std::fprintf(stderr, "handler tests: %s\n", why.c_str());
    std::exit(2);
  }
  std::string owned_;
};

[[maybe_unused]] const auto* registered = ::testing::AddGlobalTestEnvironment(new PgEnvironment);

}  // namespace

const PgEnv& env() {
  if (!g_loaded) {
    std::fprintf(stderr, "handler tests: server environment used before it was set up\n");
    std::abort();
  }
  return g_env;
}

std::string PgEnv::direct_dsn(std::string_view application_name) const {
  return "host=" + host + " port=" + std::to_string(pg_port) + " dbname=postgres user=postgres application_name=" +
         std::string(application_name);
}

std::string PgEnv::bouncer_dsn(std::string_view db) const {
  return "postgresql://postgres@" + host + ":" + std::to_string(pgb_port) + "/" + std::string(db);
}

void PgEnv::restart_postgres() const {
  if (run(std::string(DBARCH_PGENV_SCRIPT) + " restart-pg " + state_dir) != 0) {
    throw std::runtime_error("pgenv restart-pg failed");
  }
}

dbarch::handler::PoolConfig direct_config(std::string application_name, std::size_t max_size) {
  dbarch::handler::PoolConfig c;
  c.dsn = "host=" + env().host + " port=" + std::to_string(env().pg_port) + " dbname=postgres user=postgres";
  c.pooler = dbarch::handler::PoolerMode::direct;
  c.application_name = std::move(application_name);
  c.max_size = max_size;
  c.acquire_timeout = 20s;
  c.leak_detection_threshold = 0ms;
  return c;
}

dbarch::handler::PoolConfig bouncer_config(std::string application_name, std::size_t max_size, std::string_view db) {
  dbarch::handler::PoolConfig c;
  c.dsn = env().bouncer_dsn(db);
  c.pooler = dbarch::handler::PoolerMode::transaction;
  c.application_name = std::move(application_name);
  c.max_size = max_size;
  c.acquire_timeout = 20s;
  c.leak_detection_threshold = 0ms;
  return c;
}

int closed_port() {
  // Bind an ephemeral port, note it, close it: nothing listens there afterwards.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("closed_port: bind failed");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

RawConn::RawConn(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {}
RawConn::~RawConn() { PQfinish(conn_); }
bool RawConn::ok() const { return PQstatus(conn_) == CONNECTION_OK; }
std::string RawConn::error() const { return PQerrorMessage(conn_); }

void RawConn::exec(const std::string& sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn_, sql.c_str()), &PQclear);
  const auto st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw std::runtime_error(sql + ": " + error());
}

std::string RawConn::scalar(const std::string& sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn_, sql.c_str()), &PQclear);
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) < 1) {
    throw std::runtime_error(sql + ": " + error());
  }
  return PQgetvalue(r.get(), 0, 0);
}

LogCapture::LogCapture() : state_(std::make_shared<State>()) {
  dbarch::handler::set_log_sink([s = state_](dbarch::handler::LogLevel level, std::string_view msg) {
    std::lock_guard lock(s->mu);
    s->lines.push_back(std::string(dbarch::handler::to_string(level)) + ": " + std::string(msg));
  });
}

LogCapture::~LogCapture() { dbarch::handler::set_log_sink(nullptr); }

std::vector<std::string> LogCapture::lines() const {
  std::lock_guard lock(state_->mu);
  return state_->lines;
}

std::size_t LogCapture::count(std::string_view needle) const {
  std::size_t n = 0;
  for (const auto& l : lines()) n += l.find(needle) != std::string::npos ? 1 : 0;
  return n;
}

bool outside_transaction(dbarch::handler::Session& session) {
  const auto first = session.exec("SELECT now()::text").value<std::string>();
  return session.exec("SELECT now()::text").value<std::string>() != first;
}

bool outside_transaction(RawConn& conn) {
  const std::string first = conn.scalar("SELECT now()::text");
  return conn.scalar("SELECT now()::text") != first;
}

bool wait_for_exit(const std::vector<int>& pids, std::chrono::milliseconds limit) {
  return wait_until(
      [&] {
        for (int pid : pids) {
          if (::kill(pid, 0) == 0 || errno != ESRCH) return false;
        }
        return true;
      },
      limit);
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(10ms);
  }
}

}  // namespace handler_test
