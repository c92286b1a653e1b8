// ADD, SUB and MUL for int8 and float32, and ADD and SUB for int16, with
// numpy broadcasting (rank <= 6) and a fused activation. The quantized
// parameters are computed exactly as TFLite Micro's Prepare does: ADD
// (add_common.cc) rescales in double, SUB (sub_common.cc) in float before
// converting to double, MUL (mul_common.cc) multiplies the scales in double.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "kernels/elementwise_util.h"
#include "kernels/gemm_lowering.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"
#include "kiln/fixedpoint.h"

namespace kiln {
namespace {

using elem_detail::BroadcastInitializer;
using elem_detail::CheckBinaryShapes;
using elem_detail::Field;
using elem_detail::IntLit;
using elem_detail::kMaxBroadcastRank;
using elem_detail::ZeroPoint;

/// Left shift applied to both inputs of quantized ADD/SUB before rescaling
/// (TFLite: 20 for int8, 15 for int16, so the int32 sums cannot overflow).
int LeftShift(DType dtype) { return dtype == DType::kInt16 ? 15 : 20; }


// --- int8 / int16 ADD / SUB ---------------------------------------------------

struct AddSubParams {
  FixedPointMultiplier input1;
  FixedPointMultiplier input2;
  FixedPointMultiplier output;
  IntRange activation{};
};

/// TFLite's QuantizeMultiplierSmallerThanOneExp: the multiplier must lie in
/// (0, 1) and encode with a shift <= 0 (TFLite aborts otherwise).
Expected<FixedPointMultiplier> SmallerThanOne(const Node& node, double real, const char* what) {
  const FixedPointMultiplier m = QuantizeMultiplier(real);
  if (!(real > 0.0 && real < 1.0) || m.shift > 0)
    return MakeError("{}: the rescaling factor {} = {} must lie in (0, 1); the output scale is "
                     "too small for the input scales",
                     OpLabel(node), what, real);
  return m;
}

/// The quantized ADD (subtract=false) or SUB parameters of TFLite Micro's
/// CalculateOpDataAdd / CalculateOpDataSub.
Expected<AddSubParams> ComputeAddSubParams(const Graph& graph, const Node& node, bool subtract) {
  const Tensor& a = *graph.input(node, 0);
  const int left_shift = LeftShift(a.dtype);
  const Tensor& b = *graph.input(node, 1);
  const Tensor& out = graph.output(node, 0);
  const float s1 = a.quant.scale[0];
  const float s2 = b.quant.scale[0];
  const float so = out.quant.scale[0];
  double real1, real2, real_out;
  if (!subtract) {
    // add_common.cc: everything in double.
    const double twice_max = 2 * static_cast<double>(std::max(s1, s2));
    real1 = static_cast<double>(s1) / twice_max;
    real2 = static_cast<double>(s2) / twice_max;
    real_out = twice_max / ((1 << left_shift) * static_cast<double>(so));
  } else {
    // sub_common.cc: the ratios are formed in float, then widened.
    const float twice_max = 2 * std::max(s1, s2);
    real1 = static_cast<double>(s1 / twice_max);
    real2 = static_cast<double>(s2 / twice_max);
    real_out = static_cast<double>(twice_max / ((1 << left_shift) * so));
  }
  AddSubParams p;
  KILN_ASSIGN_OR_RETURN(p.input1, SmallerThanOne(node, real1, "input1_scale / (2 * max scale)"));
  KILN_ASSIGN_OR_RETURN(p.input2, SmallerThanOne(node, real2, "input2_scale / (2 * max scale)"));
  KILN_ASSIGN_OR_RETURN(p.output,
                        SmallerThanOne(node, real_out,
                                       left_shift == 20 ? "2 * max scale / (2^20 * output_scale)"
                                                        : "2 * max scale / (2^15 * output_scale)"));
  auto range = QuantizedActivationRange(node.attrs.get_string("activation", "NONE"), out.dtype,
                                        so, ZeroPoint(out));
  if (!range.ok()) return MakeError("{}: {}", OpLabel(node), range.message());
  p.activation = *range;
  return p;
}

Status CheckAddSubQuantized(const Graph& graph, const Node& node, DType dtype, bool subtract) {
  KILN_RETURN_IF_ERROR(CheckBinaryShapes(graph, node, dtype));
  const Tensor* tensors[3] = {graph.input(node, 0), graph.input(node, 1), &graph.output(node, 0)};
  const char* roles[3] = {"input a", "input b", "output"};
  for (int i = 0; i < 3; ++i) {
    KILN_RETURN_IF_ERROR(elem_detail::CheckQuantized(node, *tensors[i], roles[i]));
    // TFLite's int16 SUB kernel requires symmetric quantization.
    if (dtype == DType::kInt16 && subtract && ZeroPoint(*tensors[i]) != 0)
      return MakeError("{}: int16 {} '{}' must have zero point 0, not {}", OpLabel(node),
                       roles[i], tensors[i]->name, ZeroPoint(*tensors[i]));
  }
  return ComputeAddSubParams(graph, node, subtract).status();
}

// --- the "table" schedule of int8 ADD / SUB ------------------------------------

/// Each input's rescaling, tabulated (kiln/kernels/add_sub_s8_table.h): for
/// v in [-128, 127], ((v - zero_point) << 20) times its multiplier, with
/// TFLite's roundings, by the reference kernel's own function.
std::vector<int64_t> RescaleTable(const Tensor& input, FixedPointMultiplier m) {
  std::vector<int64_t> table;
  table.reserve(256);
  for (int32_t v = -128; v <= 127; ++v)
    table.push_back(kiln_multiply_by_quantized_multiplier((v - ZeroPoint(input)) * (int32_t{1} << LeftShift(DType::kInt8)),
                                                          m.multiplier, m.shift));
  return table;
}

int64_t MaxMagnitude(const std::vector<int64_t>& values) {
  int64_t most = 0;
  for (int64_t v : values) most = std::max(most, v < 0 ? -v : v);
  return most;
}

/// The narrow output stage (kiln_requantize_narrow_doubled) takes the sum
/// when it cannot reach 2^30 and the output shift is a right shift.
bool AddSubTableIsNarrow(const AddSubParams& p, const std::vector<int64_t>& t1, const std::vector<int64_t>& t2) {
  return p.output.shift <= -1 && MaxMagnitude(t1) + MaxMagnitude(t2) < (int64_t{1} << 30);
}

/// Instructions per element (Cortex-M4, -O2), fitted as docs/schedules.md
/// says: the reference's three rescalings against two loads and an add.
constexpr int64_t kAddSubReferencePerElement = 123;
constexpr int64_t kAddSubTablePerElement = 13;
constexpr char kAddSubTableSchedule[] = "table";

std::vector<Schedule> AddSubS8Schedules(const Graph& graph, const Node& node, bool subtract) {
  const int64_t elements = graph.output(node, 0).num_elements();
  Schedule reference;
  reference.expected_instructions = kAddSubReferencePerElement * elements;
  auto p = ComputeAddSubParams(graph, node, subtract);
  if (!p.ok()) return {reference};
  Schedule table;
  table.name = kAddSubTableSchedule;
  table.knobs[kNarrowRequantKnob] =
      AddSubTableIsNarrow(*p, RescaleTable(*graph.input(node, 0), p->input1), RescaleTable(*graph.input(node, 1), p->input2))
          ? 1
          : 0;
  table.expected_instructions = kAddSubTablePerElement * elements;
  table.extra_flash_bytes = 2 * 256 * 4;  // two int32 tables
  return {reference, table};
}

/// The "table" schedule: each input's rescaling looked up.
Status LowerAddSubTable(const Node& node, LoweringContext& ctx, bool subtract, const AddSubParams& p) {
  const Graph& graph = ctx.graph();
  const Tensor& out = graph.output(node, 0);
  std::vector<int64_t> t1 = RescaleTable(*graph.input(node, 0), p.input1);
  std::vector<int64_t> t2 = RescaleTable(*graph.input(node, 1), p.input2);
  const bool narrow = ctx.schedule().knob(kNarrowRequantKnob) != 0;
  if (narrow && !AddSubTableIsNarrow(p, t1, t2))
    return MakeError("{}: schedule table with {}=1: the layer's sums or output shift do not allow the narrow "
                     "output stage",
                     OpLabel(node), kNarrowRequantKnob);
  if (subtract)
    for (int64_t& v : t2) v = -v;
  if (narrow) {  // kiln_requantize_narrow_doubled takes the sum doubled
    for (int64_t& v : t1) v *= 2;
    for (int64_t& v : t2) v *= 2;
  }
  ctx.use_kernel("add_sub_s8_table");
  const std::string name = elem_detail::DeclareParams(
      ctx, "add_sub_s8_table",
      {
          {"shape", BroadcastInitializer(graph.input(node, 0)->shape, graph.input(node, 1)->shape)},
          {"input1_table", ctx.const_int_array("add_table", "int32_t", t1)},
          {"input2_table", ctx.const_int_array("add_table", "int32_t", t2)},
          {"output_multiplier", IntLit(p.output.multiplier)},
          {"output_shift", IntLit(narrow ? -p.output.shift - 1 : p.output.shift)},
          {"output_offset", IntLit(ZeroPoint(out))},
          {"act_min", IntLit(p.activation.min)},
          {"act_max", IntLit(p.activation.max)},
      });
  ctx.statement(fmt::format("kiln_add_sub_s8_table{}(&{}, {}, {}, {});", narrow ? "_narrow" : "", name,
                            ctx.tensor(node.inputs[0]), ctx.tensor(node.inputs[1]), ctx.tensor(node.outputs[0])));
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

/// A call of a kiln/add_sub.h kernel with the parameters `p`.
void EmitAddSubCall(const Node& node, LoweringContext& ctx, const std::string& variant, const AddSubParams& p,
                    int left_shift, bool negate_input2) {
  const Graph& graph = ctx.graph();
  const Tensor& a = *graph.input(node, 0);
  const Tensor& b = *graph.input(node, 1);
  ctx.use_kernel(variant);
  const std::string name = elem_detail::DeclareParams(
      ctx, variant,
      {
          {"shape", BroadcastInitializer(a.shape, b.shape)},
          {"input1_offset", IntLit(-ZeroPoint(a))},
          {"input2_offset", IntLit(-ZeroPoint(b))},
          {"left_shift", IntLit(left_shift)},
          {"input1_multiplier", IntLit(p.input1.multiplier)},
          {"input1_shift", IntLit(p.input1.shift)},
          {"input2_multiplier", IntLit(negate_input2 ? -p.input2.multiplier : p.input2.multiplier)},
          {"input2_shift", IntLit(p.input2.shift)},
          {"output_multiplier", IntLit(p.output.multiplier)},
          {"output_shift", IntLit(p.output.shift)},
          {"output_offset", IntLit(ZeroPoint(graph.output(node, 0)))},
          {"activation_min", IntLit(p.activation.min)},
          {"activation_max", IntLit(p.activation.max)},
      });
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {}, {});", variant, name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.inputs[1]), ctx.tensor(node.outputs[0])));
  elem_detail::DeclareElementwiseStreaming(node, ctx);
}

Status LowerAddSubQuantized(const Node& node, LoweringContext& ctx, bool subtract) {
  const Graph& graph = ctx.graph();
  const Tensor& a = *graph.input(node, 0);
  KILN_ASSIGN_OR_RETURN(const AddSubParams p, ComputeAddSubParams(graph, node, subtract));
  if (ctx.schedule().name == kAddSubTableSchedule && a.dtype == DType::kInt8)
    return LowerAddSubTable(node, ctx, subtract, p);
  // TFLite Micro runs int16 SUB through its ADD kernel with input2's
  // multiplier negated (sub_common.cc); the high multiply rounds ties upward,
  // so x * -m is not always -(x * m): do the same, to the bit.
  const bool negated_add = subtract && a.dtype == DType::kInt16;
  const std::string variant = std::string(subtract && !negated_add ? "sub" : "add") +
                              (a.dtype == DType::kInt16 ? "_s16" : "_s8");
  EmitAddSubCall(node, ctx, variant, p, LeftShift(a.dtype), negated_add);
  return Status::Ok();
}

// --- int8 MUL ------------------------------------------------------------------

struct MulParams {
  FixedPointMultiplier output;
  IntRange activation{};
};

/// mul_common.cc: double(s1) * double(s2) / double(so).
Expected<MulParams> ComputeMulParams(const Graph& graph, const Node& node) {
  const Tensor& a = *graph.input(node, 0);
  const Tensor& b = *graph.input(node, 1);
  const Tensor& out = graph.output(node, 0);
  const double real = static_cast<double>(a.quant.scale[0]) *
                      static_cast<double>(b.quant.scale[0]) /
                      static_cast<double>(out.quant.scale[0]);
  MulParams p;
  p.output = QuantizeMultiplier(real);
  KILN_RETURN_IF_ERROR(
      elem_detail::CheckShift(node, p.output, "input1_scale * input2_scale / output_scale"));
  auto range = QuantizedActivationRange(node.attrs.get_string("activation", "NONE"), out.dtype,
                                        out.quant.scale[0], ZeroPoint(out));
  if (!range.ok()) return MakeError("{}: {}", OpLabel(node), range.message());
  p.activation = *range;
  return p;
}

// --- float32 ADD / SUB / MUL -----------------------------------------------------

}  // namespace

// One check and one lowering for every float32 binary operator (ADD, SUB,
// MUL, DIV, MAXIMUM, MINIMUM): their kernels share the params struct
// layout, and the registry names the variant.
Status CheckBinaryFloat32(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckBinaryShapes(graph, node, DType::kFloat32));
  auto range = FloatActivationRange(node.attrs.get_string("activation", "NONE"));
  if (!range.ok()) return MakeError("{}: {}", OpLabel(node), range.message());
  return Status::Ok();
}

