// Parameter encoding and result decoding: no server needed.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "dbarch/handler.hpp"

using namespace dbarch::handler;
using dbarch::handler::detail::ParamArray;

TEST(Params, TypedValuesGetTextAndOids) {
  const std::string s = "text";
  const std::string_view sv = "view";
  const ParamArray<8> p(42, std::int64_t{1} << 40, 2.5, true, s, sv, std::optional<int>{}, std::nullopt);
  const auto v = p.view();
  ASSERT_EQ(v.count, 8);
  EXPECT_STREQ(v.values[0], "42");
  EXPECT_EQ(v.types[0], 23u);  // int4
  EXPECT_STREQ(v.values[1], "1099511627776");
  EXPECT_EQ(v.types[1], 20u);  // int8
  EXPECT_STREQ(v.values[2], "2.5");
  EXPECT_EQ(v.types[2], 701u);  // float8
  EXPECT_STREQ(v.values[3], "t");
  EXPECT_EQ(v.types[3], 16u);  // bool
  EXPECT_EQ(v.values[4], s.c_str());  // no copy for std::string
  EXPECT_EQ(v.types[4], 0u);          // unknown: the server infers
  EXPECT_STREQ(v.values[5], "view");
  EXPECT_EQ(v.values[6], nullptr);  // NULL
  EXPECT_EQ(v.types[6], 23u);
  EXPECT_EQ(v.values[7], nullptr);
}

TEST(Params, FloatingPointRoundTripsAndSpecials) {
  const ParamArray<4> p(0.1, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                        std::nan(""));
  EXPECT_STREQ(p.view().values[0], "0.1");
  EXPECT_STREQ(p.view().values[1], "Infinity");
  EXPECT_STREQ(p.view().values[2], "-Infinity");
  EXPECT_STREQ(p.view().values[3], "NaN");
}

TEST(Params, SmallAndUnsignedIntegers) {
  const ParamArray<3> p(std::int16_t{-7}, std::uint32_t{4000000000u}, std::optional<std::int64_t>{5});
  EXPECT_EQ(p.view().types[0], 21u);
  EXPECT_STREQ(p.view().values[1], "4000000000");
  EXPECT_EQ(p.view().types[1], 20u);
  EXPECT_STREQ(p.view().values[2], "5");
}

TEST(Params, NulBytesAndNullPointersAreRejected) {
  const std::string with_nul("a\0b", 3);
  EXPECT_THROW(ParamArray<1>{with_nul}, UsageError);
  const char* null_text = nullptr;
  EXPECT_THROW(ParamArray<1>{null_text}, UsageError);
}

TEST(Decode, TextFormats) {
  using dbarch::handler::detail::decode;
  bool b = false;
  EXPECT_TRUE(decode("t", b));
  EXPECT_TRUE(b);
  EXPECT_FALSE(decode("yes", b));
  int i = 0;
  EXPECT_TRUE(decode("-12", i));
  EXPECT_EQ(i, -12);
  EXPECT_FALSE(decode("12abc", i));
  EXPECT_FALSE(decode("99999999999", i));  // out of range for int
  std::int64_t big = 0;
  EXPECT_TRUE(decode("99999999999", big));
  double d = 0;
  EXPECT_TRUE(decode("1e-3", d));
  EXPECT_DOUBLE_EQ(d, 0.001);
  EXPECT_TRUE(decode("-Infinity", d));
  EXPECT_TRUE(std::isinf(d));
  std::string s;
  EXPECT_TRUE(decode("anything", s));
  EXPECT_EQ(s, "anything");
}
