#include <dbarch/handler.hpp>

#include <cstdio>

int main() {
  dbarch::handler::PoolConfig config;
  config.dsn = "postgresql://app@127.0.0.1:1/app";
  config.acquire_timeout = std::chrono::milliseconds(100);
  dbarch::handler::Pool pool(config);
  try {
    auto session = dbarch::handler::get_session(pool);
    return 1;  // nothing listens on port 1
  } catch (const dbarch::handler::AcquireTimeout& e) {
    std::printf("consumer ok: %s\n", pool.target().c_str());
  }
  return 0;
}
