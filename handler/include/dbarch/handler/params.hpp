// Encoding of typed C++ values into $n parameters (text format, with a type OID for numbers and
// booleans so that `$1 + 1` works; strings go as "unknown" and the server infers their type).
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "dbarch/handler/errors.hpp"

namespace dbarch::handler::detail {

inline constexpr unsigned oid_unknown = 0;
inline constexpr unsigned oid_bool = 16;
inline constexpr unsigned oid_int8 = 20;
inline constexpr unsigned oid_int2 = 21;
inline constexpr unsigned oid_int4 = 23;
inline constexpr unsigned oid_float4 = 700;
inline constexpr unsigned oid_float8 = 701;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class>
inline constexpr bool dependent_false = false;

template <class T>
constexpr unsigned param_oid() {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<U, bool>) {
    return oid_bool;
  } else if constexpr (std::is_integral_v<U>) {
    return sizeof(U) <= 2 && std::is_signed_v<U> ? oid_int2
           : sizeof(U) <= 4 && std::is_signed_v<U> ? oid_int4
                                                   : oid_int8;
  } else if constexpr (std::is_same_v<U, float>) {
    return oid_float4;
  } else if constexpr (std::is_floating_point_v<U>) {
    return oid_float8;
  } else {
    return oid_unknown;
  }
}

struct ParamSlot {
  std::string text;             // owned text, when the value is not already a C string
  const char* value = nullptr;  // what libpq gets; nullptr is SQL NULL
  unsigned oid = oid_unknown;
};

struct ParamView {
  int count = 0;
  const char* const* values = nullptr;
  const unsigned* types = nullptr;
};

void encode_floating(double value, std::string& out);
void reject_nul(std::string_view text);  // text parameters cannot carry NUL bytes

template <class T>
void encode(const T& v, ParamSlot& s) {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<U, std::nullopt_t>) {
    s.value = nullptr;
  } else if constexpr (is_optional<U>::value) {
    if (v) {
      encode(*v, s);
    } else {
      s.value = nullptr;
      s.oid = param_oid<typename U::value_type>();
    }
  } else if constexpr (std::is_same_v<U, bool>) {
    s.value = v ? "t" : "f";
    s.oid = oid_bool;
  } else if constexpr (std::is_same_v<U, char> || std::is_same_v<U, signed char> ||
                       std::is_same_v<U, unsigned char> || std::is_same_v<U, char8_t>) {
    static_assert(dependent_false<U>, "dbarch::handler: pass characters as std::string_view");
  } else if constexpr (std::is_integral_v<U>) {
    static_assert(sizeof(U) <= 8 && (std::is_signed_v<U> || sizeof(U) < 8),
                  "dbarch::handler: 64-bit unsigned integers have no PostgreSQL type");
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    s.text.assign(buf, r.ptr);
    s.value = s.text.c_str();
    s.oid = param_oid<U>();
  } else if constexpr (std::is_floating_point_v<U>) {
    encode_floating(static_cast<double>(v), s.text);
    s.value = s.text.c_str();
    s.oid = param_oid<U>();
  } else if constexpr (std::is_same_v<U, std::string>) {
    reject_nul(v);
    s.value = v.c_str();  // the argument outlives the call
  } else if constexpr (std::is_same_v<U, const char*> || std::is_same_v<U, char*>) {
    if (v == nullptr) throw UsageError("dbarch::handler: null char* parameter; pass std::nullopt for SQL NULL");
    s.value = v;
  } else if constexpr (std::is_convertible_v<const U&, std::string_view>) {
    const std::string_view sv(v);
    reject_nul(sv);
    s.text.assign(sv);
    s.value = s.text.c_str();
  } else {
    static_assert(dependent_false<U>,
                  "dbarch::handler: unsupported parameter type; use bool, integers, double, "
                  "strings, std::optional<T> or std::nullopt");
  }
}

template <std::size_t N>
class ParamArray {
 public:
  template <class... P>
  explicit ParamArray(const P&... params) {
    std::size_t i = 0;
    (encode(params, slots_[i++]), ...);
    for (std::size_t k = 0; k < N; ++k) {
      values_[k] = slots_[k].value;
      types_[k] = slots_[k].oid;
    }
  }
  ParamArray(const ParamArray&) = delete;
  ParamArray& operator=(const ParamArray&) = delete;

  ParamView view() const noexcept { return {static_cast<int>(N), values_.data(), types_.data()}; }

 private:
  std::array<ParamSlot, N> slots_{};
  std::array<const char*, N> values_{};
  std::array<unsigned, N> types_{};
};

}  // namespace dbarch::handler::detail
