// DepthToSpace and SpaceToDepth -> TFLite's DEPTH_TO_SPACE and
// SPACE_TO_DEPTH in layout NCHW (passes/convert_layout.cc turns them into
// NHWC). TFLite orders a block's channels block position first (ONNX's
// DCR mode, and SpaceToDepth's only order); DepthToSpace's CRD mode puts
// the channel first, so its input channels are first put in DCR order by a
// GATHER of a constant permutation.
#include "frontend/onnx/converters.h"

namespace kiln::onnx_import {

Status ConvertDepthSpace(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input is missing");
  const bool to_space = n.op_type() == "DepthToSpace";
  const Tensor& x = n.input(0);
  if (x.shape.size() != 4) return n.Invalid("input has rank {}, expected 4 (NCHW)", x.shape.size());
  KILN_ASSIGN_OR_RETURN(int64_t block, n.attr_int("blocksize"));
  if (block < 1 || block > 1024) return n.Invalid("blocksize {}", block);
  std::string mode = "DCR";
  if (to_space) {
    KILN_ASSIGN_OR_RETURN(mode, n.attr_string("mode", std::string("DCR")));
  }
  if (mode != "DCR" && mode != "CRD") return n.Invalid("unknown mode '{}'", mode);
  const int32_t bs = static_cast<int32_t>(block), c = x.shape[1], h = x.shape[2], w = x.shape[3];
  const DType dtype = x.dtype;
  const Shape shape = x.shape;  // copies: the graph's tensors grow below
  const Quantization quant = x.quant;
  Shape out;
  if (to_space) {
    if (c % (bs * bs) != 0) return n.Invalid("{} channels are not a multiple of blocksize^2 = {}", c, bs * bs);
    out = {x.shape[0], c / (bs * bs), h * bs, w * bs};
  } else {
    if (h % bs != 0 || w % bs != 0) return n.Invalid("{}x{} is not a multiple of blocksize {}", h, w, bs);
    out = {x.shape[0], c * bs * bs, h / bs, w / bs};
  }
  int input = n.input_id(0);
  if (mode == "CRD") {
    // DCR channel k * C' + c holds CRD channel c * bs^2 + k.
    const int32_t groups = bs * bs, channels = c / groups;
    std::vector<int64_t> order;
    for (int32_t k = 0; k < groups; ++k)
      for (int32_t ch = 0; ch < channels; ++ch) order.push_back(int64_t{ch} * groups + k);
    const std::string name = n.proto().output(0) + "/dcr";
    const int positions = n.ctx().AddInt32Constant(name + "/positions", order, {c});
    Tensor dcr;
    dcr.name = name;
    dcr.dtype = dtype;
    dcr.shape = shape;
    dcr.quant = quant;
    const int dcr_id = n.ctx().AddTensor(std::move(dcr));
    Attrs gather;
    gather.set("axis", int64_t{1});
    gather.set("batch_dims", int64_t{0});
    n.ctx().AddNode(OpKind::kGather, {input, positions}, {dcr_id}, std::move(gather));
    input = dcr_id;
  }
  Attrs attrs;
  attrs.set("layout", std::string("NCHW"));
  attrs.set("block_size", block);
  const int y = n.DefineOutput(0, dtype, out);
  n.ctx().AddNode(to_space ? OpKind::kDepthToSpace : OpKind::kSpaceToDepth, {input}, {y}, std::move(attrs));
  return Status::Ok();
}

}  // namespace kiln::onnx_import
