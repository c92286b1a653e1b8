// The graph passes that follow ONNX import, listed once, in order. Each
// pass's file states what it expects and guarantees.
//
//   fuse_qdq             DEQUANTIZE -> op -> QUANTIZE -> the op's int8 kernel (QDQ models)
//   fold_channel_affine  Mul/Add by per-channel constants after a conv -> filter/bias
//   convert_layout       NCHW CONV_2D / DEPTHWISE_CONV_2D / pools -> NHWC + TRANSPOSEs
//   cancel_transposes    sink TRANSPOSEs through layout-agnostic ops, cancel pairs
//   remove_dead_code     drop unused nodes and tensors
#pragma once

#include "ir/graph.h"
#include "support/status.h"

namespace kiln {

/// Returns how many operators it moved to int8.
int FuseQdq(Graph* graph);
/// Drops the quantization the importer leaves on folded float constants.
void ClearFloatQuantization(Graph* graph);
Status FoldChannelAffine(Graph* graph);
Status ConvertLayout(Graph* graph);
Status CancelTransposes(Graph* graph);
Status RemoveDeadCode(Graph* graph);

/// All of the above, in order. Expects a graph without unsupported nodes.
/// The QDQ-fused graph is kept only when every node then passes its
/// kernel's check; otherwise the float path is compiled.
Status RunOnnxPasses(Graph* graph, bool fuse_qdq = true);

}  // namespace kiln