Status LowerBinaryFloat32(const Node& node, LoweringContext& ctx) {
  const KernelEntry* kernel = FindKernel(ctx.graph(), node);
  if (kernel == nullptr) return MakeError("{}: no float32 kernel", OpLabel(node));
  KILN_ASSIGN_OR_RETURN(const FloatRange range,
                        FloatActivationRange(node.attrs.get_string("activation", "NONE")));
  elem_detail::EmitBroadcastCall(node, ctx, kernel->variant,
                                 {
                                     {"activation_min", elem_detail::FloatLit(range.min)},
                                     {"activation_max", elem_detail::FloatLit(range.max)},
                                 });
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

// ADD_N (float32 and int8, as TFLite Micro): every input of the output's
// shape. float32 sums left to right as TFLite's reference AddN (sum = x0,
// then += x1, x2 ...), by the add_f32 kernel: the output is x0 + x1, then
// the output plus each further input in turn, in place. int8 (add_n_s8)
// rescales every input by one multiplier (they share a scale and zero
// point) and requantizes the sum, with TFLite Micro's parameters.
namespace {

Status CheckAddNShapes(const Graph& graph, const Node& node, DType dtype) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, SIZE_MAX, 1));
  const Tensor& out = graph.output(node, 0);
  for (size_t k = 0; k < node.inputs.size(); ++k) {
    const std::string role = fmt::format("input {}", k);
    KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, k, role.c_str(), {dtype}));
    const Tensor& in = *graph.input(node, k);
    if (in.shape != out.shape)
      return MakeError("{}: input {} '{}' has shape {}, expected {} (the output's; ADD_N does not broadcast)",
                       OpLabel(node), k, in.name, ShapeString(in.shape), ShapeString(out.shape));
  }
  return elem_detail::CheckOutputDType(graph, node, 0, {dtype});
}

