#include "frontend/tflite/operator_options.h"

#include <cmath>

#include "frontend/tflite/builtin_names.h"

namespace kiln::tflite {
namespace {

using tflite_fb::ActivationFunctionType;

Expected<std::string> ActivationName(ActivationFunctionType act) {
  switch (act) {
    case ActivationFunctionType::NONE: return std::string("NONE");
    case ActivationFunctionType::RELU: return std::string("RELU");
    case ActivationFunctionType::RELU_N1_TO_1: return std::string("RELU_N1_TO_1");
    case ActivationFunctionType::RELU6: return std::string("RELU6");
    case ActivationFunctionType::TANH: return std::string("TANH");
    case ActivationFunctionType::SIGN_BIT: return std::string("SIGN_BIT");
  }
  return MakeError("unknown fused_activation_function {}", static_cast<int>(act));
}

Expected<std::string> PaddingName(tflite_fb::Padding padding) {
  switch (padding) {
    case tflite_fb::Padding::SAME: return std::string("SAME");
    case tflite_fb::Padding::VALID: return std::string("VALID");
  }
  return MakeError("unknown padding {}", static_cast<int>(padding));
}

std::vector<int64_t> Ints(const flatbuffers::Vector<int32_t>* v) {
  std::vector<int64_t> out;
  if (v != nullptr) out.assign(v->begin(), v->end());
  return out;
}

// Options tables hold defaults when absent, as TFLite's own parser assumes.
template <typename T>
const T* OrDefault(const T* options) {
  static const T* kEmpty = [] {
    static flatbuffers::FlatBufferBuilder builder;
    flatbuffers::uoffset_t start = builder.StartTable();
    builder.Finish(flatbuffers::Offset<T>(builder.EndTable(start)));
    return flatbuffers::GetRoot<T>(builder.GetBufferPointer());
  }();
  return options != nullptr ? options : kEmpty;
}

Status SetActivation(ActivationFunctionType act, Node* node) {
  KILN_ASSIGN_OR_RETURN(std::string name, ActivationName(act));
  node->attrs.set("activation", name);
  return Status::Ok();
}

Status SetPadding(tflite_fb::Padding padding, Node* node) {
  KILN_ASSIGN_OR_RETURN(std::string name, PaddingName(padding));
  node->attrs.set("padding", name);
  return Status::Ok();
}

}  // namespace

Status ConvertOperator(const tflite_fb::Operator& op, int32_t code,
                       const std::string& custom_code, Node* node) {
  Attrs& a = node->attrs;
  node->source_op = code == builtin::kCustom ? "CUSTOM(" + custom_code + ")" : BuiltinName(code);
  switch (code) {
    case builtin::kConv2D: {
      const auto* o = OrDefault(op.builtin_options_as_Conv2DOptions());
      node->op = OpKind::kConv2D;
      KILN_RETURN_IF_ERROR(SetPadding(o->padding(), node));
      a.set("stride_h", int64_t{o->stride_h()});
      a.set("stride_w", int64_t{o->stride_w()});
      a.set("dilation_h", int64_t{o->dilation_h_factor()});
      a.set("dilation_w", int64_t{o->dilation_w_factor()});
      return SetActivation(o->fused_activation_function(), node);
    }
    case builtin::kConv3D: {
      const auto* o = OrDefault(op.builtin_options_as_Conv3DOptions());
      node->op = OpKind::kConv3D;
      KILN_RETURN_IF_ERROR(SetPadding(o->padding(), node));
      a.set("stride_d", int64_t{o->stride_d()});
      a.set("stride_h", int64_t{o->stride_h()});
      a.set("stride_w", int64_t{o->stride_w()});
      a.set("dilation_d", int64_t{o->dilation_d_factor()});
      a.set("dilation_h", int64_t{o->dilation_h_factor()});
      a.set("dilation_w", int64_t{o->dilation_w_factor()});
      return SetActivation(o->fused_activation_function(), node);
    }
    case builtin::kDepthToSpace:
      node->op = OpKind::kDepthToSpace;
      a.set("block_size", int64_t{OrDefault(op.builtin_options_as_DepthToSpaceOptions())->block_size()});
      return Status::Ok();
    case builtin::kSpaceToDepth:
      node->op = OpKind::kSpaceToDepth;
      a.set("block_size", int64_t{OrDefault(op.builtin_options_as_SpaceToDepthOptions())->block_size()});
      return Status::Ok();
    case builtin::kCast:
      node->op = OpKind::kCast;
      return Status::Ok();
    case builtin::kFill:
      node->op = OpKind::kFill;
      return Status::Ok();
    case builtin::kSelectV2:
      node->op = OpKind::kSelectV2;
      return Status::Ok();
    case builtin::kBroadcastTo:
      node->op = OpKind::kBroadcastTo;
      return Status::Ok();
    case builtin::kGather: {
      const auto* o = OrDefault(op.builtin_options_as_GatherOptions());
      node->op = OpKind::kGather;
      a.set("axis", int64_t{o->axis()});
      a.set("batch_dims", int64_t{o->batch_dims()});
      return Status::Ok();
    }
    case builtin::kResizeBilinear: {
      const auto* o = OrDefault(op.builtin_options_as_ResizeBilinearOptions());
      node->op = OpKind::kResizeBilinear;
      a.set("align_corners", int64_t{o->align_corners()});
      a.set("half_pixel_centers", int64_t{o->half_pixel_centers()});
      return Status::Ok();
    }
    case builtin::kResizeNearestNeighbor: {
      const auto* o = OrDefault(op.builtin_options_as_ResizeNearestNeighborOptions());
      node->op = OpKind::kResizeNearestNeighbor;
      a.set("align_corners", int64_t{o->align_corners()});
      a.set("half_pixel_centers", int64_t{o->half_pixel_centers()});
      return Status::Ok();
    }
    case builtin::kTransposeConv: {
      const auto* o = OrDefault(op.builtin_options_as_TransposeConvOptions());
      node->op = OpKind::kTransposeConv;
      KILN_RETURN_IF_ERROR(SetPadding(o->padding(), node));
      a.set("stride_h", int64_t{o->stride_h()});
      a.set("stride_w", int64_t{o->stride_w()});
      return SetActivation(o->fused_activation_function(), node);
    }
    case builtin::kDepthwiseConv2D: {
      const auto* o = OrDefault(op.builtin_options_as_DepthwiseConv2DOptions());
      node->op = OpKind::kDepthwiseConv2D;
      KILN_RETURN_IF_ERROR(SetPadding(o->padding(), node));
      a.set("stride_h", int64_t{o->stride_h()});
      a.set("stride_w", int64_t{o->stride_w()});
      a.set("dilation_h", int64_t{o->dilation_h_factor()});
      a.set("dilation_w", int64_t{o->dilation_w_factor()});
      a.set("depth_multiplier", int64_t{o->depth_multiplier()});
      return SetActivation(o->fused_activation_function(), node);
    }
    case builtin::kFullyConnected: {
      const auto* o = OrDefault(op.builtin_options_as_FullyConnectedOptions());
      node->op = OpKind::kFullyConnected;
      if (o->weights_format() != tflite_fb::FullyConnectedOptionsWeightsFormat::DEFAULT)
        return MakeError("weights_format {} is not supported (only DEFAULT)",
                         static_cast<int>(o->weights_format()));
      a.set("keep_num_dims", int64_t{o->keep_num_dims() ? 1 : 0});
      return SetActivation(o->fused_activation_function(), node);
    }
    case builtin::kAveragePool2D:
    case builtin::kMaxPool2D:
    case builtin::kL2Pool2D: {
      const auto* o = OrDefault(op.builtin_options_as_Pool2DOptions());
      node->op = code == builtin::kMaxPool2D ? OpKind::kMaxPool2D
                 : code == builtin::kL2Pool2D ? OpKind::kL2Pool2D
                                              : OpKind::kAveragePool2D;
      KILN_RETURN_IF_ERROR(SetPadding(o->padding(), node));
      a.set("stride_h", int64_t{o->stride_h()});
      a.set("stride_w", int64_t{o->stride_w()});
      a.set("filter_h", int64_t{o->filter_height()});
      a.set("filter_w", int64_t{o->filter_width()});
      return SetActivation(o->fused_activation_function(), node);
    }
    case builtin::kAdd: {
      node->op = OpKind::kAdd;
      return SetActivation(OrDefault(op.builtin_options_as_AddOptions())->fused_activation_function(), node);
    }
    case builtin::kSub: {
      node->op = OpKind::kSub;
      return SetActivation(OrDefault(op.builtin_options_as_SubOptions())->fused_activation_function(), node);
    }
    case builtin::kMul: {
      node->op = OpKind::kMul;
      return SetActivation(OrDefault(op.builtin_options_as_MulOptions())->fused_activation_function(), node);
    }
    case builtin::kDiv: {
      node->op = OpKind::kDiv;
      return SetActivation(OrDefault(op.builtin_options_as_DivOptions())->fused_activation_function(), node);
    }
    case builtin::kMaximum: node->op = OpKind::kMaximum; return Status::Ok();
    case builtin::kMinimum: node->op = OpKind::kMinimum; return Status::Ok();
    case builtin::kLogSoftmax:
      node->op = OpKind::kLogSoftmax;
      a.set("beta", 1.0);
      return Status::Ok();
    case builtin::kReshape: {
      node->op = OpKind::kReshape;
      const auto* o = op.builtin_options_as_ReshapeOptions();
      if (o != nullptr && o->new_shape() != nullptr) a.set("new_shape", Ints(o->new_shape()));
      return Status::Ok();
    }
    case builtin::kSqueeze: {
      node->op = OpKind::kSqueeze;
      a.set("squeeze_dims", Ints(OrDefault(op.builtin_options_as_SqueezeOptions())->squeeze_dims()));
      return Status::Ok();
    }
    case builtin::kSoftmax: {
      node->op = OpKind::kSoftmax;
      a.set("beta", double{OrDefault(op.builtin_options_as_SoftmaxOptions())->beta()});
      return Status::Ok();
    }
    case builtin::kLogistic: node->op = OpKind::kLogistic; return Status::Ok();
    case builtin::kAbs: node->op = OpKind::kAbs; return Status::Ok();
    case builtin::kNeg: node->op = OpKind::kNeg; return Status::Ok();
    case builtin::kFloor: node->op = OpKind::kFloor; return Status::Ok();
    case builtin::kCeil: node->op = OpKind::kCeil; return Status::Ok();
    case builtin::kRound: node->op = OpKind::kRound; return Status::Ok();
    case builtin::kSqrt: node->op = OpKind::kSqrt; return Status::Ok();
    case builtin::kRsqrt: node->op = OpKind::kRsqrt; return Status::Ok();
    case builtin::kSquare: node->op = OpKind::kSquare; return Status::Ok();
    case builtin::kExp: node->op = OpKind::kExp; return Status::Ok();
    case builtin::kLog: node->op = OpKind::kLog; return Status::Ok();
    case builtin::kSin: node->op = OpKind::kSin; return Status::Ok();
    case builtin::kCos: node->op = OpKind::kCos; return Status::Ok();
    case builtin::kSign: node->op = OpKind::kSign; return Status::Ok();
    case builtin::kEqual: node->op = OpKind::kEqual; return Status::Ok();
    case builtin::kNotEqual: node->op = OpKind::kNotEqual; return Status::Ok();
    case builtin::kLess: node->op = OpKind::kLess; return Status::Ok();
    case builtin::kLessEqual: node->op = OpKind::kLessEqual; return Status::Ok();
    case builtin::kGreater: node->op = OpKind::kGreater; return Status::Ok();
    case builtin::kGreaterEqual: node->op = OpKind::kGreaterEqual; return Status::Ok();
    case builtin::kLogicalAnd: node->op = OpKind::kLogicalAnd; return Status::Ok();
    case builtin::kLogicalOr: node->op = OpKind::kLogicalOr; return Status::Ok();
    case builtin::kLogicalNot: node->op = OpKind::kLogicalNot; return Status::Ok();
    case builtin::kSquaredDifference: node->op = OpKind::kSquaredDifference; return Status::Ok();
    case builtin::kFloorDiv: node->op = OpKind::kFloorDiv; return Status::Ok();
    case builtin::kFloorMod: node->op = OpKind::kFloorMod; return Status::Ok();
    case builtin::kPow: node->op = OpKind::kPow; return Status::Ok();
    case builtin::kPrelu: node->op = OpKind::kPrelu; return Status::Ok();
    case builtin::kSlice: node->op = OpKind::kSlice; return Status::Ok();
    // The output type option is the output tensor's dtype, which the kernel reads.
    case builtin::kArgMax: node->op = OpKind::kArgMax; return Status::Ok();
    case builtin::kArgMin: node->op = OpKind::kArgMin; return Status::Ok();
    case builtin::kSplit:
      node->op = OpKind::kSplit;
      a.set("num_splits", int64_t{OrDefault(op.builtin_options_as_SplitOptions())->num_splits()});
      return Status::Ok();
    case builtin::kSplitV:
      node->op = OpKind::kSplitV;
      a.set("num_splits", int64_t{OrDefault(op.builtin_options_as_SplitVOptions())->num_splits()});
      return Status::Ok();
    case builtin::kPack: {
      const auto* o = OrDefault(op.builtin_options_as_PackOptions());
      node->op = OpKind::kPack;
      a.set("values_count", int64_t{o->values_count()});
      a.set("axis", int64_t{o->axis()});
      return Status::Ok();
    }
    case builtin::kUnpack: {
      const auto* o = OrDefault(op.builtin_options_as_UnpackOptions());
      node->op = OpKind::kUnpack;
      a.set("num", int64_t{o->num()});
      a.set("axis", int64_t{o->axis()});
      return Status::Ok();
    }
    // A RESHAPE whose new_shape the importer derives from the axis input.
    case builtin::kExpandDims: node->op = OpKind::kReshape; return Status::Ok();
    case builtin::kTanh: node->op = OpKind::kTanh; return Status::Ok();
    case builtin::kRelu: node->op = OpKind::kRelu; return Status::Ok();
    case builtin::kRelu6: node->op = OpKind::kRelu6; return Status::Ok();
    case builtin::kLeakyRelu: {
      node->op = OpKind::kLeakyRelu;
      a.set("alpha", double{OrDefault(op.builtin_options_as_LeakyReluOptions())->alpha()});
      return Status::Ok();
    }
    case builtin::kHardSwish: node->op = OpKind::kHardSwish; return Status::Ok();
    case builtin::kElu: node->op = OpKind::kElu; return Status::Ok();
    case builtin::kQuantize: node->op = OpKind::kQuantize; return Status::Ok();
    case builtin::kDequantize: node->op = OpKind::kDequantize; return Status::Ok();
    case builtin::kConcatenation: {
      const auto* o = OrDefault(op.builtin_options_as_ConcatenationOptions());
      node->op = OpKind::kConcatenation;
      a.set("axis", int64_t{o->axis()});
      return SetActivation(o->fused_activation_function(), node);
    }
    case builtin::kPad:
    case builtin::kPadV2: node->op = OpKind::kPad; return Status::Ok();
    case builtin::kReverseV2: node->op = OpKind::kReverseV2; return Status::Ok();
    case builtin::kSpaceToBatchNd: node->op = OpKind::kSpaceToBatchNd; return Status::Ok();
    case builtin::kBatchToSpaceNd: node->op = OpKind::kBatchToSpaceNd; return Status::Ok();
    case builtin::kAddN: node->op = OpKind::kAddN; return Status::Ok();
    case builtin::kZerosLike: node->op = OpKind::kZerosLike; return Status::Ok();
    // Folded by the importer when both shapes are constants.
    case builtin::kBroadcastArgs: node->op = OpKind::kBroadcastArgs; return Status::Ok();
    case builtin::kGatherNd: node->op = OpKind::kGatherNd; return Status::Ok();
    case builtin::kEmbeddingLookup: node->op = OpKind::kEmbeddingLookup; return Status::Ok();
    case builtin::kDynamicUpdateSlice: node->op = OpKind::kDynamicUpdateSlice; return Status::Ok();
    case builtin::kBatchMatMul: {
      const auto* o = OrDefault(op.builtin_options_as_BatchMatMulOptions());
      node->op = OpKind::kBatchMatMul;
      if (o->asymmetric_quantize_inputs())
        return MakeError("asymmetric_quantize_inputs (hybrid BATCH_MATMUL) is not supported");
      a.set("adj_x", int64_t{o->adj_x() ? 1 : 0});
      a.set("adj_y", int64_t{o->adj_y() ? 1 : 0});
      return Status::Ok();
    }
    case builtin::kL2Normalization:
      node->op = OpKind::kL2Normalization;
      return SetActivation(OrDefault(op.builtin_options_as_L2NormOptions())->fused_activation_function(), node);
    case builtin::kUnidirectionalSequenceLstm: {
      const auto* o = OrDefault(op.builtin_options_as_UnidirectionalSequenceLSTMOptions());
      node->op = OpKind::kUnidirectionalSequenceLstm;
      a.set("cell_clip", static_cast<double>(o->cell_clip()));
      a.set("proj_clip", static_cast<double>(o->proj_clip()));
      a.set("time_major", int64_t{o->time_major() ? 1 : 0});
      // The hybrid form (int8 weights, float activations) and diagonal
      // recurrent weights are other kernels: refused by the kernel's check.
      a.set("asymmetric_quantize_inputs", int64_t{o->asymmetric_quantize_inputs() ? 1 : 0});
      a.set("diagonal_recurrent_tensors", int64_t{o->diagonal_recurrent_tensors() ? 1 : 0});
      return SetActivation(o->fused_activation_function(), node);
    }
    case builtin::kCumsum: {
      const auto* o = OrDefault(op.builtin_options_as_CumsumOptions());
      node->op = OpKind::kCumSum;
      a.set("exclusive", int64_t{o->exclusive() ? 1 : 0});
      a.set("reverse", int64_t{o->reverse() ? 1 : 0});
      return Status::Ok();
    }
    case builtin::kMirrorPad: {
      node->op = OpKind::kMirrorPad;
      const auto mode = OrDefault(op.builtin_options_as_MirrorPadOptions())->mode();
      if (mode != tflite_fb::MirrorPadMode::REFLECT && mode != tflite_fb::MirrorPadMode::SYMMETRIC)
        return MakeError("unknown MIRROR_PAD mode {}", static_cast<int>(mode));
      a.set("mode", std::string(mode == tflite_fb::MirrorPadMode::REFLECT ? "REFLECT" : "SYMMETRIC"));
      return Status::Ok();
    }
    case builtin::kMean:
    case builtin::kSum:
    case builtin::kReduceMax:
    case builtin::kReduceMin:
    case builtin::kReduceProd:
    case builtin::kReduceAll:
    case builtin::kReduceAny: {
      node->op = code == builtin::kMean        ? OpKind::kMean
                 : code == builtin::kSum       ? OpKind::kSum
                 : code == builtin::kReduceMax ? OpKind::kReduceMax
                 : code == builtin::kReduceMin ? OpKind::kReduceMin
                 : code == builtin::kReduceAll ? OpKind::kReduceAll
                 : code == builtin::kReduceAny ? OpKind::kReduceAny
                                               : OpKind::kReduceProd;
      a.set("keep_dims", int64_t{OrDefault(op.builtin_options_as_ReducerOptions())->keep_dims() ? 1 : 0});
      return Status::Ok();
    }
    case builtin::kStridedSlice: {
      const auto* o = OrDefault(op.builtin_options_as_StridedSliceOptions());
      node->op = OpKind::kStridedSlice;
      a.set("begin_mask", int64_t{o->begin_mask()});
      a.set("end_mask", int64_t{o->end_mask()});
      a.set("ellipsis_mask", int64_t{o->ellipsis_mask()});
      a.set("new_axis_mask", int64_t{o->new_axis_mask()});
      a.set("shrink_axis_mask", int64_t{o->shrink_axis_mask()});
      a.set("offset", int64_t{o->offset() ? 1 : 0});
      return Status::Ok();
    }
    case builtin::kTranspose: node->op = OpKind::kTranspose; return Status::Ok();
    case builtin::kSvdf: {
      const auto* o = OrDefault(op.builtin_options_as_SVDFOptions());
      node->op = OpKind::kSvdf;
      a.set("rank", int64_t{o->rank()});
      return SetActivation(o->fused_activation_function(), node);
    }
    // Their resource input becomes the state tensor its VAR_HANDLE names
    // (resource_variables.cc); VAR_HANDLE and CALL_ONCE are resolved there.
    case builtin::kReadVariable: node->op = OpKind::kReadVariable; return Status::Ok();
    case builtin::kAssignVariable: node->op = OpKind::kAssignVariable; return Status::Ok();
    case builtin::kVarHandle: {
      const auto* o = OrDefault(op.builtin_options_as_VarHandleOptions());
      node->op = OpKind::kUnsupported;
      a.set("container", o->container() ? o->container()->str() : std::string());
      a.set("shared_name", o->shared_name() ? o->shared_name()->str() : std::string());
      return Status::Ok();
    }
    case builtin::kIf: {
      const auto* o = OrDefault(op.builtin_options_as_IfOptions());
      node->op = OpKind::kIf;
      a.set("then_subgraph_index", int64_t{o->then_subgraph_index()});
      a.set("else_subgraph_index", int64_t{o->else_subgraph_index()});
      return Status::Ok();
    }
    case builtin::kWhile: {
      const auto* o = OrDefault(op.builtin_options_as_WhileOptions());
      node->op = OpKind::kWhile;
      a.set("cond_subgraph_index", int64_t{o->cond_subgraph_index()});
      a.set("body_subgraph_index", int64_t{o->body_subgraph_index()});
      return Status::Ok();
    }
    case builtin::kCallOnce:
      node->op = OpKind::kUnsupported;
      a.set("init_subgraph_index", int64_t{OrDefault(op.builtin_options_as_CallOnceOptions())->init_subgraph_index()});
      return Status::Ok();
    default:
      node->op = OpKind::kUnsupported;
      return Status::Ok();
  }
}

}  // namespace kiln::tflite
