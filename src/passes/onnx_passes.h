// The graph passes that follow ONNX import, listed once, in order. Each
// pass's file states what it expects and guarantees.
//
//   fold_channel_affine  Mul/Add by per-channel constants after a conv -> filter/bias
//   convert_layout       NCHW CONV_2D / DEPTHWISE_CONV_2D / pools -> NHWC + TRANSPOSEs
//   cancel_transposes    sink TRANSPOSEs through layout-agnostic ops, cancel pairs
//   remove_dead_code     drop unused nodes and tensors
#pragma once

#include "ir/graph.h"
#include "support/status.h"

namespace kiln {

Status FoldChannelAffine(Graph* graph);
Status ConvertLayout(Graph* graph);
Status CancelTransposes(Graph* graph);
Status RemoveDeadCode(Graph* graph);

/// All of the above, in order. Expects a graph without unsupported nodes.
Status RunOnnxPasses(Graph* graph);

}  // namespace kiln
