// One process-wide log sink. Default: lines of level info and above go to stderr.
#pragma once

#include <functional>
#include <string_view>

namespace dbarch::handler {

enum class LogLevel { debug, info, warning, error };

std::string_view to_string(LogLevel level) noexcept;

// Receives every log line of the handler. Called from any thread, never while a pool mutex is
// held; must not throw (exceptions are swallowed). Messages never contain a password.
using LogSink = std::function<void(LogLevel level, std::string_view message)>;

// Replaces the sink; an empty function restores the default (stderr, info and above).
void set_log_sink(LogSink sink);

}  // namespace dbarch::handler
