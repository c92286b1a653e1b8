// TFLite models with IF and WHILE, built in memory, shared by the
// end-to-end, device and fuzz-seed code.
#pragma once

#include <cstdint>
#include <vector>

#include "tflite_model_builder.h"

namespace kiln::test {

namespace control_flow_detail {
namespace fb = kiln::tflite_fb;

/// A subgraph of one binary operator: (a, b) -> code(a, b), float32 [2].
inline void AddBinarySubgraph(TfliteModelBuilder& b, int32_t code) {
  b.AddSubgraph();
  const int x = b.AddTensor("a", fb::TensorType::FLOAT32, {2});
  const int y = b.AddTensor("b", fb::TensorType::FLOAT32, {2});
  const int out = b.AddTensor("result", fb::TensorType::FLOAT32, {2});
  b.AddOperator(code, {x, y}, {out});
  b.SetIo({x, y}, {out});
}
}  // namespace control_flow_detail

/// IF's options: its then and else subgraphs.
inline kiln::tflite_fb::BuiltinOptionsUnion IfBranches(int then_index, int else_index) {
  kiln::tflite_fb::IfOptionsT options;
  options.then_subgraph_index = then_index;
  options.else_subgraph_index = else_index;
  kiln::tflite_fb::BuiltinOptionsUnion u;
  u.Set(options);
  return u;
}

/// WHILE's options: its cond and body subgraphs.
inline kiln::tflite_fb::BuiltinOptionsUnion WhileSubgraphs(int cond_index, int body_index) {
  kiln::tflite_fb::WhileOptionsT options;
  options.cond_subgraph_index = cond_index;
  options.body_subgraph_index = body_index;
  kiln::tflite_fb::BuiltinOptionsUnion u;
  u.Set(options);
  return u;
}

/// IF(cond, x, y) over float32 [2]: x + y when cond, else x * y (TFLite
/// Micro's own IF test has this shape). Inputs cond (bool [1]), x, y.
inline std::vector<uint8_t> IfAddElseMulModel() {
  namespace fb = kiln::tflite_fb;
  TfliteModelBuilder b;
  const int cond = b.AddTensor("cond", fb::TensorType::BOOL, {1});
  const int x = b.AddTensor("x", fb::TensorType::FLOAT32, {2});
  const int y = b.AddTensor("y", fb::TensorType::FLOAT32, {2});
  const int out = b.AddTensor("out", fb::TensorType::FLOAT32, {2});
  b.AddOperator(118, {cond, x, y}, {out}, IfBranches(1, 2));
  b.SetIo({cond, x, y}, {out});
  control_flow_detail::AddBinarySubgraph(b, 0);   // ADD
  control_flow_detail::AddBinarySubgraph(b, 18);  // MUL
  return b.Finish();
}

/// WHILE over (i int32 [1], a, b, c float32 [2]): while i < 3, i becomes
/// i + 1, a and b swap, and c doubles (c + c). Inputs and outputs i, a, b, c.
inline std::vector<uint8_t> WhileSwapAndDoubleModel() {
  namespace fb = kiln::tflite_fb;
  constexpr auto F32 = fb::TensorType::FLOAT32;
  constexpr auto I32 = fb::TensorType::INT32;
  TfliteModelBuilder b;
  const int vars[4] = {b.AddTensor("i", I32, {1}), b.AddTensor("a", F32, {2}), b.AddTensor("b", F32, {2}),
                       b.AddTensor("c", F32, {2})};
  const int outs[4] = {b.AddTensor("i_out", I32, {1}), b.AddTensor("a_out", F32, {2}),
                       b.AddTensor("b_out", F32, {2}), b.AddTensor("c_out", F32, {2})};
  b.AddOperator(119, {vars[0], vars[1], vars[2], vars[3]}, {outs[0], outs[1], outs[2], outs[3]}, WhileSubgraphs(1, 2));
  b.SetIo({vars[0], vars[1], vars[2], vars[3]}, {outs[0], outs[1], outs[2], outs[3]});

  b.AddSubgraph();  // cond: i < 3
  int i = b.AddTensor("i", I32, {1});
  int a = b.AddTensor("a", F32, {2});
  int bb = b.AddTensor("b", F32, {2});
  int c = b.AddTensor("c", F32, {2});
  const int three = b.AddConstant<int32_t>("three", I32, {1}, {3});
  const int less = b.AddTensor("less", fb::TensorType::BOOL, {1});
  b.AddOperator(58, {i, three}, {less});
  b.SetIo({i, a, bb, c}, {less});

  b.AddSubgraph();  // body: (i + 1, b, a, c + c)
  i = b.AddTensor("i", I32, {1});
  a = b.AddTensor("a", F32, {2});
  bb = b.AddTensor("b", F32, {2});
  c = b.AddTensor("c", F32, {2});
  const int one = b.AddConstant<int32_t>("one", I32, {1}, {1});
  const int next = b.AddTensor("next", I32, {1});
  const int doubled = b.AddTensor("doubled", F32, {2});
  b.AddOperator(0, {i, one}, {next});
  b.AddOperator(0, {c, c}, {doubled});
  b.SetIo({i, a, bb, c}, {next, bb, a, doubled});
  return b.Finish();
}

/// A WHILE whose body holds an IF: over (i int32 [1], x float32 [2]), while
/// i < 4, i becomes i + 1 and x becomes x + x while i < 2, x * x after.
inline std::vector<uint8_t> WhileOfIfModel() {
  namespace fb = kiln::tflite_fb;
  constexpr auto F32 = fb::TensorType::FLOAT32;
  constexpr auto I32 = fb::TensorType::INT32;
  constexpr auto BOOL = fb::TensorType::BOOL;
  TfliteModelBuilder b;
  const int i0 = b.AddTensor("i", I32, {1}), x0 = b.AddTensor("x", F32, {2});
  const int i_out = b.AddTensor("i_out", I32, {1}), x_out = b.AddTensor("x_out", F32, {2});
  b.AddOperator(119, {i0, x0}, {i_out, x_out}, WhileSubgraphs(1, 2));
  b.SetIo({i0, x0}, {i_out, x_out});

  b.AddSubgraph();  // cond: i < 4
  int i = b.AddTensor("i", I32, {1});
  int x = b.AddTensor("x", F32, {2});
  const int four = b.AddConstant<int32_t>("four", I32, {1}, {4});
  const int go_on = b.AddTensor("go_on", BOOL, {1});
  b.AddOperator(58, {i, four}, {go_on});
  b.SetIo({i, x}, {go_on});

  b.AddSubgraph();  // body: (i + 1, IF(i < 2, x, x))
  i = b.AddTensor("i", I32, {1});
  x = b.AddTensor("x", F32, {2});
  const int one = b.AddConstant<int32_t>("one", I32, {1}, {1});
  const int two = b.AddConstant<int32_t>("two", I32, {1}, {2});
  const int next = b.AddTensor("next", I32, {1});
  const int early = b.AddTensor("early", BOOL, {1});
  const int y = b.AddTensor("y", F32, {2});
  b.AddOperator(0, {i, one}, {next});
  b.AddOperator(58, {i, two}, {early});
  b.AddOperator(118, {early, x, x}, {y}, IfBranches(3, 4));
  b.SetIo({i, x}, {next, y});
  control_flow_detail::AddBinarySubgraph(b, 0);   // 3: ADD
  control_flow_detail::AddBinarySubgraph(b, 18);  // 4: MUL
  return b.Finish();
}

}  // namespace kiln::test