/// TFLite Micro's int8 ADD_N parameters (add_n.cc): the inputs' scale over
/// twice itself, twice it over 2^20 times the output's, no activation.
struct AddNParams {
  FixedPointMultiplier input, output;
};

Expected<AddNParams> ComputeAddNParams(const Graph& graph, const Node& node) {
  const Tensor& first = *graph.input(node, 0);
  const Tensor& out = graph.output(node, 0);
  for (const Tensor* t : {&first, &out})
    if (t->quant.scale.size() != 1 || t->quant.zero_point.size() != 1 || !(t->quant.scale[0] > 0.0f))
      return MakeError("{}: '{}' needs one positive scale and one zero point (per-tensor int8 quantization)",
                       OpLabel(node), t->name);
  for (size_t k = 1; k < node.inputs.size(); ++k) {
    const Tensor& in = *graph.input(node, k);
    if (in.quant.scale.size() != 1 || in.quant.zero_point.size() != 1 || in.quant.scale[0] != first.quant.scale[0] ||
        ZeroPoint(in) != ZeroPoint(first))
      return MakeError("{}: input {} '{}' must have the quantization of input 0 '{}' (scale {}, zero point {}), as "
                       "TFLite Micro's ADD_N requires",
                       OpLabel(node), k, in.name, first.name, first.quant.scale[0], ZeroPoint(first));
  }
  const double twice_scale = 2 * static_cast<double>(first.quant.scale[0]);
  AddNParams p;
  KILN_ASSIGN_OR_RETURN(p.input, SmallerThanOne(node, static_cast<double>(first.quant.scale[0]) / twice_scale,
                                                "input_scale / (2 * input_scale)"));
  KILN_ASSIGN_OR_RETURN(p.output, SmallerThanOne(node,
                                                 twice_scale / ((1 << LeftShift(DType::kInt8)) *
                                                                static_cast<double>(out.quant.scale[0])),
                                                 "2 * input_scale / (2^20 * output_scale)"));
  return p;
}

}  // namespace

