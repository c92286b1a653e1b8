// A TFLite model of SHAPE and BROADCAST_ARGS, built in memory, shared by
// the end-to-end test and the fuzz seeds.
#pragma once

#include <cstdint>
#include <vector>

#include "tflite_model_builder.h"

namespace kiln::test {

/// Inputs x (float32 [1, 3]), y (float32 [2, 1]), s1 (int32 [3]), s2 (int32
/// [2]). Outputs: BROADCAST_TO(x, BROADCAST_ARGS(SHAPE(x), SHAPE(y))), which
/// the importer folds into a constant shape; BROADCAST_ARGS(s1, s2), read at
/// run time; and SHAPE(y) itself, a constant model output.
inline std::vector<uint8_t> ShapeArithmeticModel() {
  namespace fb = kiln::tflite_fb;
  constexpr auto F32 = fb::TensorType::FLOAT32;
  constexpr auto I32 = fb::TensorType::INT32;
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {1, 3});
  const int y = b.AddTensor("y", F32, {2, 1});
  const int shape_x = b.AddTensor("shape_x", I32, {2});
  const int shape_y = b.AddTensor("shape_y", I32, {2});
  const int both = b.AddTensor("both", I32, {2});
  const int broadcast = b.AddTensor("broadcast", F32, {2, 3});
  b.AddOperator(77, {x}, {shape_x});
  b.AddOperator(77, {y}, {shape_y});
  b.AddOperator(145, {shape_x, shape_y}, {both});
  b.AddOperator(130, {x, both}, {broadcast});
  const int s1 = b.AddTensor("s1", I32, {3});
  const int s2 = b.AddTensor("s2", I32, {2});
  const int s = b.AddTensor("s", I32, {3});
  b.AddOperator(145, {s1, s2}, {s});
  b.SetIo({x, y, s1, s2}, {broadcast, s, shape_y});
  return b.Finish();
}

}  // namespace kiln::test
