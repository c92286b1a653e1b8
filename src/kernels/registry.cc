// The kernel table: which operators Kiln compiles, for which input dtype,
// with which runtime kernel. `kiln ops` prints it; the code generator
// looks kernels up here. Adding a kernel: see docs/new-operator.md.
#include "kernels/lowering.h"
#include "kernels/kernel_functions.h"

#include <vector>

namespace kiln {
namespace {

const std::vector<KernelEntry> kKernels = {
    // --- convolution and matrix multiply ---
    {OpKind::kConv2D, DType::kInt8, "conv2d_s8", &CheckConv2D, &LowerConv2DInt8, &Conv2DSchedules},
    {OpKind::kConv2D, DType::kFloat32, "conv2d_f32", &CheckConv2D, &LowerConv2DFloat32},
    {OpKind::kDepthwiseConv2D, DType::kInt8, "depthwise_conv2d_s8", &CheckDepthwiseConv2D,
     &LowerDepthwiseConv2DInt8, &DepthwiseConv2DSchedules},
    {OpKind::kDepthwiseConv2D, DType::kFloat32, "depthwise_conv2d_f32", &CheckDepthwiseConv2D,
     &LowerDepthwiseConv2DFloat32},
    {OpKind::kFullyConnected, DType::kInt8, "fully_connected_s8", &CheckFullyConnected,
     &LowerFullyConnectedInt8, &FullyConnectedSchedules},
    {OpKind::kFullyConnected, DType::kFloat32, "fully_connected_f32", &CheckFullyConnected,
     &LowerFullyConnectedFloat32},
    // --- elementwise math (float32) ---
    {OpKind::kAbs, DType::kFloat32, "abs_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kNeg, DType::kFloat32, "neg_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kFloor, DType::kFloat32, "floor_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kCeil, DType::kFloat32, "ceil_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kRound, DType::kFloat32, "round_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kSqrt, DType::kFloat32, "sqrt_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kRsqrt, DType::kFloat32, "rsqrt_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kSquare, DType::kFloat32, "square_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kExp, DType::kFloat32, "exp_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kLog, DType::kFloat32, "log_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kSin, DType::kFloat32, "sin_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kCos, DType::kFloat32, "cos_f32", &CheckUnaryMathFloat32, &LowerUnaryMathFloat32},
    {OpKind::kSquaredDifference, DType::kFloat32, "squared_difference_f32", &CheckBinaryMathFloat32, &LowerBinaryMathFloat32},
    {OpKind::kFloorDiv, DType::kFloat32, "floor_div_f32", &CheckBinaryMathFloat32, &LowerBinaryMathFloat32},
    {OpKind::kFloorMod, DType::kFloat32, "floor_mod_f32", &CheckBinaryMathFloat32, &LowerBinaryMathFloat32},
    {OpKind::kPow, DType::kFloat32, "pow_f32", &CheckBinaryMathFloat32, &LowerBinaryMathFloat32},
    {OpKind::kPrelu, DType::kFloat32, "prelu_f32", &CheckBinaryMathFloat32, &LowerBinaryMathFloat32},
    // --- comparisons and logic (bool outputs) ---
    {OpKind::kEqual, DType::kFloat32, "compare_f32", &CheckCompare, &LowerCompare},
    {OpKind::kEqual, DType::kInt32, "compare_s32", &CheckCompare, &LowerCompare},
    {OpKind::kEqual, DType::kInt8, "compare_s8", &CheckCompare, &LowerCompare},
    {OpKind::kEqual, DType::kBool, "compare_bool", &CheckCompare, &LowerCompare},
    {OpKind::kNotEqual, DType::kFloat32, "compare_f32", &CheckCompare, &LowerCompare},
    {OpKind::kNotEqual, DType::kInt32, "compare_s32", &CheckCompare, &LowerCompare},
    {OpKind::kNotEqual, DType::kInt8, "compare_s8", &CheckCompare, &LowerCompare},
    {OpKind::kNotEqual, DType::kBool, "compare_bool", &CheckCompare, &LowerCompare},
    {OpKind::kLess, DType::kFloat32, "compare_f32", &CheckCompare, &LowerCompare},
    {OpKind::kLess, DType::kInt32, "compare_s32", &CheckCompare, &LowerCompare},
    {OpKind::kLess, DType::kInt8, "compare_s8", &CheckCompare, &LowerCompare},
    {OpKind::kLessEqual, DType::kFloat32, "compare_f32", &CheckCompare, &LowerCompare},
    {OpKind::kLessEqual, DType::kInt32, "compare_s32", &CheckCompare, &LowerCompare},
    {OpKind::kLessEqual, DType::kInt8, "compare_s8", &CheckCompare, &LowerCompare},
    {OpKind::kGreater, DType::kFloat32, "compare_f32", &CheckCompare, &LowerCompare},
    {OpKind::kGreater, DType::kInt32, "compare_s32", &CheckCompare, &LowerCompare},
    {OpKind::kGreater, DType::kInt8, "compare_s8", &CheckCompare, &LowerCompare},
    {OpKind::kGreaterEqual, DType::kFloat32, "compare_f32", &CheckCompare, &LowerCompare},
    {OpKind::kGreaterEqual, DType::kInt32, "compare_s32", &CheckCompare, &LowerCompare},
    {OpKind::kGreaterEqual, DType::kInt8, "compare_s8", &CheckCompare, &LowerCompare},
    {OpKind::kLogicalAnd, DType::kBool, "logical_bool", &CheckLogical, &LowerLogical},
    {OpKind::kLogicalOr, DType::kBool, "logical_bool", &CheckLogical, &LowerLogical},
    {OpKind::kLogicalNot, DType::kBool, "logical_not_bool", &CheckLogicalNot, &LowerLogicalNot},
    // --- pooling, softmax, logistic, tanh, mean ---
    {OpKind::kAveragePool2D, DType::kInt8, "avg_pool2d_s8", &CheckPool2D, &LowerPool2D},
    {OpKind::kAveragePool2D, DType::kFloat32, "avg_pool2d_f32", &CheckPool2D, &LowerPool2D},
    {OpKind::kMaxPool2D, DType::kInt8, "max_pool2d_s8", &CheckPool2D, &LowerPool2D},
    {OpKind::kMaxPool2D, DType::kFloat32, "max_pool2d_f32", &CheckPool2D, &LowerPool2D},
    {OpKind::kSoftmax, DType::kInt8, "softmax_s8", &CheckSoftmaxInt8, &LowerSoftmaxInt8},
    {OpKind::kSoftmax, DType::kInt16, "softmax_s16", &CheckSoftmaxInt16, &LowerSoftmaxInt16},
    {OpKind::kSoftmax, DType::kFloat32, "softmax_f32", &CheckSoftmaxFloat, &LowerSoftmaxFloat},
    {OpKind::kLogSoftmax, DType::kFloat32, "log_softmax_f32", &CheckSoftmaxFloat,
     &LowerSoftmaxFloat},
    {OpKind::kLogistic, DType::kInt8, "logistic_s8", &CheckLogisticTanhInt8,
     &LowerLogisticTanhInt8},
    {OpKind::kLogistic, DType::kFloat32, "logistic_f32", &CheckLogisticTanhFloat,
     &LowerLogisticTanhFloat},
    {OpKind::kTanh, DType::kInt8, "tanh_s8", &CheckLogisticTanhInt8, &LowerLogisticTanhInt8},
    {OpKind::kTanh, DType::kFloat32, "tanh_f32", &CheckLogisticTanhFloat,
     &LowerLogisticTanhFloat},
    {OpKind::kMean, DType::kInt8, "mean_s8", &CheckMean, &LowerMean},
    {OpKind::kMean, DType::kFloat32, "mean_f32", &CheckMean, &LowerMean},
    // --- elementwise arithmetic, activations, (de)quantization ---
    {OpKind::kAdd, DType::kInt8, "add_s8", &CheckAddS8, &LowerAddQuantized, &AddS8Schedules},
    {OpKind::kAdd, DType::kInt16, "add_s16", &CheckAddS16, &LowerAddQuantized},
    {OpKind::kAdd, DType::kFloat32, "add_f32", &CheckBinaryFloat32, &LowerBinaryFloat32},
    {OpKind::kSub, DType::kInt8, "sub_s8", &CheckSubS8, &LowerSubQuantized, &SubS8Schedules},
    {OpKind::kSub, DType::kInt16, "sub_s16", &CheckSubS16, &LowerSubQuantized},
    {OpKind::kSub, DType::kFloat32, "sub_f32", &CheckBinaryFloat32, &LowerBinaryFloat32},
    {OpKind::kMul, DType::kInt8, "mul_s8", &CheckMulS8, &LowerMulS8},
    {OpKind::kMul, DType::kFloat32, "mul_f32", &CheckBinaryFloat32, &LowerBinaryFloat32},
    {OpKind::kDiv, DType::kFloat32, "div_f32", &CheckBinaryFloat32, &LowerBinaryFloat32},
    {OpKind::kMaximum, DType::kFloat32, "maximum_f32", &CheckBinaryFloat32, &LowerBinaryFloat32},
    {OpKind::kMinimum, DType::kFloat32, "minimum_f32", &CheckBinaryFloat32, &LowerBinaryFloat32},
    {OpKind::kRelu, DType::kInt8, "relu_s8", &CheckReluS8, &LowerReluS8},
    {OpKind::kRelu, DType::kFloat32, "relu_f32", &CheckReluF32, &LowerReluF32},
    {OpKind::kRelu6, DType::kInt8, "relu_s8", &CheckReluS8, &LowerReluS8},
    {OpKind::kRelu6, DType::kFloat32, "relu_f32", &CheckReluF32, &LowerReluF32},
    {OpKind::kLeakyRelu, DType::kInt8, "leaky_relu_s8", &CheckLeakyReluS8, &LowerLeakyReluS8},
    {OpKind::kLeakyRelu, DType::kFloat32, "leaky_relu_f32", &CheckLeakyReluF32,
     &LowerLeakyReluF32},
    {OpKind::kHardSwish, DType::kInt8, "hard_swish_s8", &CheckHardSwishS8, &LowerHardSwishS8},
    {OpKind::kHardSwish, DType::kFloat32, "hard_swish_f32", &CheckHardSwishF32,
     &LowerHardSwishF32},
    {OpKind::kQuantize, DType::kFloat32, "quantize_f32", &CheckQuantizeF32, &LowerQuantize},
    {OpKind::kQuantize, DType::kInt8, "requantize_s8", &CheckRequantizeS8, &LowerQuantize},
    {OpKind::kQuantize, DType::kUInt8, "requantize_u8", &CheckRequantizeU8, &LowerQuantize},
    {OpKind::kQuantize, DType::kInt16, "requantize_s16", &CheckRequantizeS16, &LowerQuantize},
    {OpKind::kQuantize, DType::kInt32, "requantize_s32", &CheckRequantizeS32, &LowerQuantize},
    {OpKind::kDequantize, DType::kInt8, "dequantize_s8", &CheckDequantizeS8, &LowerDequantizeS8},
    {OpKind::kDequantize, DType::kUInt8, "dequantize_u8", &CheckDequantizeU8, &LowerDequantizeU8},
    {OpKind::kDequantize, DType::kInt16, "dequantize_s16", &CheckDequantizeS16,
     &LowerDequantizeS16},
    // --- data movement and SVDF ---
    {OpKind::kReshape, DType::kInt8, "copy", &CheckReshape, &LowerReshape},
    {OpKind::kReshape, DType::kUInt8, "copy", &CheckReshape, &LowerReshape},
    {OpKind::kReshape, DType::kInt16, "copy", &CheckReshape, &LowerReshape},
    {OpKind::kReshape, DType::kInt32, "copy", &CheckReshape, &LowerReshape},
    {OpKind::kReshape, DType::kFloat32, "copy", &CheckReshape, &LowerReshape},
    {OpKind::kReshape, DType::kInt64, "copy", &CheckReshape, &LowerReshape},
    {OpKind::kReshape, DType::kBool, "copy", &CheckReshape, &LowerReshape},
    {OpKind::kSqueeze, DType::kInt8, "copy", &CheckSqueeze, &LowerSqueeze},
    {OpKind::kSqueeze, DType::kUInt8, "copy", &CheckSqueeze, &LowerSqueeze},
    {OpKind::kSqueeze, DType::kInt16, "copy", &CheckSqueeze, &LowerSqueeze},
    {OpKind::kSqueeze, DType::kInt32, "copy", &CheckSqueeze, &LowerSqueeze},
    {OpKind::kSqueeze, DType::kFloat32, "copy", &CheckSqueeze, &LowerSqueeze},
    {OpKind::kConcatenation, DType::kInt8, "concatenation", &CheckConcatenation,
     &LowerConcatenation},
    {OpKind::kConcatenation, DType::kUInt8, "concatenation", &CheckConcatenation,
     &LowerConcatenation},
    {OpKind::kConcatenation, DType::kInt16, "concatenation", &CheckConcatenation,
     &LowerConcatenation},
    {OpKind::kConcatenation, DType::kInt32, "concatenation", &CheckConcatenation,
     &LowerConcatenation},
    {OpKind::kConcatenation, DType::kFloat32, "concatenation", &CheckConcatenation,
     &LowerConcatenation},
    {OpKind::kPad, DType::kInt8, "pad", &CheckPad, &LowerPad},
    {OpKind::kPad, DType::kInt16, "pad", &CheckPad, &LowerPad},
    {OpKind::kPad, DType::kInt32, "pad", &CheckPad, &LowerPad},
    {OpKind::kPad, DType::kFloat32, "pad", &CheckPad, &LowerPad},
    {OpKind::kStridedSlice, DType::kInt8, "strided_slice", &CheckStridedSlice,
     &LowerStridedSlice},
    {OpKind::kStridedSlice, DType::kInt16, "strided_slice", &CheckStridedSlice,
     &LowerStridedSlice},
    {OpKind::kStridedSlice, DType::kInt32, "strided_slice", &CheckStridedSlice,
     &LowerStridedSlice},
    {OpKind::kStridedSlice, DType::kFloat32, "strided_slice", &CheckStridedSlice,
     &LowerStridedSlice},
    {OpKind::kTranspose, DType::kInt8, "transpose", &CheckTranspose, &LowerTranspose},
    {OpKind::kTranspose, DType::kInt16, "transpose", &CheckTranspose, &LowerTranspose},
    {OpKind::kTranspose, DType::kInt32, "transpose", &CheckTranspose, &LowerTranspose},
    {OpKind::kTranspose, DType::kFloat32, "transpose", &CheckTranspose, &LowerTranspose},
    // svdf_s8 has an int8 state; LowerSvdfS8 uses svdf_s8_s16 for an int16 one.
    {OpKind::kSvdf, DType::kInt8, "svdf_s8", &CheckSvdfS8, &LowerSvdfS8},
    {OpKind::kSvdf, DType::kFloat32, "svdf_f32", &CheckSvdfF32, &LowerSvdfF32},
};

}  // namespace

std::span<const KernelEntry> AllKernels() { return kKernels; }

const KernelEntry* FindKernel(const Graph& graph, const Node& node) {
  const Tensor* first = graph.input(node, 0);
  if (first == nullptr) return nullptr;
  for (const KernelEntry& entry : kKernels) {
    if (entry.op == node.op && entry.dtype == first->dtype) return &entry;
  }
  return nullptr;
}

}  // namespace kiln