Status CheckAddN(const Graph& graph, const Node& node) { return CheckAddNShapes(graph, node, DType::kFloat32); }

Status CheckAddNS8(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckAddNShapes(graph, node, DType::kInt8));
  return ComputeAddNParams(graph, node).status();
}

Status LowerAddNS8(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(const AddNParams p, ComputeAddNParams(graph, node));
  ctx.use_kernel("add_n_s8");
  const std::string params = elem_detail::DeclareParams(
      ctx, "add_n_s8",
      {
          {"count", IntLit(graph.output(node, 0).num_elements())},
          {"input_offset", IntLit(-ZeroPoint(*graph.input(node, 0)))},
          {"left_shift", IntLit(LeftShift(DType::kInt8))},
          {"input_multiplier", IntLit(p.input.multiplier)},
          {"input_shift", IntLit(p.input.shift)},
          {"output_multiplier", IntLit(p.output.multiplier)},
          {"output_shift", IntLit(p.output.shift)},
          {"output_offset", IntLit(ZeroPoint(graph.output(node, 0)))},
          {"act_min", IntLit(-128)},
          {"act_max", IntLit(127)},
      });
  std::string inputs;
  for (size_t k = 0; k < node.inputs.size(); ++k) inputs += (k == 0 ? "" : ", ") + ctx.tensor(node.inputs[k]);
  // The inputs' addresses in a local array: one call, whatever their number.
  ctx.statement(fmt::format("{{ const int8_t* const add_n_inputs[] = {{ {1} }}; kiln_add_n_s8(&{2}, add_n_inputs, "
                            "{0}, {3}); }}",
                            node.inputs.size(), inputs, params, ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

Status LowerAddN(const Node& node, LoweringContext& ctx) {
  const Shape& shape = ctx.graph().output(node, 0).shape;
  ctx.use_kernel("add_f32");
  const std::string params =
      elem_detail::DeclareParams(ctx, "add_f32",
                                 {{"shape", BroadcastInitializer(shape, shape)},
                                  {"activation_min", elem_detail::FloatLit(-std::numeric_limits<float>::max())},
                                  {"activation_max", elem_detail::FloatLit(std::numeric_limits<float>::max())}});
  const std::string out = ctx.tensor(node.outputs[0]);
  for (size_t k = 1; k < node.inputs.size(); ++k)
    ctx.statement(fmt::format("kiln_add_f32(&{}, {}, {}, {});", params, k == 1 ? ctx.tensor(node.inputs[0]) : out,
                              ctx.tensor(node.inputs[k]), out));
  return Status::Ok();
}

Status CheckAddS8(const Graph& graph, const Node& node) {
  return CheckAddSubQuantized(graph, node, DType::kInt8, /*subtract=*/false);
}
Status CheckSubS8(const Graph& graph, const Node& node) {
  return CheckAddSubQuantized(graph, node, DType::kInt8, /*subtract=*/true);
}
Status CheckAddS16(const Graph& graph, const Node& node) {
  return CheckAddSubQuantized(graph, node, DType::kInt16, /*subtract=*/false);
}
Status CheckSubS16(const Graph& graph, const Node& node) {
  return CheckAddSubQuantized(graph, node, DType::kInt16, /*subtract=*/true);
}
std::vector<Schedule> AddS8Schedules(const Graph& graph, const Node& node, const KernelScheduleOptions& options) {
  (void)options;
  return AddSubS8Schedules(graph, node, /*subtract=*/false);
}
std::vector<Schedule> SubS8Schedules(const Graph& graph, const Node& node, const KernelScheduleOptions& options) {
  (void)options;
  return AddSubS8Schedules(graph, node, /*subtract=*/true);
}

Status LowerAddQuantized(const Node& node, LoweringContext& ctx) {
  return LowerAddSubQuantized(node, ctx, /*subtract=*/false);
}
Status LowerSubQuantized(const Node& node, LoweringContext& ctx) {
  return LowerAddSubQuantized(node, ctx, /*subtract=*/true);
}

namespace {

/// The binary shape rule, with a, b and the output quantized per tensor;
/// int16 ones with zero point 0, as TFLite Micro's int16 MUL and
/// SQUARED_DIFFERENCE require.
Status CheckQuantizedBinary(const Graph& graph, const Node& node) {
  const DType dtype = elem_detail::InputDType(graph, node);
  KILN_RETURN_IF_ERROR(CheckBinaryShapes(graph, node, dtype));
  const Tensor* tensors[3] = {graph.input(node, 0), graph.input(node, 1), &graph.output(node, 0)};
  const char* roles[3] = {"input a", "input b", "output"};
  for (int k = 0; k < 3; ++k)
    KILN_RETURN_IF_ERROR(dtype == DType::kInt16 ? CheckInt16SymmetricQuant(node, *tensors[k], roles[k])
                                                : elem_detail::CheckQuantized(node, *tensors[k], roles[k]));
  return Status::Ok();
}

}  // namespace

Status CheckMulQuantized(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckQuantizedBinary(graph, node));
  return ComputeMulParams(graph, node).status();
}

Status LowerMulQuantized(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& a = *graph.input(node, 0);
  const Tensor& b = *graph.input(node, 1);
  const Tensor& out = graph.output(node, 0);
  KILN_ASSIGN_OR_RETURN(const MulParams p, ComputeMulParams(graph, node));
  const std::string variant = a.dtype == DType::kInt16 ? "mul_s16" : "mul_s8";
  ctx.use_kernel(variant);
  const std::string name = elem_detail::DeclareParams(
      ctx, variant,
      {
          {"shape", BroadcastInitializer(a.shape, b.shape)},
          {"input1_offset", IntLit(-ZeroPoint(a))},
          {"input2_offset", IntLit(-ZeroPoint(b))},
          {"output_multiplier", IntLit(p.output.multiplier)},
          {"output_shift", IntLit(p.output.shift)},
          {"output_offset", IntLit(ZeroPoint(out))},
          {"activation_min", IntLit(p.activation.min)},
          {"activation_max", IntLit(p.activation.max)},
      });
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {}, {});", variant, name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.inputs[1]), ctx.tensor(node.outputs[0])));
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

// PRELU (int8; int16 with an int8 alpha), as TFLite Micro's PreluPrepare
// (CalculatePreluParams) and reference_ops::BroadcastPrelu4DSlow.
namespace {

struct PreluParams {
  FixedPointMultiplier identity, alpha;
};

PreluParams ComputePreluParams(const Graph& graph, const Node& node) {
  const double in = graph.input(node, 0)->quant.scale[0], alpha = graph.input(node, 1)->quant.scale[0];
  const double out = graph.output(node, 0).quant.scale[0];
  return {QuantizeMultiplier(in / out), QuantizeMultiplier(in * alpha / out)};
}

}  // namespace

Status CheckPreluQuantized(const Graph& graph, const Node& node) {
  const DType dtype = elem_detail::InputDType(graph, node);
  KILN_RETURN_IF_ERROR(CheckBinaryShapes(graph, node, dtype, std::nullopt, DType::kInt8));
  const Tensor* tensors[3] = {graph.input(node, 0), graph.input(node, 1), &graph.output(node, 0)};
  const char* roles[3] = {"input", "alpha", "output"};
  for (int k = 0; k < 3; ++k) KILN_RETURN_IF_ERROR(elem_detail::CheckQuantized(node, *tensors[k], roles[k]));
  const PreluParams p = ComputePreluParams(graph, node);
  KILN_RETURN_IF_ERROR(elem_detail::CheckShift(node, p.identity, "input_scale / output_scale"));
  return elem_detail::CheckShift(node, p.alpha, "input_scale * alpha_scale / output_scale");
}

Status LowerPreluQuantized(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const PreluParams p = ComputePreluParams(graph, node);
  elem_detail::EmitBroadcastCall(node, ctx, graph.input(node, 0)->dtype == DType::kInt16 ? "prelu_s16" : "prelu_s8",
                                 {
                                     {"input_offset", IntLit(-ZeroPoint(*graph.input(node, 0)))},
                                     {"alpha_offset", IntLit(-ZeroPoint(*graph.input(node, 1)))},
                                     {"output_offset", IntLit(ZeroPoint(graph.output(node, 0)))},
                                     {"multiplier_1", IntLit(p.identity.multiplier)},
                                     {"shift_1", IntLit(p.identity.shift)},
                                     {"multiplier_2", IntLit(p.alpha.multiplier)},
                                     {"shift_2", IntLit(p.alpha.shift)},
                                 });
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

// SQUARED_DIFFERENCE (int8; int16 with zero points 0), as TFLite Micro's
// squared_difference.cc: ADD's rescaling with a left shift of 7 (int8) or
// 0 (int16), the difference squared, then an output multiplier of
// (2 * max scale)^2 / (2^(2 * left shift) * output_scale).
namespace {

int SquaredDifferenceLeftShift(DType dtype) { return dtype == DType::kInt16 ? 0 : 7; }

Expected<AddSubParams> ComputeSquaredDifferenceParams(const Graph& graph, const Node& node) {
  const Tensor& a = *graph.input(node, 0);
  const int left_shift = SquaredDifferenceLeftShift(a.dtype);
  const float s1 = a.quant.scale[0], s2 = graph.input(node, 1)->quant.scale[0];
  const float so = graph.output(node, 0).quant.scale[0];
  const double twice_max = 2.0 * static_cast<double>(std::max(s1, s2));
  AddSubParams p;
  KILN_ASSIGN_OR_RETURN(p.input1,
                        SmallerThanOne(node, static_cast<double>(s1) / twice_max, "input1_scale / (2 * max scale)"));
  KILN_ASSIGN_OR_RETURN(p.input2,
                        SmallerThanOne(node, static_cast<double>(s2) / twice_max, "input2_scale / (2 * max scale)"));
  // The denominator in float, as TFLite Micro's (1 << 2 * left_shift) * scale.
  p.output = QuantizeMultiplier(twice_max * twice_max /
                                static_cast<double>(static_cast<float>(1 << (2 * left_shift)) * so));
  KILN_RETURN_IF_ERROR(elem_detail::CheckShift(node, p.output, "(2 * max scale)^2 / output_scale"));
  p.activation = DTypeRange(a.dtype);
  return p;
}

}  // namespace

Status CheckSquaredDifferenceQuantized(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckQuantizedBinary(graph, node));
  return ComputeSquaredDifferenceParams(graph, node).status();
}

Status LowerSquaredDifferenceQuantized(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(const AddSubParams p, ComputeSquaredDifferenceParams(ctx.graph(), node));
  const DType dtype = ctx.graph().input(node, 0)->dtype;
  EmitAddSubCall(node, ctx, dtype == DType::kInt16 ? "squared_difference_s16" : "squared_difference_s8", p,
                 SquaredDifferenceLeftShift(dtype), false);
  return Status::Ok();
}

// DIV (int8), as TFLite Micro's CalculateOpDataDiv and reference_ops::Div:
// the multiplier scale_a / (scale_b * scale_out), formed in float.
namespace {

/// TFLite's quotient stage shifts right by output_shift - (0..8) - (22..31):
/// a shift above 22 would make it a left shift, which it cannot do.
constexpr int kDivMaxOutputShift = 22;

Expected<MulParams> ComputeDivParams(const Graph& graph, const Node& node) {
  const float s1 = graph.input(node, 0)->quant.scale[0], s2 = graph.input(node, 1)->quant.scale[0];
  const Tensor& out = graph.output(node, 0);
  MulParams p;
  p.output = QuantizeMultiplier(static_cast<double>(s1 / (s2 * out.quant.scale[0])));
  if (p.output.shift > kDivMaxOutputShift)
    return MakeError("{}: scale_a / (scale_b * scale_out) = {} is too large (at most 2^{})", OpLabel(node),
                     static_cast<double>(s1 / (s2 * out.quant.scale[0])), kDivMaxOutputShift);
  auto range = QuantizedActivationRange(node.attrs.get_string("activation", "NONE"), out.dtype, out.quant.scale[0],
                                        ZeroPoint(out));
  if (!range.ok()) return MakeError("{}: {}", OpLabel(node), range.message());
  p.activation = *range;
  return p;
}

}  // namespace

Status CheckDivS8(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckQuantizedBinary(graph, node));
  return ComputeDivParams(graph, node).status();
}

Status LowerDivS8(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(const MulParams p, ComputeDivParams(graph, node));
  ctx.use_kernel("div_s8");
  const std::string name = elem_detail::DeclareParams(
      ctx, "div_s8",
      {
          {"shape", BroadcastInitializer(graph.input(node, 0)->shape, graph.input(node, 1)->shape)},
          {"input1_offset", IntLit(-ZeroPoint(*graph.input(node, 0)))},
          {"input2_offset", IntLit(-ZeroPoint(*graph.input(node, 1)))},
          {"output_offset", IntLit(ZeroPoint(graph.output(node, 0)))},
          {"output_multiplier", IntLit(p.output.multiplier)},
          {"output_shift", IntLit(p.output.shift)},
          {"activation_min", IntLit(p.activation.min)},
          {"activation_max", IntLit(p.activation.max)},
      });
  // A zero divisor stops run(), as the integer DIV kernels do.
  ctx.statement(fmt::format("if (kiln_div_s8(&{}, {}, {}, {}) != KILN_OK) return KILN_ERROR_DIVISION_BY_ZERO;", name,
                            ctx.tensor(node.inputs[0]), ctx.tensor(node.inputs[1]), ctx.tensor(node.outputs[0])));
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

}  // namespace kiln
