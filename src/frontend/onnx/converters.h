// One converter per ONNX operator (or family), grouped by source file. A
// converter validates the node (malformed -> node.Invalid, cannot compile ->
// node.Unsupported), infers the output shapes, and appends IR nodes in the
// ONNX layout (NCHW; passes/convert_layout.cc moves them to NHWC later).
#pragma once

#include "frontend/onnx/import_context.h"

namespace kiln::onnx_import {

// --- convert_nn.cc: convolution, pooling, dense layers, normalization ---
Status ConvertConv(OnnxNode& n);
Status ConvertMaxPool(OnnxNode& n);
Status ConvertAveragePool(OnnxNode& n);
Status ConvertGlobalAveragePool(OnnxNode& n);
Status ConvertGlobalMaxPool(OnnxNode& n);
Status ConvertGemm(OnnxNode& n);
Status ConvertMatMul(OnnxNode& n);
Status ConvertBatchNormalization(OnnxNode& n);
/// LayerNormalization (float32) -> MEAN, SUB, MUL, MEAN, ADD, RSQRT, MUL, MUL,
/// ADD: ONNX's definition step by step; Mean and InvStdDev outputs too.
Status ConvertLayerNormalization(OnnxNode& n);
Status ConvertInstanceNormalization(OnnxNode& n);
/// Conv's lowering on tensors x, w (ONNX layout) and an optional bias:
/// float32, or, with `output_quant`, int8 with ONNX's requantization
/// (QLinearConv; x and w already int8 and quantized).
Status EmitConvolution(OnnxNode& n, int x, int w, int bias, const Quantization* output_quant);

// --- convert_elementwise.cc: arithmetic, activations, softmax ---
Status ConvertBinary(OnnxNode& n);  // Add, Sub, Mul, Div, Max, Min (two inputs)
Status ConvertReciprocal(OnnxNode& n);  // Reciprocal -> DIV of 1 (float32)
Status ConvertUnaryActivation(OnnxNode& n);  // Relu, Sigmoid, Tanh, LeakyRelu, HardSwish, Elu, Selu
Status ConvertUnaryMath(OnnxNode& n);  // Floor ... Cos, Tan, Asin ... Atanh, Erf, Sign (float)
Status ConvertCompareLogic(OnnxNode& n);  // Equal, Less(OrEqual), Greater(OrEqual), And, Or, Xor, Not
Status ConvertPow(OnnxNode& n);           // Pow (float32, float64, int32, int64; mixed via float64)
Status ConvertMod(OnnxNode& n);           // Mod -> FLOOR_MOD (fmod=0) | TRUNC_MOD (fmod=1)
Status ConvertSoftplus(OnnxNode& n);      // Softplus -> EXP + ADD + LOG
Status ConvertSoftsign(OnnxNode& n);      // Softsign -> ABS + ADD + DIV
Status ConvertCelu(OnnxNode& n);          // Celu -> MUL + ELU
Status ConvertThresholds(OnnxNode& n);    // ThresholdedRelu, Shrink -> comparisons + SELECT_V2
Status ConvertIsNanInf(OnnxNode& n);      // IsNaN, IsInf -> comparisons with itself, +-inf
Status ConvertHardmax(OnnxNode& n);       // Hardmax -> ARG_MAX + EQUAL + CAST
Status ConvertSplit(OnnxNode& n);         // Split -> SPLIT_V (constant sizes)
Status ConvertArgMinMax(OnnxNode& n);     // ArgMax, ArgMin (first index)
Status ConvertTile(OnnxNode& n);          // Tile -> CONCATENATION per repeated axis (constant repeats)
Status ConvertGatherElements(OnnxNode& n);  // GatherElements -> GATHER_ELEMENTS
Status ConvertClip(OnnxNode& n);
Status ConvertHardSigmoid(OnnxNode& n);
Status ConvertSoftmax(OnnxNode& n);  // Softmax, LogSoftmax
Status ConvertNegAbs(OnnxNode& n);   // Neg, Abs
Status ConvertPRelu(OnnxNode& n);
Status ConvertVariadic(OnnxNode& n);  // Sum, Mean, Max, Min of any number of inputs
Status ConvertWhere(OnnxNode& n);   // Where -> SELECT_V2
Status ConvertTrilu(OnnxNode& n);   // Trilu -> SELECT_V2 of a constant mask (constant k)
Status ConvertExpand(OnnxNode& n);  // Expand -> BROADCAST_TO (constant shape)

// --- convert_conv_transpose.cc ---
Status ConvertConvTranspose(OnnxNode& n);  // ConvTranspose -> TRANSPOSE_CONV (float32, 2-D, group 1)

// --- convert_depth_space.cc ---
Status ConvertDepthSpace(OnnxNode& n);  // DepthToSpace (DCR, CRD), SpaceToDepth

// --- convert_resize.cc ---
Status ConvertResize(OnnxNode& n);  // Resize, Upsample -> RESIZE_NEAREST_NEIGHBOR | RESIZE_BILINEAR

// --- convert_shape.cc: data movement ---
Status ConvertIdentity(OnnxNode& n);  // Identity, Dropout
Status ConvertReshape(OnnxNode& n);
Status ConvertFlatten(OnnxNode& n);
Status ConvertSqueeze(OnnxNode& n);
Status ConvertUnsqueeze(OnnxNode& n);
Status ConvertTranspose(OnnxNode& n);
Status ConvertConcat(OnnxNode& n);
Status ConvertPad(OnnxNode& n);
Status ConvertSlice(OnnxNode& n);
Status ConvertReduce(OnnxNode& n);  // ReduceMax/Mean/Min/Sum, and L1, L2, SumSquare, LogSum(Exp) around SUM

// --- constant_folding.cc: operators evaluated at import time ---
Status ConvertConstant(OnnxNode& n);
Status FoldShape(OnnxNode& n);
Status FoldSize(OnnxNode& n);
Status FoldGather(OnnxNode& n);
Status ConvertGatherNd(OnnxNode& n);  // GatherND -> GATHER_ND (batch_dims 0)
Status ConvertLstm(OnnxNode& n);      // LSTM -> UNIDIRECTIONAL_SEQUENCE_LSTM per direction (float32)
Status ConvertGru(OnnxNode& n);       // GRU -> GRU per direction (float32; + PACK, SLICE for Y, Y_h)
Status ConvertRnn(OnnxNode& n);       // RNN -> ONNX_RNN per direction (float32; + PACK, SLICE for Y, Y_h)
Status FoldCast(OnnxNode& n);
Status FoldCastLike(OnnxNode& n);
Status ConvertCumSum(OnnxNode& n);  // CumSum -> CUMSUM (constant axis)
Status FoldConstantOfShape(OnnxNode& n);
Status FoldRange(OnnxNode& n);
Status FoldEyeLike(OnnxNode& n);  // EyeLike -> a constant (static shapes)
Status FoldWindow(OnnxNode& n);   // HannWindow, HammingWindow, BlackmanWindow -> a constant
/// Add/Sub/Mul/Div/Max/Min of two constants; false when not both constant.
Expected<bool> TryFoldBinary(OnnxNode& n);
/// Neg/Abs of an integer constant (shape arithmetic); false otherwise.
Expected<bool> TryFoldNegAbs(OnnxNode& n);

// --- convert_quantized.cc: QuantizeLinear, DequantizeLinear (QDQ models) ---
Status ConvertQuantizeLinear(OnnxNode& n);
Status ConvertDequantizeLinear(OnnxNode& n);
Status ConvertQLinearConv(OnnxNode& n);
Status ConvertQLinearMatMul(OnnxNode& n);

// --- helpers shared by the converters (convert_util.cc) ---
/// Numpy broadcast of two shapes; error naming both when incompatible.
Expected<Shape> BroadcastShapes(OnnxNode& n, const Shape& a, const Shape& b);
/// Appends a RESHAPE of tensor `input` to `shape` and returns the new tensor
/// (or a reshaped constant when `input` is constant).
int EmitReshape(OnnxNode& n, int input, const Shape& shape, const std::string& name);
/// Appends a TRANSPOSE (or permutes a constant at import time).
int EmitTranspose(OnnxNode& n, int input, const std::vector<int64_t>& perm, const std::string& name);
/// Appends a binary elementwise node producing a fresh tensor.
int EmitBinary(OnnxNode& n, OpKind op, int a, int b, const std::string& name);
/// Appends a unary elementwise node (no attributes) producing a fresh
/// tensor of the input's dtype and shape.
/// STRIDED_SLICE of `input` into tensor `output`, with constant begin, end
/// and strides (named `name`/begin ...) and no masks but `end_mask`.
void EmitStridedSlice(OnnxNode& n, int input, const std::vector<int64_t>& begin, const std::vector<int64_t>& end,
                      const std::vector<int64_t>& strides, int output, const std::string& name, int64_t end_mask = 0);
/// CAST of `input` into a fresh tensor of `dtype`.
int EmitCast(OnnxNode& n, int input, DType dtype, const std::string& name);
int EmitUnary(OnnxNode& n, OpKind op, int input, const std::string& name);
/// Appends a reduction (MEAN, SUM, REDUCE_MAX ...) of `input` over the
/// sorted `axes` (a constant) whose result has `shape`; returns it.
int EmitReduce(OnnxNode& n, OpKind op, int input, const std::vector<int64_t>& axes, bool keep_dims,
               const Shape& shape, const std::string& name);
/// Permutes the data of a constant tensor (any dtype).
Tensor PermuteConstant(const Tensor& t, const std::vector<int64_t>& perm);
/// Checks that input i is float32 (Kiln's float kernels) or says unsupported.
Status RequireFloat(OnnxNode& n, size_t i);

}  // namespace kiln::onnx_import
