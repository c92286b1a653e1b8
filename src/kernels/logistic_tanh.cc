// LOGISTIC and TANH (int8, int16 and float32): validation and lowering.
// The int8 input rescaling (a Q4.27 multiplier and the saturation radius)
// is computed as TFLite Micro's CalculateArithmeticOpData / TanhPrepare
// does: frexp of input_scale * 2^27, then CalculateInputRadius(4, shift).
// The int16 one as their int16 branch: a power-of-two scale of 2^-12 (or
// 2^-11 for TANH) needs no multiplier, any other scale gets 3 * 4096 *
// scale doubled until above 2^14 (Int16LutRescale). The integer LSTM's
// tanh(c) rescales by its own rule (kernels/lstm.cc).
#include <cmath>
#include <string>

#include "kernels/elementwise_util.h"
#include "kernels/kernel_functions.h"
#include "kernels/pool_softmax_util.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

using psm_detail::Field;
using psm_detail::IntLit;

/// Integer bits of the fixed-point input to gemmlowp's logistic / tanh.
constexpr int kInputIntegerBits = 4;

/// The fixed output quantization of each int8 function.
struct OutputQuant {
  float scale;
  int32_t zero_point;
  const char* scale_text;
};
OutputQuant ExpectedOutput(OpKind op) {
  if (op == OpKind::kLogistic) return {1.0f / 256, -128, "1/256"};
  return {1.0f / 128, 0, "1/128"};
}

/// The int8 input rescaling, exactly as TFLite Micro computes it.
struct InputRescale {
  int32_t multiplier = 0;
  int left_shift = 0;
  int64_t range_radius = 0;
  bool multiplier_overflow = false;
};
InputRescale ComputeInputRescale(float input_scale) {
  InputRescale r;
  const double real = static_cast<double>(input_scale) *
                      static_cast<double>(1 << (31 - kInputIntegerBits));
  const double q = std::frexp(real, &r.left_shift);
  const double q_fixed = std::round(q * static_cast<double>(1LL << 31));
  // A float scale has 24 significant bits, so q * 2^31 is an integer below
  // 2^31; guard anyway rather than overflow.
  r.multiplier_overflow = q_fixed >= 2147483648.0;
  r.multiplier = r.multiplier_overflow ? INT32_MAX : static_cast<int32_t>(q_fixed);
  if (r.left_shift >= 0 && r.left_shift <= 31) {
    const double max_input_rescaled = 1.0 * ((1 << kInputIntegerBits) - 1) *
                                      static_cast<double>(1LL << (31 - kInputIntegerBits)) /
                                      static_cast<double>(1LL << r.left_shift);
    r.range_radius = static_cast<int64_t>(std::floor(max_input_rescaled));
  }
  return r;
}

Status CheckUnaryCommon(const Graph& graph, const Node& node, DType dtype) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", {dtype}));
  const Tensor& input = *graph.input(node, 0);
  KILN_RETURN_IF_ERROR(psm_detail::CheckOutputDType(graph, node, dtype));
  KILN_RETURN_IF_ERROR(psm_detail::CheckDimsPositive(node, input, "input"));
  return CheckOutputShape(graph, node, 0, input.shape);
}

/// The rescaling into the int16 sigmoid table's units (1/(3 * 4096)), as
/// TFLite's int16 LOGISTIC / TANH Prepare computes it; multiplier 0 is the
/// power-of-two case. overflow: 32768 * multiplier would not fit 32 bits.
struct Int16LutRescale {
  int32_t multiplier = 0;
  int left_shift = 0;
  bool overflow = false;
};

Int16LutRescale ComputeInt16LutRescale(float input_scale, bool tanh) {
  Int16LutRescale r;
  int log2 = 0;
  const bool pot = CheckedLog2(input_scale, &log2);
  r.left_shift = 12 + log2;  // 15 - 3 integer bits
  if (pot && (r.left_shift == 0 || (tanh && r.left_shift == 1))) return r;
  double multiplier = static_cast<double>(input_scale) * 4096.0 * 3.0;
  r.left_shift = 0;
  while (multiplier <= 32767.0 / 2.0 && r.left_shift <= 30) {
    ++r.left_shift;
    multiplier *= 2.0;
  }
  // 32768 * multiplier must stay within int32 (TFLite's product would overflow).
  r.overflow = multiplier >= 65536.0;
  r.multiplier = r.overflow ? 0 : static_cast<int32_t>(multiplier);
  return r;
}

}  // namespace

