// Names that are not valid UTF-8, or hold control characters, are escaped
// once at import and then travel safely everywhere: metadata.json, the C,
// the terminal, the plan. (A tensor name with a 0xff byte used to abort
// `kiln compile` inside nlohmann-json.)
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "ir/printable_names.h"
#include "test_support.h"
#include "tflite_model_builder.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

TEST(PrintableName, EscapesInvalidUtf8AndControlCharacters) {
  EXPECT_EQ(PrintableName("conv/weights"), "conv/weights");
  EXPECT_EQ(PrintableName("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5");
  EXPECT_EQ(PrintableName("a\xff" "b"), "a\\xffb");
  EXPECT_EQ(PrintableName("tab\there\x01"), "tab\\x09here\\x01");
  EXPECT_EQ(PrintableName("\xc3"), "\\xc3");                  // truncated sequence
  EXPECT_EQ(PrintableName("\xc0\xaf"), "\\xc0\\xaf");         // overlong '/'
  EXPECT_EQ(PrintableName("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a UTF-16 surrogate
  EXPECT_EQ(PrintableName("\x7f"), "\\x7f");
  EXPECT_EQ(PrintableName(std::string("a\0b", 3)), "a\\x00b");
}

TEST(PrintableName, AModelWithUnprintableNamesCompilesAndRuns) {
  const fs::path shared = test::SharedDir() / "models" / "tflite" / "hello_world_int8";
  test::fb::ModelT model = test::Unpack(test::ReadBytes(shared / "model.tflite"));
  for (auto& tensor : model.subgraphs[0]->tensors) tensor->name += "\xff\xfe\x01\n";
  const fs::path dir = test::TempDir("names");
  test::WriteBytes(dir / "bad\xff.tflite", test::Pack(model));
  const std::string kiln = test::KilnBinary().string();
  const std::string file = "'" + (dir / "bad\xff.tflite").string() + "'";
  std::string out;
  ASSERT_EQ(test::RunCommand(kiln + " compile " + file + " -o " + (dir / "m.tar").string() + " --target cortex-m4", &out), 0)
      << out;
  ASSERT_EQ(test::RunCommand(kiln + " inspect " + file, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("\\xff\\xfe\\x01\\x0a"));
  ASSERT_EQ(test::RunCommand(kiln + " plan " + file + " --format json", &out), 0) << out;
  ASSERT_EQ(test::RunCommand(kiln + " run " + (dir / "m.tar").string() + " --input " +
                                 (shared / "cases" / "zeros" / "input_0.bin").string() + " --output-dir " +
                                 (dir / "out").string(),
                             &out),
            0)
      << out;
  EXPECT_EQ(test::ReadBytes(dir / "out" / "output_0.bin"), test::ReadBytes(shared / "cases" / "zeros" / "output_0.bin"));
}

}  // namespace
}  // namespace kiln
