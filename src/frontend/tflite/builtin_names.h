// Display names of TFLite builtin operator codes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace kiln::tflite {

/// "CONV_2D" for 3; "BUILTIN_<n>" for a code this build does not know.
std::string BuiltinName(int32_t code);

/// A TFLite builtin the importer turns into another of Kiln's operators.
struct TfliteAlias {
  std::string_view builtin;      // "EXPAND_DIMS"
  std::string_view imported_as;  // the operator's name in `kiln ops`: "RESHAPE"
  std::string_view how;          // what of the builtin becomes what
};

/// Every such builtin, for `kiln ops` (the importer's tests hold each to it).
std::span<const TfliteAlias> TfliteAliases();

/// TFLite builtin codes that Kiln maps to its own operators.
namespace builtin {
constexpr int32_t kAdd = 0, kAveragePool2D = 1, kConcatenation = 2, kConv2D = 3,
                  kDepthwiseConv2D = 4, kDequantize = 6, kFullyConnected = 9, kLogistic = 14,
                  kMaxPool2D = 17, kMul = 18, kRelu = 19, kRelu6 = 21, kReshape = 22,
                  kSoftmax = 25, kSvdf = 27, kTanh = 28, kCustom = 32, kPad = 34,
                  kTranspose = 39, kMean = 40, kSub = 41, kSqueeze = 43, kStridedSlice = 45,
                  kLeakyRelu = 98, kQuantize = 114, kHardSwish = 117, kElu = 111;
// Elementwise unary math.
constexpr int32_t kFloor = 8, kExp = 47, kNeg = 59, kSin = 66, kLog = 73, kSqrt = 75, kRsqrt = 76,
                  kSquare = 92, kAbs = 101, kCeil = 104, kCos = 108, kRound = 116;
// Comparisons and logic.
constexpr int32_t kLess = 58, kGreater = 61, kGreaterEqual = 62, kLessEqual = 63, kEqual = 71, kNotEqual = 72,
                  kLogicalOr = 84, kLogicalAnd = 86, kLogicalNot = 87;
// Binary math.
constexpr int32_t kPrelu = 54, kPow = 78, kFloorDiv = 90, kFloorMod = 95, kSquaredDifference = 99;
// Slicing and stacking.
constexpr int32_t kSplit = 49, kSlice = 65, kExpandDims = 70, kPack = 83, kUnpack = 88, kSplitV = 102;
constexpr int32_t kArgMax = 56, kArgMin = 79;
// Reductions besides MEAN.
constexpr int32_t kSum = 74, kReduceProd = 81, kReduceMax = 82, kReduceMin = 89, kReduceAny = 91, kReduceAll = 140;
constexpr int32_t kTransposeConv = 67, kConv3D = 132;
constexpr int32_t kSign = 158;
constexpr int32_t kDiv = 42, kLogSoftmax = 50, kMaximum = 55, kMinimum = 57;
constexpr int32_t kResizeBilinear = 23, kResizeNearestNeighbor = 97;
constexpr int32_t kGather = 36;
constexpr int32_t kCast = 53, kFill = 94, kSelectV2 = 123, kBroadcastTo = 130;
// Shape arithmetic: SHAPE is folded at import (shapes are static), as is a
// BROADCAST_ARGS of constant shapes.
constexpr int32_t kShape = 77, kBroadcastArgs = 145;
constexpr int32_t kDepthToSpace = 5, kSpaceToDepth = 26;
constexpr int32_t kPadV2 = 60, kReverseV2 = 105, kMirrorPad = 100;
constexpr int32_t kBatchToSpaceNd = 37, kSpaceToBatchNd = 38;
constexpr int32_t kAddN = 106;
constexpr int32_t kL2Normalization = 11, kL2Pool2D = 12, kZerosLike = 93, kCumsum = 128, kGatherNd = 107,
                  kEmbeddingLookup = 7, kDynamicUpdateSlice = 151,
                  kBatchMatMul = 126, kUnidirectionalSequenceLstm = 44;
// Resource variables: the importer resolves each VAR_HANDLE to a state
// tensor and runs CALL_ONCE's init subgraph at compile time
// (frontend/tflite/resource_variables.cc).
constexpr int32_t kCallOnce = 129, kVarHandle = 142, kReadVariable = 143, kAssignVariable = 144;
// Control flow: the importer inlines the subgraphs (tflite_importer.cc).
constexpr int32_t kIf = 118, kWhile = 119;
}  // namespace builtin

}  // namespace kiln::tflite
