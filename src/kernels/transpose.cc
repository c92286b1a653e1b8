// TRANSPOSE: output dimension a is input dimension perm[a]. The constant
// permutation becomes, per output axis, the input stride to walk; runtime
// kernel "transpose".
#include <fmt/format.h>

#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kMaxTransposeRank = 6;  // KILN_TRANSPOSE_MAX_DIMS

}  // namespace

Status CheckTranspose(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input",
                                       {DType::kInt8, DType::kInt16, DType::kInt32,
                                        DType::kFloat32}));
  KILN_RETURN_IF_ERROR(movement::CheckOutputDTypeMatchesInput(graph, node));
  const Tensor& in = graph.tensor(node.inputs[0]);
  KILN_RETURN_IF_ERROR(movement::CheckMaxRank(node, in, "input", kMaxTransposeRank));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, in, "input"));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> perm,
                        movement::ReadConstIndexTensor(graph, node, 1, "perm"));
  const size_t rank = in.shape.size();
  if (perm.size() != rank)
    return MakeError("{}: input 1 (perm) has {} entries, expected {} (the input's rank)",
                     OpLabel(node), perm.size(), rank);
  std::vector<bool> seen(rank, false);
  Shape expected;
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(rank) || seen[static_cast<size_t>(p)])
      return MakeError("{}: input 1 (perm) {} is not a permutation of 0..{}", OpLabel(node),
                       movement::IntList(perm), static_cast<int64_t>(rank) - 1);
    seen[static_cast<size_t>(p)] = true;
    expected.push_back(in.shape[static_cast<size_t>(p)]);
  }
  return CheckOutputShape(graph, node, 0, expected);
}

Status LowerTranspose(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& in = graph.tensor(node.inputs[0]);
  const Tensor& perm = *graph.input(node, 1);
  const size_t rank = in.shape.size();
  std::vector<int64_t> in_stride(rank, 1);
  for (size_t d = rank; d-- > 1;) in_stride[d - 1] = in_stride[d] * in.shape[d];
  // Leading output axes of size 1 never move, so their stride is 0.
  std::vector<int64_t> strides(kMaxTransposeRank - rank, 0);
  for (size_t a = 0; a < rank; ++a)
    strides.push_back(in_stride[static_cast<size_t>(perm.int_at(static_cast<int64_t>(a)))]);

  ctx.use_kernel("transpose");
  const std::string params = ctx.unique_name("transpose_params");
  ctx.declare(StaticConstStruct(
      "kiln_transpose_params_t", params,
      {{"element_size", std::to_string(DTypeSize(in.dtype))},
       {"output_dims",
        movement::IntList(movement::ExtendShape(graph.output(node).shape, kMaxTransposeRank))},
       {"input_strides", movement::IntList(strides)}}));
  ctx.statement(fmt::format("kiln_transpose(&{}, {}, {});", params, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
