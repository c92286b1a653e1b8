// The footprint's measurement of shape-specialised kernels
// (src/footprint/shaped_copies.cc) on sources Kiln did not write. Its
// figures on real models are checked against the linker by
// footprint_proof_test.cc.
#include "footprint/shaped_copies.h"

#include <gtest/gtest.h>

namespace kiln::footprint {
namespace {

TEST(ShapedCopies, ASourceWithoutThemRunsNoCompiler) {
  // An empty size table names no toolchain: any compiler run would fail.
  auto copies = MeasureShapedCopies("#include \"kiln/runtime.h\"\nint32_t kiln_m_run(void) { return 0; }\n",
                                    SizeTable{});
  ASSERT_TRUE(copies.ok()) << copies.message();
  EXPECT_TRUE(copies->functions.empty());
}

TEST(ShapedCopies, APreprocessorLineInsideOneIsRefusedBeforeAnyCompile) {
  // From a damaged or crafted archive: compiled, it would hang on /dev/zero.
  auto copies = MeasureShapedCopies(
      "static KILN_NOINLINE void kiln_x_shaped(const int8_t* input) {\n#include \"/dev/zero\"\n}\n", SizeTable{});
  ASSERT_FALSE(copies.ok());
  EXPECT_NE(copies.message().find("not one Kiln writes"), std::string::npos) << copies.message();
}

TEST(ShapedCopies, ANameThatIsNotAnIdentifierIsRefused) {
  auto copies = MeasureShapedCopies("static KILN_NOINLINE void a b(void) {\n}\n", SizeTable{});
  ASSERT_FALSE(copies.ok());
}

}  // namespace
}  // namespace kiln::footprint
