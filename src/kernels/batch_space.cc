// SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND, as TFLite Micro: an input of
// rank 4 [N,H,W,C] with a block of two dimensions, or of rank 3 [N,H,C]
// with one (taken as [N,H,1,C] with a block width of 1). SPACE_TO_BATCH_ND
// pads the spatial dimensions (with the output zero point for int8, 0
// otherwise) and moves each block_h x block_w block of positions into the
// batch: output batch (by * block_w + bx) * N + n holds positions
// (h * block_h + by, w * block_w + bx). BATCH_TO_SPACE_ND moves them back
// and crops. Either way each output axis's input position depends on that
// axis alone (SPACE_TO_BATCH_ND's batch taken as its three factors by, bx,
// n), so the runtime's axis_gather kernel reads the input through one
// table of offsets per axis; the padding is written first into scratch by
// the pad kernel.
#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

/// Both operators in NHWC terms: the space side [n, h, w, c] (the input of
/// SPACE_TO_BATCH_ND, before padding, or the output of BATCH_TO_SPACE_ND,
/// after cropping), the block and the padding or crops before and after.
struct BatchSpace {
  int64_t n = 0, h = 0, w = 0, c = 0;
  int64_t block_h = 1, block_w = 1;
  int64_t top = 0, bottom = 0, left = 0, right = 0;
  // The space side padded (SPACE_TO_BATCH_ND) or before cropping
  // (BATCH_TO_SPACE_ND), and the batch side's spatial size.
  int64_t padded_h() const { return h + top + bottom; }
  int64_t padded_w() const { return w + left + right; }
  int64_t batch_h() const { return padded_h() / block_h; }
  int64_t batch_w() const { return padded_w() / block_w; }
};

Expected<BatchSpace> Analyze(const Graph& graph, const Node& node, bool to_batch) {
  const char* const margins = to_batch ? "paddings" : "crops";
  KILN_RETURN_IF_ERROR(CheckArity(node, 3, 3, 1));
  KILN_RETURN_IF_ERROR(movement::CheckMovedValues(graph, node));
  const Tensor& in = *graph.input(node, 0);
  const Tensor& out = graph.output(node);
  if (in.shape.size() != 3 && in.shape.size() != 4)
    return MakeError("{}: input '{}' has shape {}, expected [N,H,W,C] or [N,H,C]", OpLabel(node), in.name,
                     ShapeString(in.shape));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, in, "input"));
  const size_t spatial = in.shape.size() - 2;
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> block, movement::ReadConstIndexTensor(graph, node, 1, "block_shape"));
  if (block.size() != spatial)
    return MakeError("{}: input 1 (block_shape) has {} values, expected {} for an input of rank {}", OpLabel(node),
                     block.size(), spatial, in.shape.size());
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> margin, movement::ReadConstIndexTensor(graph, node, 2, margins, 2));
  if (margin.size() != 2 * spatial)
    return MakeError("{}: input 2 ({}) has {} values, expected [{}, 2]", OpLabel(node), margins, margin.size(),
                     spatial);
  for (size_t d = 0; d < spatial; ++d) {
    if (block[d] < 1 || block[d] > (1 << 15))
      return MakeError("{}: block_shape[{}] is {}, expected 1 to 32768", OpLabel(node), d, block[d]);
    if (margin[2 * d] < 0 || margin[2 * d + 1] < 0 || margin[2 * d] > INT32_MAX || margin[2 * d + 1] > INT32_MAX)
      return MakeError("{}: {} of dimension {} are [{}, {}]; expected non-negative values", OpLabel(node), margins,
                       d + 1, margin[2 * d], margin[2 * d + 1]);
  }
  BatchSpace g;
  g.block_h = block[0];
  g.block_w = spatial == 2 ? block[1] : 1;
  g.top = margin[0];
  g.bottom = margin[1];
  g.left = spatial == 2 ? margin[2] : 0;
  g.right = spatial == 2 ? margin[3] : 0;
  const int64_t in_w = spatial == 2 ? in.shape[2] : 1;
  Shape expected;
  auto dim = [](int64_t v) { return static_cast<int32_t>(v); };
  if (to_batch) {
    g.n = in.shape[0];
    g.h = in.shape[1];
    g.w = in_w;
    g.c = in.shape.back();
    if (g.padded_h() % g.block_h != 0 || g.padded_w() % g.block_w != 0)
      return MakeError("{}: the padded input is {}x{}, not a multiple of the block {}x{}", OpLabel(node),
                       g.padded_h(), g.padded_w(), g.block_h, g.block_w);
    if (g.n * g.block_h * g.block_w > INT32_MAX || g.padded_h() > INT32_MAX || g.padded_w() > INT32_MAX)
      return MakeError("{}: the output is too large", OpLabel(node));
    expected = {dim(g.n * g.block_h * g.block_w), dim(g.batch_h())};
    if (spatial == 2) expected.push_back(dim(g.batch_w()));
  } else {
    const int64_t batch = in.shape[0];
    if (batch % (g.block_h * g.block_w) != 0)
      return MakeError("{}: input '{}' has a batch of {}, not a multiple of the block's {} positions", OpLabel(node),
                       in.name, batch, g.block_h * g.block_w);
    g.n = batch / (g.block_h * g.block_w);
    g.h = in.shape[1] * g.block_h - g.top - g.bottom;
    g.w = in_w * g.block_w - g.left - g.right;
    g.c = in.shape.back();
    if (g.h < 1 || g.w < 1)
      return MakeError("{}: crops [{}, {}] and [{}, {}] leave nothing of the {}x{} space", OpLabel(node), g.top,
                       g.bottom, g.left, g.right, in.shape[1] * g.block_h, in_w * g.block_w);
    expected = {dim(g.n), dim(g.h)};
    if (spatial == 2) expected.push_back(dim(g.w));
  }
  expected.push_back(dim(g.c));
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, out, "output"));
  return g;
}

