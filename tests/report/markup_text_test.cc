// Escaping for XML/HTML and the byte formats of the report labels.
#include "report/markup_text.h"

#include <gtest/gtest.h>

namespace kiln::report {
namespace {

TEST(EscapeMarkup, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(EscapeMarkup("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(EscapeMarkup("conv2d/Relu6;bias"), "conv2d/Relu6;bias");
}

TEST(EscapeMarkup, KeepsValidUtf8AndWritesOtherBytesAsPrintableNameDoes) {
  EXPECT_EQ(EscapeMarkup("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\xA5"), "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\xA5");
  EXPECT_EQ(EscapeMarkup(std::string("a\x01z", 3)), "a\\x01z");
  EXPECT_EQ(EscapeMarkup(std::string("a\0z", 3)), "a\\x00z");
  EXPECT_EQ(EscapeMarkup("tab\there\nnew"), "tab\there\nnew");
  EXPECT_EQ(EscapeMarkup("\xC3(<"), "\\xc3(&lt;");                // truncated sequence
  EXPECT_EQ(EscapeMarkup("\xC0\xAF"), "\\xc0\\xaf");               // overlong '/'
  EXPECT_EQ(EscapeMarkup("\xED\xA0\x80"), "\\xed\\xa0\\x80");      // a UTF-16 surrogate
  EXPECT_EQ(EscapeMarkup("\xEF\xBF\xBF"), "\\xef\\xbf\\xbf");      // U+FFFF
  EXPECT_EQ(EscapeMarkup("end\xE2\x82"), "end\\xe2\\x82");
}

TEST(ByteFormats, GroupDigitsAndShortBytes) {
  EXPECT_EQ(GroupDigits(0), "0");
  EXPECT_EQ(GroupDigits(999), "999");
  EXPECT_EQ(GroupDigits(37632), "37,632");
  EXPECT_EQ(GroupDigits(1234567), "1,234,567");
  EXPECT_EQ(GroupDigits(-4096), "-4,096");
  EXPECT_EQ(ShortBytes(4208), "4,208 B");
  EXPECT_EQ(ShortBytes(37632), "36.8 KiB");
  EXPECT_EQ(ShortBytes(1024 * 1024), "1.00 MiB");
}

}  // namespace
}  // namespace kiln::report
