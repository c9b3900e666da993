// Driver of bench/handler/run: N workers run the same short transaction for a fixed time, either
// with a new raw libpq connection per transaction (connect-per-task) or through the handler's pool.
//
//   bench_handler --mode connect|pool --dsn DSN [--pooler direct|transaction] [--workers 8]
//                 [--seconds 10] [--accounts 10000]
// Prints one line: mode=... workers=... transactions=... errors=... seconds=... tps=...
#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "dbarch/handler.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace h = dbarch::handler;

constexpr const char* kUpdate = "UPDATE bench_accounts SET balance = balance + $1 WHERE id = $2";
constexpr const char* kSelect = "SELECT balance FROM bench_accounts WHERE id = $1";

struct Options {
  std::string mode = "pool";
  std::string dsn;
  std::string pooler = "direct";
  int workers = 8;
  double seconds = 10;
  int accounts = 10000;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "bench_handler: %s\n", why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) usage(("missing value for " + a).c_str());
    const std::string v = argv[++i];
    if (a == "--mode") o.mode = v;
    else if (a == "--dsn") o.dsn = v;
    else if (a == "--pooler") o.pooler = v;
    else if (a == "--workers") o.workers = std::stoi(v);
    else if (a == "--seconds") o.seconds = std::stod(v);
    else if (a == "--accounts") o.accounts = std::stoi(v);
    else usage(("unknown option " + a).c_str());
  }
  if (o.dsn.empty()) usage("--dsn is required");
  if (o.mode != "connect" && o.mode != "pool") usage("--mode must be connect or pool");
  return o;
}

bool ok(PGresult* r) {
  const bool good = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  PQclear(r);
  return good;
}

// One transaction on a fresh raw connection, closed afterwards.
bool connect_per_task(const std::string& dsn, int id, int delta) {
  PGconn* c = PQconnectdb(dsn.c_str());
  bool good = PQstatus(c) == CONNECTION_OK;
  if (good) {
    const std::string d = std::to_string(delta), i = std::to_string(id);
    const char* upd[] = {d.c_str(), i.c_str()};
    const char* sel[] = {i.c_str()};
    good = ok(PQexec(c, "BEGIN")) && ok(PQexecParams(c, kUpdate, 2, nullptr, upd, nullptr, nullptr, 0)) &&
           ok(PQexecParams(c, kSelect, 1, nullptr, sel, nullptr, nullptr, 0)) && ok(PQexec(c, "COMMIT"));
  }
  PQfinish(c);
  return good;
}

// The same transaction with a session borrowed from the pool.
bool with_pool(h::Pool& pool, int id, int delta) {
  try {
    h::Session s = h::get_session(pool);
    h::Transaction tx = s.transaction();
    tx.exec(kUpdate, delta, id);
    tx.exec(kSelect, id);
    tx.commit();
    return true;
  } catch (const h::Error& e) {
    std::fprintf(stderr, "bench_handler: %s\n", e.what());
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::unique_ptr<h::Pool> pool;
  if (o.mode == "pool") {
    h::PoolConfig config;
    config.dsn = o.dsn;
    config.pooler = h::parse_pooler_mode(o.pooler);
    config.application_name = "bench-handler";
    config.max_size = static_cast<std::size_t>(o.workers);  // one connection per worker, like pgbench
    pool = std::make_unique<h::Pool>(config);
    // Open the connections before timing, as pgbench does.
    std::vector<h::Session> warm;
    for (int i = 0; i < o.workers; ++i) warm.push_back(h::get_session(*pool));
  }

  std::atomic<long> done{0}, errors{0};
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  std::vector<std::thread> workers;
  for (int w = 0; w < o.workers; ++w) {
    workers.emplace_back([&, w] {
      std::minstd_rand rng(static_cast<unsigned>(w + 1));
      std::uniform_int_distribution<int> account(1, o.accounts), delta(-5000, 5000);
      long mine = 0, bad = 0;
      while (Clock::now() < end) {
        const bool good = o.mode == "connect" ? connect_per_task(o.dsn, account(rng), delta(rng))
                                              : with_pool(*pool, account(rng), delta(rng));
        (good ? mine : bad)++;
      }
      done += mine;
      errors += bad;
    });
  }
  for (auto& t : workers) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("mode=%s workers=%d transactions=%ld errors=%ld seconds=%.2f tps=%.1f\n", o.mode.c_str(), o.workers,
              done.load(), errors.load(), elapsed, static_cast<double>(done.load()) / elapsed);
  return errors.load() == 0 ? 0 : 1;
}
