#include "frontend/onnx/onnx_op_table.h"

#include <algorithm>
#include <vector>

#include "frontend/onnx/converters.h"

namespace kiln::onnx_import {
namespace {

const std::vector<OnnxOpEntry> kOnnxOps = {
    {"Abs", "MUL + MAXIMUM", &ConvertNegAbs},
    {"Add", "ADD", &ConvertBinary},
    {"And", "LOGICAL_AND", &ConvertCompareLogic},
    {"ArgMax", "ARG_MAX (int64 output)", &ConvertArgMinMax},
    {"ArgMin", "ARG_MIN (int64 output)", &ConvertArgMinMax},
    {"AveragePool", "AVERAGE_POOL_2D (+ PAD)", &ConvertAveragePool},
    {"BatchNormalization", "folded into CONV_2D, else MUL + ADD", &ConvertBatchNormalization},
    {"Cast", "CAST (folded on constants)", &FoldCast},
    {"Ceil", "CEIL", &ConvertUnaryMath},
    {"Clip", "RELU | RELU6 | MAXIMUM + MINIMUM", &ConvertClip},
    {"Concat", "CONCATENATION", &ConvertConcat},
    {"Constant", "constant", &ConvertConstant},
    {"ConstantOfShape", "folded (constant shape)", &FoldConstantOfShape},
    {"Conv", "CONV_2D | DEPTHWISE_CONV_2D (+ PAD)", &ConvertConv},
    {"ConvTranspose", "TRANSPOSE_CONV (float32, 2-D, group 1, no dilation; ONNX's pads)", &ConvertConvTranspose},
    {"Cos", "COS", &ConvertUnaryMath},
    {"DepthToSpace", "DEPTH_TO_SPACE (CRD mode: + GATHER of the channels)", &ConvertDepthSpace},
    {"DequantizeLinear", "DEQUANTIZE", &ConvertDequantizeLinear},
    {"Div", "DIV", &ConvertBinary},
    {"Dropout", "removed (inference; its mask, a constant all true)", &ConvertIdentity},
    {"Elu", "ELU (alpha 1)", &ConvertUnaryActivation},
    {"Equal", "EQUAL", &ConvertCompareLogic},
    {"Exp", "EXP", &ConvertUnaryMath},
    {"Expand", "BROADCAST_TO (constant shape)", &ConvertExpand},
    {"Flatten", "RESHAPE", &ConvertFlatten},
    {"Floor", "FLOOR", &ConvertUnaryMath},
    {"Gather", "GATHER (constant indices; folded on constant data)", &FoldGather},
    {"GatherND", "GATHER_ND (batch_dims 0; indices 0 <= i < dim)", &ConvertGatherNd},
    {"Gemm", "FULLY_CONNECTED (+ TRANSPOSE, MUL, ADD)", &ConvertGemm},
    {"GlobalAveragePool", "MEAN", &ConvertGlobalAveragePool},
    {"GlobalMaxPool", "MAX_POOL_2D", &ConvertGlobalMaxPool},
    {"Greater", "GREATER", &ConvertCompareLogic},
    {"GreaterOrEqual", "GREATER_EQUAL", &ConvertCompareLogic},
    {"HardSigmoid", "MUL + ADD + MAXIMUM + MINIMUM", &ConvertHardSigmoid},
    {"HardSwish", "HARD_SWISH", &ConvertUnaryActivation},
    {"Identity", "removed", &ConvertIdentity},
    {"LSTM", "UNIDIRECTIONAL_SEQUENCE_LSTM (float32, forward; + RESHAPE, SLICE for Y, Y_h, Y_c)", &ConvertLstm},
    {"LayerNormalization", "MEAN, SUB, MUL, RSQRT, ADD (float32; Mean, InvStdDev outputs)",
     &ConvertLayerNormalization},
    {"LeakyRelu", "LEAKY_RELU", &ConvertUnaryActivation},
    {"Less", "LESS", &ConvertCompareLogic},
    {"LessOrEqual", "LESS_EQUAL", &ConvertCompareLogic},
    {"Log", "LOG", &ConvertUnaryMath},
    {"LogSoftmax", "LOG_SOFTMAX (+ TRANSPOSE | RESHAPE)", &ConvertSoftmax},
    {"MatMul", "FULLY_CONNECTED (constant or transposed B)", &ConvertMatMul},
    {"Max", "MAXIMUM (chained)", &ConvertVariadic},
    {"Mean", "ADD (chained) + DIV (float32)", &ConvertVariadic},
    {"MaxPool", "MAX_POOL_2D (+ PAD)", &ConvertMaxPool},
    {"Min", "MINIMUM (chained)", &ConvertVariadic},
    {"Mul", "MUL", &ConvertBinary},
    {"Neg", "MUL by -1", &ConvertNegAbs},
    {"Not", "LOGICAL_NOT", &ConvertCompareLogic},
    {"Or", "LOGICAL_OR", &ConvertCompareLogic},
    {"PRelu", "MAXIMUM + MINIMUM + MUL + ADD", &ConvertPRelu},
    {"Pad", "PAD (constant mode)", &ConvertPad},
    {"Pow", "POW (float32)", &ConvertPow},
    {"QLinearConv", "CONV_2D | DEPTHWISE_CONV_2D int8 (uint8 shifted; ONNX rounding)", &ConvertQLinearConv},
    {"QLinearMatMul", "FULLY_CONNECTED int8 (constant B; uint8 shifted; ONNX rounding)", &ConvertQLinearMatMul},
    {"QuantizeLinear", "QUANTIZE (rounding half to even)", &ConvertQuantizeLinear},
    {"Range", "folded (constants only)", &FoldRange},
    {"Reciprocal", "DIV of 1 (float32)", &ConvertReciprocal},
    {"ReduceL1", "ABS + SUM (float32)", &ConvertReduce},
    {"ReduceL2", "SQUARE + SUM + SQRT (float32)", &ConvertReduce},
    {"ReduceLogSum", "SUM + LOG (float32)", &ConvertReduce},
    {"ReduceLogSumExp", "EXP + SUM + LOG (float32)", &ConvertReduce},
    {"ReduceMax", "REDUCE_MAX", &ConvertReduce},
    {"ReduceMean", "MEAN", &ConvertReduce},
    {"ReduceMin", "REDUCE_MIN", &ConvertReduce},
    {"ReduceProd", "REDUCE_PROD (float32)", &ConvertReduce},
    {"ReduceSum", "SUM", &ConvertReduce},
    {"ReduceSumSquare", "SQUARE + SUM (float32)", &ConvertReduce},
    {"Relu", "RELU", &ConvertUnaryActivation},
    {"Reshape", "RESHAPE", &ConvertReshape},
    {"Resize", "RESIZE_NEAREST_NEIGHBOR | RESIZE_BILINEAR (4-D, height and width; ONNX's coordinate modes)",
     &ConvertResize},
    {"Round", "ROUND (ties to even)", &ConvertUnaryMath},
    {"Shape", "folded (static shapes)", &FoldShape},
    {"Sigmoid", "LOGISTIC", &ConvertUnaryActivation},
    {"Sin", "SIN", &ConvertUnaryMath},
    {"Size", "folded (static shapes)", &FoldSize},
    {"Slice", "STRIDED_SLICE", &ConvertSlice},
    {"Softmax", "SOFTMAX (+ TRANSPOSE | RESHAPE)", &ConvertSoftmax},
    {"SpaceToDepth", "SPACE_TO_DEPTH", &ConvertDepthSpace},
    {"Split", "SPLIT_V (constant sizes)", &ConvertSplit},
    {"Sqrt", "SQRT", &ConvertUnaryMath},
    {"Squeeze", "RESHAPE", &ConvertSqueeze},
    {"Sub", "SUB", &ConvertBinary},
    {"Sum", "ADD (chained)", &ConvertVariadic},
    {"Tanh", "TANH", &ConvertUnaryActivation},
    {"Transpose", "TRANSPOSE", &ConvertTranspose},
    {"Trilu", "SELECT_V2 of a constant triangle mask (constant k)", &ConvertTrilu},
    {"Unsqueeze", "RESHAPE", &ConvertUnsqueeze},
    {"Upsample", "RESIZE_NEAREST_NEIGHBOR | RESIZE_BILINEAR (as Resize, asymmetric)", &ConvertResize},
    {"Where", "SELECT_V2", &ConvertWhere},
    {"Xor", "NOT_EQUAL (bool)", &ConvertCompareLogic},
};

}  // namespace

std::span<const OnnxOpEntry> AllOnnxOps() { return kOnnxOps; }

const OnnxOpEntry* FindOnnxOp(std::string_view op_type) {
  auto it = std::find_if(kOnnxOps.begin(), kOnnxOps.end(),
                         [&](const OnnxOpEntry& e) { return e.name == op_type; });
  return it == kOnnxOps.end() ? nullptr : &*it;
}

}  // namespace kiln::onnx_import
