#include <gtest/gtest.h>

#include "c99/c_syntax.h"

namespace kiln {
namespace {

TEST(CIdentifier, MakesValidNamesFromTensorNames) {
  EXPECT_EQ(CIdentifier("serving_default_input:0", "x"), "serving_default_input_0");
  EXPECT_EQ(CIdentifier("MobilenetV1/Predictions/Reshape_1", "x"), "MobilenetV1_Predictions_Reshape_1");
  EXPECT_EQ(CIdentifier("1st", "x"), "_1st");
  EXPECT_EQ(CIdentifier("int", "x"), "_int");
  EXPECT_EQ(CIdentifier("::", "input_0"), "input_0");
  EXPECT_TRUE(IsCIdentifier("kiln_default"));
  EXPECT_FALSE(IsCIdentifier("default"));
  EXPECT_FALSE(IsCIdentifier("9lives"));
  EXPECT_FALSE(IsCIdentifier("a-b"));
}

TEST(CLiterals, RoundTripExactly) {
  EXPECT_EQ(CFloatLiteral(1.0f), "1.0f");
  EXPECT_EQ(CFloatLiteral(-0.5f), "-0.5f");
  EXPECT_EQ(CFloatLiteral(0.1f), "0.100000001f");
  EXPECT_EQ(CFloatLiteral(3.0e38f), "3.00000001e+38f");
  EXPECT_EQ(CFloatLiteral(-1.0f / 0.0f), "-INFINITY");
  EXPECT_EQ(CIntLiteral(INT32_MIN, DType::kInt32), "(-2147483647 - 1)");
  EXPECT_EQ(CIntLiteral(-5, DType::kInt8), "-5");
  EXPECT_EQ(CIntLiteral(7, DType::kInt64), "INT64_C(7)");
  EXPECT_EQ(CommentSafe("a*/b/*c\nd"), "a*_/b/_*c d");
  // Quotes, backslashes, '?' (trigraphs) and bytes outside printable ASCII
  // (invalid UTF-8 included) are escaped: the literal holds the same bytes.
  EXPECT_EQ(CStringLiteral("a\"b\\c??=\n\xff"), "\"a\\\"b\\\\c\\077\\077=\\012\\377\"");
}

TEST(CInitializers, LayOutValuesPerLine) {
  const std::vector<int64_t> v = {1, -2, 3};
  EXPECT_EQ(CIntInitializer(v, DType::kInt8, 2), "{\n  1, -2,\n  3\n}");
}

}  // namespace
}  // namespace kiln
