// Resize and Upsample -> RESIZE_NEAREST_NEIGHBOR | RESIZE_BILINEAR over
// the last two axes of a 4-D NCHW tensor (layout NCHW, which
// passes/convert_layout.cc turns into NHWC). The node carries ONNX's
// coordinate_transformation_mode, nearest_mode and scales, and the kernel's
// tables follow ONNX's formulas (kernels/resize.cc): every mode but
// tf_crop_and_resize, nearest and linear (float32); cubic is unsupported.
#include <cmath>

#include "frontend/onnx/converters.h"
#include "frontend/onnx/onnx_tensor.h"

namespace kiln::onnx_import {
namespace {

/// Scales (output over input size) per axis, from Upsample's attribute or
/// input, or Resize's scales input.
Expected<std::vector<double>> ScalesFrom(OnnxNode& n, size_t input) {
  std::vector<double> scales;
  if (n.op_type() == "Upsample" && n.opset() < 9) {
    const onnx::AttributeProto* attr = n.attr("scales");
    if (attr == nullptr) return n.Invalid("the scales attribute is missing");
    scales.assign(attr->floats().begin(), attr->floats().end());
  } else {
    if (!n.has_input(input)) return n.Invalid("neither scales nor sizes is given");
    KILN_ASSIGN_OR_RETURN(std::vector<float> values, n.ConstantFloats(input, "scales"));
    scales.assign(values.begin(), values.end());
  }
  return scales;
}

}  // namespace

Status ConvertResize(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input X is missing");
  const Tensor& x = n.input(0);
  const bool legacy = n.op_type() == "Upsample" || n.opset() < 11;  // asymmetric, floor
  KILN_ASSIGN_OR_RETURN(std::string mode, n.attr_string("mode", std::string("nearest")));
  if (mode == "cubic") return n.Unsupported("mode cubic (nearest and linear are supported)");
  if (mode == "bilinear" && n.op_type() == "Upsample") mode = "linear";  // Upsample-7's name
  if (mode != "nearest" && mode != "linear") return n.Invalid("unknown mode '{}'", mode);
  std::string coordinates = "asymmetric", nearest = "floor";
  if (!legacy) {
    KILN_ASSIGN_OR_RETURN(coordinates, n.attr_string("coordinate_transformation_mode", std::string("half_pixel")));
    KILN_ASSIGN_OR_RETURN(nearest, n.attr_string("nearest_mode", std::string("round_prefer_floor")));
    if (coordinates != "half_pixel" && coordinates != "pytorch_half_pixel" && coordinates != "align_corners" &&
        coordinates != "asymmetric" && coordinates != "tf_half_pixel_for_nn")
      return n.Unsupported("coordinate_transformation_mode {}", coordinates);
    if (nearest != "round_prefer_floor" && nearest != "round_prefer_ceil" && nearest != "floor" && nearest != "ceil")
      return n.Unsupported("nearest_mode {}", nearest);
    KILN_ASSIGN_OR_RETURN(int64_t antialias, n.attr_int("antialias", 0));
    if (antialias != 0) return n.Unsupported("antialias");
    if (n.has_attr("axes")) return n.Unsupported("the axes attribute");
  }
  if (x.shape.size() != 4) return n.Unsupported("input of rank {} (4-D NCHW only)", x.shape.size());
  if (mode == "linear" && x.dtype != DType::kFloat32) return n.Unsupported("linear mode on {}", DTypeName(x.dtype));

  // The output size and the scales the coordinates use: from `sizes` when
  // given (scale = output / input size), else from the scales.
  const size_t scales_input = legacy ? 1 : 2;
  std::vector<double> scales;
  Shape out = x.shape;
  if (!legacy && n.has_input(3)) {
    KILN_ASSIGN_OR_RETURN(std::vector<int64_t> sizes, n.ConstantInts(3, "sizes"));
    if (sizes.size() != 4) return n.Invalid("sizes has {} values for a rank-4 input", sizes.size());
    for (size_t i = 0; i < 4; ++i) {
      if (sizes[i] < 1 || sizes[i] > (int64_t{1} << 16)) return n.Invalid("sizes[{}] is {}", i, sizes[i]);
      out[i] = static_cast<int32_t>(sizes[i]);
      scales.push_back(static_cast<double>(sizes[i]) / x.shape[i]);
    }
  } else {
    KILN_ASSIGN_OR_RETURN(scales, ScalesFrom(n, scales_input));
    if (scales.size() != 4) return n.Invalid("scales has {} values for a rank-4 input", scales.size());
    for (size_t i = 0; i < 4; ++i) {
      const double size = std::floor(x.shape[i] * scales[i]);
      if (!(scales[i] > 0.0) || !(size >= 1.0) || size > (1 << 16))
        return n.Invalid("scale {} of axis {} gives an output of {}", scales[i], i, size);
      out[i] = static_cast<int32_t>(size);
    }
  }
  if (out[0] != x.shape[0] || out[1] != x.shape[1] || scales[0] != 1.0 || scales[1] != 1.0)
    return n.Unsupported("resizing the batch or channel axis (only height and width)");
  // In double: four int32 factors can overflow int64.
  if (static_cast<double>(out[0]) * out[1] * out[2] * out[3] > static_cast<double>(kMaxElements))
    return n.Unsupported("an output of more than 2^31 elements");

  const DType dtype = x.dtype;  // before the graph's tensors grow
  Attrs attrs;
  attrs.set("layout", std::string("NCHW"));
  attrs.set("coordinate_transformation_mode", coordinates);
  attrs.set("nearest_mode", nearest);
  attrs.set("scale_h", scales[2]);
  attrs.set("scale_w", scales[3]);
  const int size = n.ctx().AddInt32Constant(n.proto().output(0) + "/size", {out[2], out[3]}, {2});
  const int y = n.DefineOutput(0, dtype, out);
  n.ctx().AddNode(mode == "linear" ? OpKind::kResizeBilinear : OpKind::kResizeNearestNeighbor, {n.input_id(0), size},
                  {y}, std::move(attrs));
  return Status::Ok();
}

}  // namespace kiln::onnx_import
