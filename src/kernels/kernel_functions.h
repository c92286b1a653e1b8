// Declarations of every kernel's check and lower functions, one block per
// source file in src/kernels/. The registry (registry.cc) refers to them.
#pragma once

#include "kernels/lowering.h"

namespace kiln {

// --- conv.cc: CONV_2D, DEPTHWISE_CONV_2D; fully_connected.cc ---
// --- pooling.cc, softmax.cc, logistic_tanh.cc, mean.cc ---
// --- elementwise.cc, activations.cc, quantize.cc ---
// --- data_movement.cc, svdf.cc ---

}  // namespace kiln
