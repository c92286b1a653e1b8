// A model too large for a 32-bit target's address space is refused at
// compile time with the figure (driver/size_limits.h); one at the limit
// compiles.
#include "driver/size_limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "driver/compile.h"
#include "frontend/tflite/tflite_importer.h"
#include "tflite_model_builder.h"

namespace kiln {
namespace {

using test::TfliteModelBuilder;
using testing::HasSubstr;
namespace fb = tflite_fb;
constexpr auto I8 = fb::TensorType::INT8;
constexpr int32_t kAdd = 0;

// in -> ADD(in, in) -> ... : `steps` chained ADDs over int8 [1, n] tensors.
Expected<ModelLibrary> CompileAddChain(std::vector<int32_t> shape, int steps) {
  TfliteModelBuilder b;
  const int in = b.AddTensor("in", I8, shape, {0.5f}, {0});
  int previous = in, before = in;
  for (int s = 0; s < steps; ++s) {
    const int out = b.AddTensor(s + 1 == steps ? "out" : "t" + std::to_string(s), I8, shape, {1.0f}, {0});
    // Each ADD reads the last two results, so both stay live: a real pool.
    b.AddOperator(kAdd, {previous, before}, {out}, {});
    before = previous;
    previous = out;
  }
  b.SetIo({in}, {previous});
  auto graph = tflite::ImportTflite(b.Finish());
  if (!graph.ok()) return Error{graph.status().message()};
  return CompileGraph(*graph, CodegenOptions{}, "large.tflite");
}

TEST(SizeLimits, ATensorOverTheLimitIsRefusedWithItsFigure) {
  auto library = CompileAddChain({2, 1 << 30}, 1);
  ASSERT_FALSE(library.ok());
  EXPECT_THAT(library.message(), HasSubstr("tensor 'in' (int8[2,1073741824]) is too large: 2147483648 bytes"));
  EXPECT_THAT(library.message(), HasSubstr("at most 2147483647"));
}

TEST(SizeLimits, APoolOverTheLimitIsRefusedWithItsFigure) {
  // Two live 1 GiB intermediates: the workspace pool needs 2 GiB.
  auto library = CompileAddChain({1, 1 << 30}, 3);
  ASSERT_FALSE(library.ok());
  EXPECT_THAT(library.message(), HasSubstr("pool '"));
  EXPECT_THAT(library.message(), HasSubstr("would need 2147483648 bytes"));
}

TEST(SizeLimits, TheLargestTensorCompiles) {
  // Inputs and outputs are the caller's buffers: only the tensor limit applies.
  auto library = CompileAddChain({1, static_cast<int32_t>(kMaxObjectBytes)}, 1);
  ASSERT_TRUE(library.ok()) << library.message();
}

}  // namespace
}  // namespace kiln