/// The first `count` multiples of `step`.
std::vector<int64_t> Multiples(int64_t count, int64_t step) {
  std::vector<int64_t> v;
  for (int64_t i = 0; i < count; ++i) v.push_back(i * step);
  return v;
}

}  // namespace

Status CheckSpaceToBatchNd(const Graph& graph, const Node& node) { return Analyze(graph, node, true).status(); }
Status CheckBatchToSpaceNd(const Graph& graph, const Node& node) { return Analyze(graph, node, false).status(); }

Status LowerSpaceToBatchNd(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(BatchSpace g, Analyze(ctx.graph(), node, true));
  const size_t element = DTypeSize(ctx.graph().input(node, 0)->dtype);
  std::string source = ctx.tensor(node.inputs[0]);
  if (g.padded_h() != g.h || g.padded_w() != g.w) {
    const std::string padded = ctx.scratch(g.n * g.padded_h() * g.padded_w() * g.c * static_cast<int64_t>(element));
    movement::EmitPad(ctx, source, padded, element, {g.n, g.h, g.w, g.c}, {g.n, g.padded_h(), g.padded_w(), g.c},
                      {0, g.top, g.left, 0}, movement::DefaultPadBits(ctx.graph().output(node)));
    source = padded;
  }
  // The output as [block_h, block_w, n, batch_h, batch_w, c], from the
  // padded [n, padded_h, padded_w, c].
  const int64_t row = g.padded_w() * g.c;
  movement::EmitAxisGather(ctx, source, ctx.tensor(node.outputs[0]), element,
                           {Multiples(g.block_h, row), Multiples(g.block_w, g.c), Multiples(g.n, g.padded_h() * row),
                            Multiples(g.batch_h(), g.block_h * row), Multiples(g.batch_w(), g.block_w * g.c),
                            Multiples(g.c, 1)});
  return Status::Ok();
}

Status LowerBatchToSpaceNd(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(BatchSpace g, Analyze(ctx.graph(), node, false));
  const Tensor& in = *ctx.graph().input(node, 0);
  // The input [block_h, block_w, n, batch_h, batch_w, c]: output row y
  // (before cropping, y = row + top) is block row y % block_h of batch row
  // y / block_h; columns likewise.
  const int64_t image = g.batch_h() * g.batch_w() * g.c;
  std::vector<int64_t> rows, columns;
  for (int64_t y = g.top; y < g.top + g.h; ++y)
    rows.push_back((y % g.block_h) * g.block_w * g.n * image + (y / g.block_h) * g.batch_w() * g.c);
  for (int64_t x = g.left; x < g.left + g.w; ++x)
    columns.push_back((x % g.block_w) * g.n * image + (x / g.block_w) * g.c);
  movement::EmitAxisGather(ctx, ctx.tensor(node.inputs[0]), ctx.tensor(node.outputs[0]), DTypeSize(in.dtype),
                           {Multiples(g.n, image), rows, columns, Multiples(g.c, 1)});
  return Status::Ok();
}

}  // namespace kiln
