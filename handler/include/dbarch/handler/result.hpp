// Results: a shared, read-only PGresult with typed accessors. Values are the server's text format.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "dbarch/handler/errors.hpp"
#include "dbarch/handler/params.hpp"

struct pg_result;  // libpq's PGresult

namespace dbarch::handler {

namespace detail {

// Text-format decoders. Return false when the text is not a valid value of T.
bool decode_bool(std::string_view text, bool& out) noexcept;
bool decode_floating(std::string_view text, double& out) noexcept;

template <class T>
bool decode(std::string_view text, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    return decode_bool(text, out);
  } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, char>) {
    auto r = std::from_chars(text.data(), text.data() + text.size(), out);
    return r.ec == std::errc{} && r.ptr == text.data() + text.size();
  } else if constexpr (std::is_floating_point_v<T>) {
    double d = 0;
    if (!decode_floating(text, d)) return false;
    out = static_cast<T>(d);
    return true;
  } else if constexpr (std::is_same_v<T, std::string>) {
    out.assign(text);
    return true;
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    out = text;
    return true;
  } else {
    static_assert(dependent_false<T>,
                  "dbarch::handler: unsupported result type; use bool, integers, double, "
                  "std::string, std::string_view or std::optional<T>");
  }
}

template <class T>
constexpr const char* type_name() {
  if constexpr (std::is_same_v<T, bool>) return "bool";
  else if constexpr (std::is_integral_v<T>) return sizeof(T) <= 2 ? "int16" : sizeof(T) <= 4 ? "int32" : "int64";
  else if constexpr (std::is_floating_point_v<T>) return "double";
  else return "string";
}

}  // namespace detail

// One row of a Result. Valid while the Result it came from is alive.
class Row {
 public:
  // The value of a column by index or name. T = bool, integers, double, std::string,
  // std::string_view (points into the Result) or std::optional<T> (NULL -> nullopt).
  // Throws ResultError on NULL into a non-optional T or on text that is not a T.
  template <class T>
  T get(std::size_t column) const {
    const std::optional<std::string_view> text = field(column);
    if constexpr (detail::is_optional<T>::value) {
      if (!text) return std::nullopt;
      return T{convert<typename T::value_type>(column, *text)};
    } else {
      if (!text) fail(column, detail::type_name<T>(), true);
      return convert<T>(column, *text);
    }
  }
  template <class T>
  T get(std::string_view column) const {
    return get<T>(column_index(column));
  }

  bool is_null(std::size_t column) const { return !field(column).has_value(); }
  std::size_t index() const noexcept { return row_; }
  std::size_t columns() const noexcept;

 private:
  friend class Result;
  Row(const pg_result* res, std::size_t row) noexcept : res_(res), row_(row) {}

  template <class T>
  T convert(std::size_t column, std::string_view text) const {
    T out{};
    if (!detail::decode(text, out)) fail(column, detail::type_name<T>(), false);
    return out;
  }
  std::optional<std::string_view> field(std::size_t column) const;
  std::size_t column_index(std::string_view name) const;
  [[noreturn]] void fail(std::size_t column, const char* type, bool was_null) const;

  const pg_result* res_;
  std::size_t row_;
};

class Result {
 public:
  Result() = default;
  explicit Result(std::shared_ptr<pg_result> res) noexcept : res_(std::move(res)) {}

  std::size_t rows() const noexcept;
  std::size_t size() const noexcept { return rows(); }
  bool empty() const noexcept { return rows() == 0; }
  std::size_t columns() const noexcept;
  std::string_view column_name(std::size_t column) const;
  std::size_t column_index(std::string_view name) const;  // throws UsageError
  // Rows inserted/updated/deleted/selected/... as reported by the command tag (0 if none).
  std::uint64_t affected_rows() const noexcept;
  std::string_view command_tag() const noexcept;  // e.g. "INSERT 0 3"

  Row row(std::size_t i) const;  // throws UsageError when out of range
  Row operator[](std::size_t i) const { return row(i); }

  // The single value of a result with exactly one row and one column.
  template <class T>
  T value() const {
    expect_single();
    return row(0).get<T>(std::size_t{0});
  }

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Row;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Row;
    iterator() = default;
    Row operator*() const { return Row(res_, i_); }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    iterator operator++(int) {
      iterator t = *this;
      ++i_;
      return t;
    }
    bool operator==(const iterator& o) const noexcept { return i_ == o.i_ && res_ == o.res_; }

   private:
    friend class Result;
    iterator(const pg_result* r, std::size_t i) : res_(r), i_(i) {}
    const pg_result* res_ = nullptr;
    std::size_t i_ = 0;
  };
  iterator begin() const noexcept { return iterator(res_.get(), 0); }
  iterator end() const noexcept { return iterator(res_.get(), rows()); }

 private:
  void expect_single() const;
  std::shared_ptr<pg_result> res_;
};

}  // namespace dbarch::handler
