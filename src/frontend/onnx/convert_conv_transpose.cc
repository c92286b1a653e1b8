// ConvTranspose -> TRANSPOSE_CONV (float32, 2-D, group 1, no dilation), in
// layout NCHW (passes/convert_layout.cc turns it into NHWC). The filter
// [Ci, Co, KH, KW] is permuted into TFLite's [Co, KH, KW, Ci] (at import
// when constant, else by a TRANSPOSE); ONNX's leading pads (given, or from auto_pad or output_shape) go on
// the node as pad_top and pad_left, which the kernel's lowering takes in
// place of TFLite's SAME/VALID rule (kernels/transpose_conv.cc); the
// trailing pads and output_padding only decide the output's size.
#include "frontend/onnx/converters.h"
#include "frontend/onnx/onnx_tensor.h"

namespace kiln::onnx_import {

Status ConvertConvTranspose(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("inputs X and W are required");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  KILN_RETURN_IF_ERROR(RequireFloat(n, 1));
  const Tensor& x = n.input(0);
  if (x.shape.size() != 4) return n.Unsupported("input of rank {} (2-D ConvTranspose only)", x.shape.size());
  const Tensor* w = &n.input(1);
  if (w->shape.size() != 4 || w->shape[0] != x.shape[1])
    return n.Invalid("W {} does not match input {} (expected [C, M, kH, kW])", ShapeString(w->shape),
                     ShapeString(x.shape));
  KILN_ASSIGN_OR_RETURN(int64_t group, n.attr_int("group", 1));
  if (group != 1) return n.Unsupported("group {} (1 only)", group);
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> dilations, n.attr_ints("dilations", std::vector<int64_t>{1, 1}));
  for (int64_t d : dilations)
    if (d != 1) return n.Unsupported("dilations other than 1 (TFLite's TRANSPOSE_CONV has none)");
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> strides, n.attr_ints("strides", std::vector<int64_t>{1, 1}));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> output_padding,
                        n.attr_ints("output_padding", std::vector<int64_t>{0, 0}));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> pads, n.attr_ints("pads", std::vector<int64_t>{0, 0, 0, 0}));
  KILN_ASSIGN_OR_RETURN(std::string auto_pad, n.attr_string("auto_pad", std::string("NOTSET")));
  if (strides.size() != 2 || output_padding.size() != 2 || pads.size() != 4)
    return n.Invalid("strides, output_padding and pads must have 2, 2 and 4 values");
  const int64_t kernel[2] = {w->shape[2], w->shape[3]};
  // Bounds first, so that no size below can overflow.
  constexpr int64_t kMax = 1 << 16;
  for (size_t a = 0; a < 2; ++a)
    if (strides[a] < 1 || strides[a] > kMax || output_padding[a] < 0 || output_padding[a] >= strides[a])
      return n.Invalid("stride {} and output_padding {} of axis {}: the stride must be 1 to {}, output_padding "
                       "below it",
                       strides[a], output_padding[a], a, kMax);
  for (int64_t p : pads)
    if (p < 0 || p > kMax) return n.Invalid("pads must be 0 to {}", kMax);

  // Per spatial axis: the output size and the leading pad.
  int64_t out[2], lead[2];
  const bool has_output_shape = n.has_attr("output_shape");
  std::vector<int64_t> output_shape;
  if (has_output_shape) {
    KILN_ASSIGN_OR_RETURN(output_shape, n.attr_ints("output_shape"));
    if (output_shape.size() == 4) output_shape.erase(output_shape.begin(), output_shape.begin() + 2);
    if (output_shape.size() != 2) return n.Invalid("output_shape must hold the 2 spatial sizes");
    for (int64_t d : output_shape)
      if (d < 1 || d > kMax) return n.Invalid("output_shape sizes must be 1 to {}", kMax);
  }
  for (size_t a = 0; a < 2; ++a) {
    const int64_t in = x.shape[2 + a];
    const int64_t full = strides[a] * (in - 1) + output_padding[a] + kernel[a];  // before any padding
    if (has_output_shape || auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      out[a] = has_output_shape ? output_shape[a] : in * strides[a];
      const int64_t total = full - out[a];
      // ONNX's split, in floor division: SAME_UPPER puts the odd pad at the
      // end, the others at the start. A negative total (an output larger
      // than the convolution covers) extends it at the end while the
      // leading pad stays 0; a negative leading pad is not supported.
      const int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
      lead[a] = auto_pad == "SAME_UPPER" ? half : total - half;
      if (lead[a] < 0) return n.Unsupported("a negative leading pad ({}) on axis {}", lead[a], a);
    } else if (auto_pad == "NOTSET" || auto_pad == "VALID") {
      lead[a] = auto_pad == "VALID" ? 0 : pads[a];
      const int64_t trail = auto_pad == "VALID" ? 0 : pads[a + 2];
      if (lead[a] < 0 || trail < 0) return n.Invalid("negative pads");
      out[a] = full - lead[a] - trail;
    } else {
      return n.Invalid("unknown auto_pad '{}'", auto_pad);
    }
    if (out[a] < 1) return n.Invalid("output size {} on axis {}", out[a], a);
    if (lead[a] >= kernel[a]) return n.Unsupported("a leading pad of {} past the kernel's {}", lead[a], kernel[a]);
  }

  const int32_t batches = x.shape[0], outputs = w->shape[1];
  // In double: four int32 factors can overflow int64.
  if (static_cast<double>(batches) * outputs * out[0] * out[1] > static_cast<double>(kMaxElements))
    return n.Unsupported("an output of more than 2^31 elements");
  const int filter_id = EmitTranspose(n, n.input_id(1), {1, 2, 3, 0}, w->name + "/ohwi");
  std::vector<int> inputs = {n.input_id(0), filter_id};
  if (n.has_input(2)) {
    KILN_RETURN_IF_ERROR(RequireFloat(n, 2));
    inputs.push_back(n.input_id(2));
  }
  Attrs attrs;
  attrs.set("layout", std::string("NCHW"));
  attrs.set("padding", std::string("VALID"));
  attrs.set("stride_h", strides[0]);
  attrs.set("stride_w", strides[1]);
  attrs.set("activation", std::string("NONE"));
  attrs.set("pad_top", lead[0]);
  attrs.set("pad_left", lead[1]);
  const int y =
      n.DefineOutput(0, DType::kFloat32, {batches, outputs, static_cast<int32_t>(out[0]), static_cast<int32_t>(out[1])});
  n.ctx().AddNode(OpKind::kTransposeConv, std::move(inputs), {y}, std::move(attrs));
  return Status::Ok();
}

}  // namespace kiln::onnx_import
