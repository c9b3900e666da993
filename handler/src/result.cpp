#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "dbarch/handler/errors.hpp"
#include "dbarch/handler/params.hpp"
#include "dbarch/handler/result.hpp"

namespace dbarch::handler {

namespace detail {

void encode_floating(double value, std::string& out) {
  if (std::isnan(value)) {
    out = "NaN";
  } else if (std::isinf(value)) {
    out = value > 0 ? "Infinity" : "-Infinity";
  } else {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, value);  // shortest text that reads back exactly
    out.assign(buf, r.ptr);
  }
}

void reject_nul(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    throw UsageError("dbarch::handler: a text parameter contains a NUL byte, which PostgreSQL text cannot hold");
  }
}

bool decode_bool(std::string_view text, bool& out) noexcept {
  if (text == "t" || text == "true") {
    out = true;
    return true;
  }
  if (text == "f" || text == "false") {
    out = false;
    return true;
  }
  return false;
}

bool decode_floating(std::string_view text, double& out) noexcept {
  if (text == "NaN") {
    out = std::nan("");
    return true;
  }
  if (text == "Infinity") {
    out = HUGE_VAL;
    return true;
  }
  if (text == "-Infinity") {
    out = -HUGE_VAL;
    return true;
  }
  auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc{} && r.ptr == text.data() + text.size();
}

namespace {
std::size_t find_column(const pg_result* res, std::string_view name) {
  const int n = res != nullptr ? PQnfields(res) : 0;
  for (int i = 0; i < n; ++i) {
    if (name == PQfname(res, i)) return static_cast<std::size_t>(i);
  }
  throw UsageError("dbarch::handler: the result has no column \"" + std::string(name) + "\"");
}
}  // namespace

}  // namespace detail

std::size_t Row::columns() const noexcept { return static_cast<std::size_t>(PQnfields(res_)); }

std::optional<std::string_view> Row::field(std::size_t column) const {
  if (column >= columns()) {
    throw UsageError("dbarch::handler: column index " + std::to_string(column) + " out of range (the result has " +
                     std::to_string(columns()) + " columns)");
  }
  const int r = static_cast<int>(row_);
  const int c = static_cast<int>(column);
  if (PQgetisnull(res_, r, c) != 0) return std::nullopt;
  return std::string_view(PQgetvalue(res_, r, c), static_cast<std::size_t>(PQgetlength(res_, r, c)));
}

std::size_t Row::column_index(std::string_view name) const { return detail::find_column(res_, name); }

void Row::fail(std::size_t column, const char* type, bool was_null) const {
  const std::string where = "column \"" + std::string(PQfname(res_, static_cast<int>(column))) + "\" of row " +
                            std::to_string(row_);
  if (was_null) {
    throw ResultError("dbarch::handler: " + where + " is NULL; read it as std::optional<" + type + ">");
  }
  throw ResultError("dbarch::handler: " + where + " (server type oid " +
                    std::to_string(PQftype(res_, static_cast<int>(column))) + ") cannot be read as " + type);
}

std::size_t Result::rows() const noexcept { return res_ ? static_cast<std::size_t>(PQntuples(res_.get())) : 0; }

std::size_t Result::columns() const noexcept {
  return res_ ? static_cast<std::size_t>(PQnfields(res_.get())) : 0;
}

std::string_view Result::column_name(std::size_t column) const {
  if (column >= columns()) throw UsageError("dbarch::handler: column index " + std::to_string(column) + " out of range");
  return PQfname(res_.get(), static_cast<int>(column));
}

std::size_t Result::column_index(std::string_view name) const { return detail::find_column(res_.get(), name); }

std::uint64_t Result::affected_rows() const noexcept {
  if (!res_) return 0;
  const std::string_view text = PQcmdTuples(res_.get());
  std::uint64_t n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

std::string_view Result::command_tag() const noexcept { return res_ ? PQcmdStatus(res_.get()) : ""; }

Row Result::row(std::size_t i) const {
  if (i >= rows()) {
    throw UsageError("dbarch::handler: row " + std::to_string(i) + " out of range (the result has " +
                     std::to_string(rows()) + " rows)");
  }
  return Row(res_.get(), i);
}

void Result::expect_single() const {
  if (rows() != 1 || columns() != 1) {
    throw UsageError("dbarch::handler: value() needs exactly one row and one column, the result has " +
                     std::to_string(rows()) + " rows and " + std::to_string(columns()) + " columns");
  }
}

}  // namespace dbarch::handler
