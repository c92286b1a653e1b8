// Tests of TRANSPOSE_CONV: each golden case of transpose_conv_golden.py
// (TFLite's scattering reference kernels, float32, int8 and 16x8) as a
// TFLite model through the importer (output_shape dropped, inputs
// reordered), Check and Lower, then the C kernel with the parameters Lower
// computed: identical outputs, floats included; and the diagnostics.
#include <gtest/gtest.h>

#include "frontend/tflite/tflite_importer.h"
#include "kernels/kernel_functions.h"
#include "kernels/recording_lowering_context.h"
#include "kernels/transpose_conv_cases.h"
#include "kiln/kernels/transpose_conv_f32.h"
#include "kiln/kernels/transpose_conv_s16.h"
#include "kiln/kernels/transpose_conv_s8.h"
#include "test_support.h"

namespace kiln::test {
namespace {

Graph Import(const TransposeConvCase& c, const TransposeConvOperands& o) {
  TfliteModelBuilder b;
  const auto [in, out] = AddTransposeConv(b, c, o);
  b.SetIo({in}, {out});
  auto graph = tflite::ImportTflite(b.Finish());
  EXPECT_TRUE(graph.ok()) << graph.message();
  if (!graph.ok()) return Graph{};
  return std::move(*graph);
}

class TransposeConvGolden : public ::testing::TestWithParam<TransposeConvCase> {};

TEST_P(TransposeConvGolden, ImportedAndLoweredKernelMatchesTheScatteringReference) {
  const TransposeConvCase& c = GetParam();
  const TransposeConvOperands o = DrawFor(c);
  const Graph g = Import(c, o);
  ASSERT_EQ(g.nodes.size(), 1u);
  const Node& node = g.nodes[0];
  ASSERT_EQ(node.op, OpKind::kTransposeConv);
  // (input, weights, bias?): the output_shape input is gone.
  ASSERT_EQ(node.inputs.size(), c.bias.empty() ? 2u : 3u);
  const KernelEntry* entry = FindKernel(g, node);
  ASSERT_NE(entry, nullptr);
  const Status check = entry->check(g, node);
  ASSERT_TRUE(check.ok()) << check.message();
  RecordingLoweringContext ctx(g);
  const Status lowered = entry->lower(node, ctx);
  ASSERT_TRUE(lowered.ok()) << lowered.message();
  ASSERT_EQ(ctx.statements.size(), 1u);
  EXPECT_TRUE(ctx.scratch_bytes.empty()) << "the gather needs no scratch";
  LoweredParams lp(ctx);
  const size_t count = static_cast<size_t>(c.n) * c.out_h * c.out_w * c.out_c;
  std::vector<uint8_t> out;
  const void* bias = o.bias.empty() ? nullptr : o.bias.data();
  if (c.dtype == "float32") {
    kiln_transpose_conv_f32_params_t p{};
    ReadConvGeometry(lp, p);
    p.act_min = lp.Float("act_min");
    p.act_max = lp.Float("act_max");
    out.assign(count * 4, 0x55);
    kiln_transpose_conv_f32(&p, reinterpret_cast<const float*>(o.input.data()),
                            reinterpret_cast<const float*>(o.filter.data()), static_cast<const float*>(bias),
                            reinterpret_cast<float*>(out.data()));
  } else if (c.dtype == "int8") {
    kiln_transpose_conv_s8_params_t p{};
    ReadConvGeometry(lp, p);
    ReadRequantization(lp, p);
    p.input_offset = lp.Int("input_offset");
    p.output_offset = lp.Int("output_offset");
    out.assign(count, 0x55);
    kiln_transpose_conv_s8(&p, reinterpret_cast<const int8_t*>(o.input.data()),
                           reinterpret_cast<const int8_t*>(o.filter.data()), static_cast<const int32_t*>(bias),
                           reinterpret_cast<int8_t*>(out.data()));
  } else {
    kiln_transpose_conv_s16_params_t p{};
    ReadConvGeometry(lp, p);
    ReadRequantization(lp, p);
    // An int16 bias is widened at compile time into an int64 array.
    std::vector<int64_t> wide;
    if (c.bias == "int16") {
      for (const auto& [name, values] : ctx.int_arrays)
        if (name.rfind("tconv_bias", 0) == 0 && ctx.statements[0].find(name) != std::string::npos) wide = values;
      ASSERT_EQ(wide.size(), static_cast<size_t>(c.out_c)) << ctx.statements[0];
    }
    out.assign(count * 2, 0x55);
    kiln_transpose_conv_s16(&p, reinterpret_cast<const int16_t*>(o.input.data()),
                            reinterpret_cast<const int8_t*>(o.filter.data()),
                            c.bias == "int16" ? wide.data() : static_cast<const int64_t*>(bias),
                            reinterpret_cast<int16_t*>(out.data()));
  }
  EXPECT_TRUE(lp.AllUsed());
  EXPECT_EQ(ExpectTransposeConvOutput(c, out), count);
}

INSTANTIATE_TEST_SUITE_P(Golden, TransposeConvGolden, ::testing::ValuesIn(kTransposeConvCases),
                         [](const auto& info) { return std::string(info.param.name); });

const TransposeConvCase& CaseNamed(const std::string& name) {
  for (const auto& c : kTransposeConvCases)
    if (name == c.name) return c;
  ADD_FAILURE() << "no case " << name;
  return kTransposeConvCases[0];
}

TEST(TransposeConvCheck, RefusesWhatTfliteRefuses) {
  // A constant output_shape that disagrees with the output tensor.
  {
    const TransposeConvCase& c = CaseNamed("s8_same_stride2_per_channel");
    TfliteModelBuilder b;
    const auto [in, out] = AddTransposeConv(b, c, DrawFor(c));
    b.SetIo({in}, {out});
    auto model = b.Finish();
    auto m = Unpack(model);
    m.buffers[static_cast<size_t>(m.subgraphs[0]->tensors[1]->buffer)]->data[4] = 9;  // output_shape[1] = 9
    auto graph = tflite::ImportTflite(Pack(m));
    ASSERT_FALSE(graph.ok());
    EXPECT_NE(graph.message().find("output_shape 'shape' asks for dimension 1 = 9, but output 'y' has shape"),
              std::string::npos)
        << graph.message();
  }
  // 16x8 takes an int64 or int16 bias, not int32 (TFLite Micro reads int64).
  {
    const TransposeConvCase& c = CaseNamed("s16_bias64_same_stride2");
    Graph g = Import(c, DrawFor(c));
    Tensor& bias = g.tensors[static_cast<size_t>(g.nodes[0].inputs[2])];
    bias.dtype = DType::kInt32;
    bias.data.resize(bias.data.size() / 2);
    const Status s = CheckTransposeConv(g, g.nodes[0]);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("bias"), std::string::npos) << s.message();
  }
  // The filter's depth is the input's channels.
  {
    const TransposeConvCase& c = CaseNamed("f32_same_stride2_bias");
    Graph g = Import(c, DrawFor(c));
    g.tensors[static_cast<size_t>(g.nodes[0].inputs[0])].shape[3] = 5;
    const Status s = CheckTransposeConv(g, g.nodes[0]);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("(the input's channels)"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace kiln::test
