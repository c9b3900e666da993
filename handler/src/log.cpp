#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "internal.hpp"

namespace dbarch::handler {

namespace {

struct SinkSlot {
  std::mutex mu;
  std::shared_ptr<const LogSink> sink;
};

// Never destroyed: pools may log from atexit handlers and detached threads.
SinkSlot& slot() {
  static auto* s = new SinkSlot;
  return *s;
}

void default_sink(LogLevel level, std::string_view message) {
  if (level < LogLevel::info) return;
  std::string line = "dbarch-handler [";
  line += to_string(level);
  line += "] ";
  line += message;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
  }
  return "?";
}

void set_log_sink(LogSink sink) {
  auto next = sink ? std::make_shared<const LogSink>(std::move(sink)) : nullptr;
  std::lock_guard lock(slot().mu);
  slot().sink = std::move(next);
}

namespace detail {

void log(LogLevel level, std::string_view message) noexcept {
  try {
    std::shared_ptr<const LogSink> sink;
    {
      std::lock_guard lock(slot().mu);
      sink = slot().sink;
    }
    if (sink) {
      (*sink)(level, message);
    } else {
      default_sink(level, message);
    }
  } catch (...) {
    // A sink that throws loses its line; the handler keeps going.
  }
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string format_ms(milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

}  // namespace detail
}  // namespace dbarch::handler