Status CheckLogisticTanhInt8(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckUnaryCommon(graph, node, DType::kInt8));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, input, "input"));
  KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, output, "output"));
  // The kernel's output is in fixed units (TFLite computes it the same way
  // whatever the output tensor says), so only that quantization is correct.
  const OutputQuant expected = ExpectedOutput(node.op);
  const float scale = output.quant.scale[0];
  if (psm_detail::ZeroPoint(output) != expected.zero_point ||
      std::abs(scale - expected.scale) > 0.001f * expected.scale)
    return MakeError(
        "{}: int8 output '{}' must have scale {} and zero point {}, got scale {} and zero point "
        "{}",
        OpLabel(node), output.name, expected.scale_text, expected.zero_point, scale,
        psm_detail::ZeroPoint(output));
  const InputRescale r = ComputeInputRescale(input.quant.scale[0]);
  if (r.multiplier_overflow || r.left_shift < 0 || r.left_shift > 31)
    return MakeError("{}: input '{}' scale {} is outside the supported range [2^-28, 16)",
                     OpLabel(node), input.name, input.quant.scale[0]);
  return Status::Ok();
}

Status LowerLogisticTanhInt8(const Node& node, LoweringContext& ctx) {
  const Tensor& input = *ctx.graph().input(node, 0);
  const InputRescale r = ComputeInputRescale(input.quant.scale[0]);
  const std::string variant = node.op == OpKind::kLogistic ? "logistic_s8" : "tanh_s8";
  const std::vector<Field> fields = {
      {"size", IntLit(input.num_elements())},
      {"input_zero_point", IntLit(psm_detail::ZeroPoint(input))},
      {"input_range_radius", IntLit(r.range_radius)},
      {"input_multiplier", IntLit(r.multiplier)},
      {"input_left_shift", IntLit(r.left_shift)},
  };
  ctx.use_kernel(variant);
  const std::string name = ctx.unique_name(variant + "_params");
  ctx.declare(StaticConstStruct(fmt::format("kiln_{}_params_t", variant), name, fields));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {});", variant, name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

Status CheckLogisticTanhInt16(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckUnaryCommon(graph, node, DType::kInt16));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, input, "input"));
  KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, output, "output"));
  int log2 = 0;
  if (!CheckedLog2(output.quant.scale[0], &log2) || log2 != -15)
    return MakeError("{}: int16 output '{}' must have scale 2^-15 (1/32768), got {}", OpLabel(node), output.name,
                     output.quant.scale[0]);
  if (ComputeInt16LutRescale(input.quant.scale[0], node.op == OpKind::kTanh).overflow)
    return MakeError("{}: int16 input '{}' scale {} is too large: the table's input rescaling would overflow 32 "
                     "bits (at most about 5.3)",
                     OpLabel(node), input.name, input.quant.scale[0]);
  return Status::Ok();
}

Status LowerLogisticTanhInt16(const Node& node, LoweringContext& ctx) {
  const Tensor& input = *ctx.graph().input(node, 0);
  const bool tanh = node.op == OpKind::kTanh;
  const Int16LutRescale r = ComputeInt16LutRescale(input.quant.scale[0], tanh);
  ctx.use_kernel("logistic_tanh_s16");
  const std::string name = ctx.unique_name(tanh ? "tanh_s16_params" : "logistic_s16_params");
  ctx.declare(StaticConstStruct("kiln_logistic_tanh_s16_params_t", name,
                                {{"size", IntLit(input.num_elements())},
                                 {"input_multiplier", IntLit(r.multiplier)},
                                 {"input_left_shift", IntLit(r.left_shift)}}));
  ctx.statement(fmt::format("kiln_{}_s16(&{}, {}, {});", tanh ? "tanh" : "logistic", name,
                            ctx.tensor(node.inputs[0]), ctx.tensor(node.outputs[0])));
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

Status CheckLogisticTanhFloat(const Graph& graph, const Node& node) {
  return CheckUnaryCommon(graph, node, DType::kFloat32);
}

Status LowerLogisticTanhFloat(const Node& node, LoweringContext& ctx) {
  const Tensor& input = *ctx.graph().input(node, 0);
  elem_detail::EmitElementwiseCall(node, ctx, node.op == OpKind::kLogistic ? "logistic_f32" : "tanh_f32",
                                   {{"size", IntLit(input.num_elements())}});
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

}  // namespace kiln
