#include "frontend/tflite/tflite_importer.h"
#include "ir/printable_names.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <numeric>

#include "frontend/tflite/builtin_names.h"
#include "frontend/tflite/operator_options.h"
#include "frontend/tflite/resource_variables.h"
#include "ir/op_table.h"
#include "tflite_schema_generated.h"

namespace kiln::tflite {
namespace {

namespace fb = tflite_fb;

// Largest tensor Kiln accepts (elements); keeps size arithmetic in range.
constexpr int64_t kMaxElements = int64_t{1} << 31;
constexpr size_t kMaxRank = 6;
// Inlining copies a subgraph per call site, so nested IFs can multiply a
// small file into a huge graph: the bound on what inlining may make.
constexpr size_t kMaxInlinedOperators = 1 << 16, kMaxInlinedTensors = 1 << 18;

Expected<DType> ConvertType(fb::TensorType type) {
  switch (type) {
    case fb::TensorType::FLOAT32: return DType::kFloat32;
    case fb::TensorType::INT8: return DType::kInt8;
    case fb::TensorType::UINT8: return DType::kUInt8;
    case fb::TensorType::INT16: return DType::kInt16;
    case fb::TensorType::INT32: return DType::kInt32;
    case fb::TensorType::INT64: return DType::kInt64;
    case fb::TensorType::BOOL: return DType::kBool;
    case fb::TensorType::FLOAT64: return DType::kFloat64;
    default: break;
  }
  const char* name = fb::EnumNameTensorType(type);
  return MakeError("dtype {} is not supported", (name && *name) ? name : std::to_string(static_cast<int>(type)));
}

class Importer {
 public:
  explicit Importer(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  Expected<Graph> Run() {
    KILN_RETURN_IF_ERROR(Verify());
    model_ = fb::GetModel(bytes_.data());
    if (model_->subgraphs() == nullptr || model_->subgraphs()->size() == 0)
      return MakeError("the model has no subgraphs");
    subgraph_ = model_->subgraphs()->Get(0);
    if (subgraph_->tensors() == nullptr) return MakeError("subgraph 0 has no tensors");
    num_tensors_ = static_cast<int>(subgraph_->tensors()->size());

    for (int i = 0; i < num_tensors_; ++i) {
      // A resource handle (VAR_HANDLE's output) names a variable at compile
      // time; ResolveResourceVariables removes it.
      const bool resource = subgraph_->tensors()->Get(static_cast<flatbuffers::uoffset_t>(i))->type() ==
                            fb::TensorType::RESOURCE;
      is_resource_.push_back(resource);
      KILN_ASSIGN_OR_RETURN(Tensor t, resource ? ResourceTensor(i) : ImportTensor(*subgraph_, i));
      graph_.tensors.push_back(std::move(t));
    }
    KILN_ASSIGN_OR_RETURN(graph_.inputs, GraphIo(subgraph_->inputs(), "input"));
    KILN_ASSIGN_OR_RETURN(graph_.outputs, GraphIo(subgraph_->outputs(), "output"));
    if (graph_.outputs.empty()) return MakeError("subgraph 0 declares no outputs");
    std::vector<int> ids(static_cast<size_t>(num_tensors_));
    std::iota(ids.begin(), ids.end(), 0);
    KILN_RETURN_IF_ERROR(ImportOperators(0, ids));
    KILN_RETURN_IF_ERROR(ResolveResourceVariables(
        *model_, is_resource_, [this](const fb::SubGraph& sub, int i) { return ImportTensor(sub, i); }, &graph_));
    CopyConstantOutputs();
    KILN_RETURN_IF_ERROR(CheckDataflow());
    return std::move(graph_);
  }

 private:
  Status Verify() {
    if (bytes_.size() < 8)
      return MakeError("file is too small to be a TFLite model ({} bytes)", bytes_.size());
    if (!fb::ModelBufferHasIdentifier(bytes_.data()))
      return MakeError("not a TFLite model: the flatbuffer file identifier is not 'TFL3'");
    if (bytes_.size() >= FLATBUFFERS_MAX_BUFFER_SIZE)
      return MakeError("file is larger than the 2 GiB a flatbuffer can address");
    flatbuffers::Verifier verifier(bytes_.data(), bytes_.size());
    if (!fb::VerifyModelBuffer(verifier))
      return MakeError("the TFLite flatbuffer failed verification (truncated or corrupt file)");
    return Status::Ok();
  }

  Tensor ResourceTensor(int index) const {
    const fb::Tensor* src = subgraph_->tensors()->Get(static_cast<flatbuffers::uoffset_t>(index));
    Tensor t;
    t.name = src->name() ? src->name()->str() : "tensor_" + std::to_string(index);
    t.dtype = DType::kInt32;
    return t;
  }

  Expected<Tensor> ImportTensor(const fb::SubGraph& subgraph, int index) {
    if (subgraph.tensors() == nullptr || index < 0 || static_cast<size_t>(index) >= subgraph.tensors()->size())
      return MakeError("tensor {} is out of range", index);
    const fb::Tensor* src = subgraph.tensors()->Get(static_cast<flatbuffers::uoffset_t>(index));
    Tensor t;
    t.name = src->name() ? src->name()->str() : "tensor_" + std::to_string(index);
    auto where = [&] { return fmt::format("tensor {} '{}'", index, t.name); };
    // INT4 (two values a byte): TFLite Micro has it for constant weights
    // only, and unpacks them to int8 before use; so does Kiln, at import.
    const bool int4 = src->type() == fb::TensorType::INT4;
    auto type = int4 ? Expected<DType>(DType::kInt8) : ConvertType(src->type());
    if (!type.ok()) return MakeError("{}: {}", where(), type.message());
    t.dtype = *type;
    if (src->sparsity() != nullptr) return MakeError("{}: sparse tensors are not supported", where());
    if (src->shape() != nullptr) {
      if (src->shape()->size() > kMaxRank)
        return MakeError("{}: rank {} exceeds the maximum of {}", where(), src->shape()->size(), kMaxRank);
      int64_t elements = 1;
      for (int32_t d : *src->shape()) {
        if (d < 0)
          return MakeError("{}: dimension {} is dynamic or negative; Kiln needs static shapes", where(), d);
        elements *= d;
        if (elements > kMaxElements) return MakeError("{}: too many elements", where());
        t.shape.push_back(d);
      }
    }
    t.is_variable = src->is_variable();
    KILN_RETURN_IF_ERROR(ImportQuantization(*src, where(), &t));
    KILN_RETURN_IF_ERROR(ImportData(*src, where(), int4, &t));
    if (int4 && !t.is_constant)
      return MakeError("{}: INT4 is supported for constant tensors (weights) only, as in TFLite Micro", where());
    return t;
  }

  Status ImportQuantization(const fb::Tensor& src, const std::string& where, Tensor* t) {
    const fb::QuantizationParameters* q = src.quantization();
    if (q == nullptr || q->scale() == nullptr || q->scale()->size() == 0) return Status::Ok();
    if (q->details_type() != fb::QuantizationDetails::NONE)
      return MakeError("{}: custom quantization is not supported", where);
    t->quant.scale.assign(q->scale()->begin(), q->scale()->end());
    for (float s : t->quant.scale) {
      if (!std::isfinite(s) || s < 0.0f)
        return MakeError("{}: quantization scale {} is not a finite non-negative number", where, s);
    }
    if (q->zero_point() != nullptr && q->zero_point()->size() != 0) {
      // The verifier aligns a vector to 4 bytes, not to its 8-byte
      // elements: copy the bytes rather than read int64s in place.
      const auto* zp = q->zero_point();
      t->quant.zero_point.resize(zp->size());
      std::memcpy(t->quant.zero_point.data(), zp->Data(), zp->size() * sizeof(int64_t));
      if (t->quant.zero_point.size() != t->quant.scale.size())
        return MakeError("{}: {} quantization scales but {} zero points", where,
                         t->quant.scale.size(), t->quant.zero_point.size());
    } else {
      t->quant.zero_point.assign(t->quant.scale.size(), 0);
    }
    for (int64_t zp : t->quant.zero_point) {
      if (zp < std::numeric_limits<int32_t>::min() || zp > std::numeric_limits<int32_t>::max())
        return MakeError("{}: zero point {} is out of the int32 range", where, zp);
    }
    t->quant.axis = q->quantized_dimension();
    if (t->quant.scale.size() > 1) {
      // Converters copy the filter's quantized_dimension (3 for depthwise)
      // onto the rank-1 bias; TFLite ignores it there, and so do we.
      if (t->shape.size() == 1 && t->shape[0] == static_cast<int32_t>(t->quant.scale.size()))
        t->quant.axis = 0;
      if (t->quant.axis < 0 || static_cast<size_t>(t->quant.axis) >= t->shape.size())
        return MakeError("{}: quantized_dimension {} is out of range for rank {}", where,
                         t->quant.axis, t->shape.size());
      if (t->shape[static_cast<size_t>(t->quant.axis)] != static_cast<int32_t>(t->quant.scale.size()))
        return MakeError("{}: {} per-channel scales but dimension {} has size {}", where,
                         t->quant.scale.size(), t->quant.axis, t->shape[static_cast<size_t>(t->quant.axis)]);
    }
    return Status::Ok();
  }

  /// The tensor's constant data, if any; `int4`: packed two values a byte,
  /// the first in the low nibble (TFLite's UnpackDenseInt4IntoInt8), and
  /// stored unpacked, one int8 each.
  Status ImportData(const fb::Tensor& src, const std::string& where, bool int4, Tensor* t) {
    const auto* buffers = model_->buffers();
    const uint32_t b = src.buffer();
    if (buffers == nullptr || b >= buffers->size()) {
      // Buffer 0 is the conventional "no data" buffer; a model without any
      // buffers may still refer to it.
      if (b == 0) return Status::Ok();
      return MakeError("{}: buffer index {} is out of range (the model has {} buffers)", where, b,
                       buffers ? buffers->size() : 0);
    }
    const fb::Buffer* buffer = buffers->Get(b);
    const uint8_t* data = nullptr;
    size_t size = 0;
    if (buffer->data() != nullptr && buffer->data()->size() > 0) {
      data = buffer->data()->data();
      size = buffer->data()->size();
    } else if (buffer->offset() > 1) {
      // Large models keep data after the flatbuffer, addressed from file start.
      const uint64_t offset = buffer->offset(), length = buffer->size();
      if (offset > bytes_.size() || length > bytes_.size() - offset)
        return MakeError("{}: buffer {} points at bytes [{}, {}) outside the {}-byte file", where,
                         b, offset, offset + length, bytes_.size());
      data = bytes_.data() + offset;
      size = static_cast<size_t>(length);
    }
    if (data == nullptr) return Status::Ok();
    const auto elements = static_cast<size_t>(t->num_elements());
    const size_t expected = int4 ? (elements + 1) / 2 : static_cast<size_t>(t->bytes());
    if (size != expected)
      return MakeError("{}: buffer {} holds {} bytes but shape {} of {} needs {}", where, b, size,
                       ShapeString(t->shape), int4 ? "INT4" : DTypeName(t->dtype), expected);
    if (int4) {
      t->data.resize(elements);
      for (size_t i = 0; i < elements; ++i) {
        const int nibble = (i % 2 == 0 ? data[i / 2] : data[i / 2] >> 4) & 0xF;
        t->data[i] = static_cast<uint8_t>(static_cast<int8_t>(nibble >= 8 ? nibble - 16 : nibble));
      }
    } else {
      t->data.assign(data, data + size);
    }
    t->is_constant = true;
    return Status::Ok();
  }

  Expected<std::vector<int>> GraphIo(const flatbuffers::Vector<int32_t>* ids, const char* what) {
    std::vector<int> out;
    if (ids == nullptr) return out;
    for (flatbuffers::uoffset_t i = 0; i < ids->size(); ++i) {
      const int32_t id = ids->Get(i);
      if (id < 0 || id >= num_tensors_)
        return MakeError("subgraph {} {} refers to tensor {}, but the model has {} tensors", what,
                         i, id, num_tensors_);
      out.push_back(id);
    }
    return out;
  }

  /// "operator #3", or "subgraph 2 operator #3" for an inlined subgraph's.
  static std::string Where(const Node& node) {
    if (node.subgraph == 0) return fmt::format("operator #{}", node.index);
    return fmt::format("subgraph {} operator #{}", node.subgraph, node.index);
  }

  /// Imports subgraph `subgraph`'s operators, in order, its tensor t being
  /// graph tensor ids[t]; IF and WHILE inline the subgraphs they name.
  Status ImportOperators(int subgraph, const std::vector<int>& ids) {
    const fb::SubGraph& sg = *model_->subgraphs()->Get(static_cast<flatbuffers::uoffset_t>(subgraph));
    if (sg.operators() == nullptr) return Status::Ok();
    for (flatbuffers::uoffset_t i = 0; i < sg.operators()->size(); ++i) {
      KILN_ASSIGN_OR_RETURN(Node node, ImportOperator(sg, subgraph, static_cast<int>(i), ids));
      if (node.op == OpKind::kIf) {
        KILN_RETURN_IF_ERROR(InlineIf(node));
        continue;
      }
      if (node.op == OpKind::kWhile) {
        KILN_RETURN_IF_ERROR(InlineWhile(node));
        continue;
      }
      KILN_ASSIGN_OR_RETURN(const bool folded, FoldShapeArithmetic(node));
      if (!folded) graph_.nodes.push_back(std::move(node));
    }
    return Status::Ok();
  }

  Expected<Node> ImportOperator(const fb::SubGraph& sg, int subgraph, int index, const std::vector<int>& tensor_ids) {
    const fb::Operator* op = sg.operators()->Get(static_cast<flatbuffers::uoffset_t>(index));
    Node node;
    node.index = index;
    node.subgraph = subgraph;
    const auto* codes = model_->operator_codes();
    if (codes == nullptr || op->opcode_index() >= codes->size())
      return MakeError("{}: opcode_index {} is out of range (the model has {} operator codes)", Where(node),
                       op->opcode_index(), codes ? codes->size() : 0);
    const fb::OperatorCode* code = codes->Get(op->opcode_index());
    const int32_t builtin = BuiltinCode(*code);
    const std::string custom = code->custom_code() ? code->custom_code()->str() : "";
    Status converted = ConvertOperator(*op, builtin, custom, &node);
    if (!converted.ok())
      return MakeError("{} {}: {}", Where(node), BuiltinName(builtin), converted.message());
    const int num_tensors = static_cast<int>(tensor_ids.size());

    auto ids = [&](const flatbuffers::Vector<int32_t>* v, const char* what, bool optional_allowed,
                   std::vector<int>* out) -> Status {
      if (v == nullptr) return Status::Ok();
      for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i) {
        const int32_t id = v->Get(i);
        if (id == -1 && optional_allowed) {
          out->push_back(kNoTensor);
          continue;
        }
        if (id < 0 || id >= num_tensors)
          return MakeError("{} {}: {} {} refers to tensor {}, but the subgraph has {} tensors", Where(node),
                           node.source_op, what, i, id, num_tensors);
        out->push_back(tensor_ids[static_cast<size_t>(id)]);
      }
      return Status::Ok();
    };
    KILN_RETURN_IF_ERROR(ids(op->inputs(), "input", true, &node.inputs));
    KILN_RETURN_IF_ERROR(ids(op->outputs(), "output", false, &node.outputs));
    if (builtin == builtin::kExpandDims) KILN_RETURN_IF_ERROR(ExpandDimsAsReshape(&node));
    if (builtin == builtin::kTransposeConv) KILN_RETURN_IF_ERROR(TransposeConvInputs(&node));
    return node;
  }

  // TRANSPOSE_CONV(output_shape, weights, input, bias?) becomes
  // (input, weights, bias?): the output tensor carries the shape. A constant
  // output_shape must agree with it; a computed one is ignored, as TFLite
  // Micro ignores it.
  Status TransposeConvInputs(Node* node) {
    auto fail = [&](const std::string& why) {
      return MakeError("{} TRANSPOSE_CONV: {}", Where(*node), why);
    };
    if (node->inputs.size() < 3 || node->inputs.size() > 4 || node->inputs[0] == kNoTensor ||
        node->inputs[1] == kNoTensor || node->inputs[2] == kNoTensor || node->outputs.size() != 1)
      return fail("expected inputs (output_shape, weights, input[, bias]) and one output");
    const Tensor& shape = graph_.tensors[static_cast<size_t>(node->inputs[0])];
    const Tensor& output = graph_.tensors[static_cast<size_t>(node->outputs[0])];
    if (shape.is_constant) {
      if (shape.dtype != DType::kInt32 || shape.shape.size() != 1 ||
          static_cast<size_t>(shape.num_elements()) != output.shape.size())
        return fail(fmt::format("output_shape '{}' must be a constant int32 vector of {} values", shape.name,
                                output.shape.size()));
      for (size_t i = 0; i < output.shape.size(); ++i)
        if (shape.int_at(static_cast<int64_t>(i)) != output.shape[i])
          return fail(fmt::format("output_shape '{}' asks for dimension {} = {}, but output '{}' has shape {}",
                                  shape.name, i, shape.int_at(static_cast<int64_t>(i)), output.name,
                                  ShapeString(output.shape)));
    }
    std::vector<int> inputs = {node->inputs[2], node->inputs[1]};
    if (node->inputs.size() == 4) inputs.push_back(node->inputs[3]);
    node->inputs = std::move(inputs);
    return Status::Ok();
  }

  // EXPAND_DIMS(input, axis) is a RESHAPE to the input's shape with a 1
  // inserted at the constant axis (negative: counted from the end, as
  // TFLite's ExpandDims does); the axis input is dropped.
  Status ExpandDimsAsReshape(Node* node) {
    auto fail = [&](const std::string& why) {
      return MakeError("{} EXPAND_DIMS: {}", Where(*node), why);
    };
    if (node->inputs.size() != 2 || node->inputs[0] == kNoTensor || node->inputs[1] == kNoTensor)
      return fail("expected two inputs (input, axis)");
    const Tensor& in = graph_.tensors[static_cast<size_t>(node->inputs[0])];
    const Tensor& axis = graph_.tensors[static_cast<size_t>(node->inputs[1])];
    if (!axis.is_constant || axis.num_elements() != 1 ||
        (axis.dtype != DType::kInt32 && axis.dtype != DType::kInt64))
      return fail(fmt::format("axis '{}' must be a constant int32 or int64 scalar", axis.name));
    const int64_t rank = static_cast<int64_t>(in.shape.size());
    int64_t a = axis.int_at(0);
    if (a < 0) a += rank + 1;
    if (a < 0 || a > rank) return fail(fmt::format("axis {} is out of range for rank {}", axis.int_at(0), rank));
    std::vector<int64_t> shape(in.shape.begin(), in.shape.end());
    shape.insert(shape.begin() + a, 1);
    node->attrs.set("new_shape", shape);
    node->inputs.resize(1);
    return Status::Ok();
  }

  // SHAPE's output is its input's static shape, and BROADCAST_ARGS of two
  // constant shapes their broadcast (TFLite's rule): either output becomes a
  // constant and the operator leaves the graph, so that what reads it
  // (BROADCAST_TO, RESHAPE, FILL) sees a constant. A BROADCAST_ARGS of
  // shapes read at run time stays, for its kernel. Returns whether it folded.
  Expected<bool> FoldShapeArithmetic(const Node& node) {
    const bool is_shape = node.source_op == "SHAPE";
    if (!is_shape && node.op != OpKind::kBroadcastArgs) return false;
    auto fail = [&](const std::string& why) {
      return MakeError("{} {}: {}", Where(node), node.source_op, why);
    };
    const size_t arity = is_shape ? 1 : 2;
    if (node.inputs.size() != arity || node.outputs.size() != 1 ||
        std::count(node.inputs.begin(), node.inputs.end(), kNoTensor) != 0)
      return fail(fmt::format("expected {} input(s) and one output", arity));
    std::vector<int64_t> values;
    if (is_shape) {
      for (int32_t d : graph_.tensor(node.inputs[0]).shape) values.push_back(d);
    } else {
      std::vector<Shape> shapes;
      for (int id : node.inputs) {
        const Tensor& t = graph_.tensor(id);
        if (!t.is_constant || t.shape.size() != 1 || (t.dtype != DType::kInt32 && t.dtype != DType::kInt64))
          return false;  // the kernel's check names what is wrong
        Shape& s = shapes.emplace_back();
        for (int64_t i = 0; i < t.num_elements(); ++i) {
          const int64_t d = t.int_at(i);
          if (d < 0 || d > std::numeric_limits<int32_t>::max())
            return fail(fmt::format("shape '{}' holds dimension {}", t.name, d));
          s.push_back(static_cast<int32_t>(d));
        }
      }
      const std::optional<Shape> broadcast = BroadcastShapes(shapes[0], shapes[1]);
      if (!broadcast)
        return fail(fmt::format("shapes {} ('{}') and {} ('{}') do not broadcast", ShapeString(shapes[0]),
                                graph_.tensor(node.inputs[0]).name, ShapeString(shapes[1]),
                                graph_.tensor(node.inputs[1]).name));
      values.assign(broadcast->begin(), broadcast->end());
    }
    Tensor& out = graph_.tensors[static_cast<size_t>(node.outputs[0])];
    if ((out.dtype != DType::kInt32 && out.dtype != DType::kInt64) ||
        out.shape != Shape{static_cast<int32_t>(values.size())})
      return fail(fmt::format("output '{}' is {} of shape {}, expected int32 or int64 of shape [{}]", out.name,
                              DTypeName(out.dtype), ShapeString(out.shape), values.size()));
    const size_t bytes = DTypeSize(out.dtype);
    out.data.assign(values.size() * bytes, 0);
    for (size_t i = 0; i < values.size(); ++i) {
      const int32_t narrow = static_cast<int32_t>(values[i]);
      std::memcpy(out.data.data() + i * bytes, bytes == 8 ? static_cast<const void*>(&values[i]) : &narrow, bytes);
    }
    out.is_constant = true;
    return true;
  }

  /// A marker node of IF or WHILE (kernels/control_flow.cc) for `node`.
  static Node Marker(const Node& node, const char* part, std::vector<int> inputs, std::vector<int> outputs) {
    Node marker;
    marker.index = node.index;
    marker.subgraph = node.subgraph;
    marker.op = node.op;
    marker.source_op = node.source_op;
    marker.attrs.set("part", std::string(part));
    marker.inputs = std::move(inputs);
    marker.outputs = std::move(outputs);
    return marker;
  }

  /// Inlines subgraph `index` for `caller`: its inputs are the graph tensors
  /// `args`, its other tensors new ones, its operators appended to the graph.
  /// Returns the graph tensors of its outputs.
  Expected<std::vector<int>> InlineSubgraph(const Node& caller, const char* role, int64_t index,
                                            const std::vector<int>& args) {
    auto fail = [&](const std::string& why) {
      return MakeError("{} {}: {} subgraph {}: {}", Where(caller), caller.source_op, role, index, why);
    };
    const auto* subgraphs = model_->subgraphs();
    if (index <= 0 || index >= static_cast<int64_t>(subgraphs->size()))
      return fail(fmt::format("out of range (the model has subgraphs 0 to {}, and 0 is the main one)",
                              subgraphs->size() - 1));
    if (std::find(inlining_.begin(), inlining_.end(), index) != inlining_.end())
      return fail("it calls itself, which a static plan cannot hold");
    const fb::SubGraph& sg = *subgraphs->Get(static_cast<flatbuffers::uoffset_t>(index));
    const size_t count = sg.tensors() ? sg.tensors()->size() : 0;
    if (graph_.nodes.size() > kMaxInlinedOperators || graph_.tensors.size() + count > kMaxInlinedTensors)
      return fail(fmt::format("inlining it would make more than {} operators or {} tensors (each call of a "
                              "subgraph is a copy of it)",
                              kMaxInlinedOperators, kMaxInlinedTensors));
    std::vector<int> ids(count, -1);
    auto io = [&](const flatbuffers::Vector<int32_t>* list, const char* what) -> Expected<std::vector<int>> {
      std::vector<int> out;
      for (flatbuffers::uoffset_t i = 0; list != nullptr && i < list->size(); ++i) {
        if (list->Get(i) < 0 || static_cast<size_t>(list->Get(i)) >= count)
          return fail(fmt::format("{} {} refers to tensor {}, but the subgraph has {} tensors", what, i, list->Get(i),
                                  count));
        out.push_back(list->Get(i));
      }
      return out;
    };
    KILN_ASSIGN_OR_RETURN(const std::vector<int> inputs, io(sg.inputs(), "input"));
    KILN_ASSIGN_OR_RETURN(const std::vector<int> outputs, io(sg.outputs(), "output"));
    if (inputs.size() != args.size())
      return fail(fmt::format("it takes {} inputs, but {} are given", inputs.size(), args.size()));
    for (size_t k = 0; k < inputs.size(); ++k) {
      auto declared = ImportTensor(sg, inputs[k]);
      if (!declared.ok()) return fail(declared.message());
      const Tensor& arg = graph_.tensor(args[k]);
      if (declared->dtype != arg.dtype || declared->shape != arg.shape)
        return fail(fmt::format("input {} '{}' is {} of shape {}, but is given '{}', {} of shape {}", k,
                                declared->name, DTypeName(declared->dtype), ShapeString(declared->shape), arg.name,
                                DTypeName(arg.dtype), ShapeString(arg.shape)));
      ids[static_cast<size_t>(inputs[k])] = args[k];
    }
    for (size_t t = 0; t < count; ++t) {
      if (ids[t] >= 0) continue;
      if (sg.tensors()->Get(static_cast<flatbuffers::uoffset_t>(t))->type() == fb::TensorType::RESOURCE)
        return fail("resource variables inside IF and WHILE subgraphs are not supported");
      auto tensor = ImportTensor(sg, static_cast<int>(t));
      if (!tensor.ok()) return fail(tensor.message());
      ids[t] = static_cast<int>(graph_.tensors.size());
      graph_.tensors.push_back(std::move(*tensor));
      is_resource_.push_back(false);
    }
    inlining_.push_back(index);
    KILN_RETURN_IF_ERROR(ImportOperators(static_cast<int>(index), ids));
    inlining_.pop_back();
    std::vector<int> results;
    for (int o : outputs) results.push_back(ids[static_cast<size_t>(o)]);
    return results;
  }

  // IF(cond, args...): the then branch's operators, then the else branch's,
  // between the markers; each branch's results are copied to the outputs.
  Status InlineIf(const Node& node) {
    auto fail = [&](const std::string& why) {
      return MakeError("{} IF: {}", Where(node), why);
    };
    if (node.inputs.empty() || node.outputs.empty() ||
        std::count(node.inputs.begin(), node.inputs.end(), kNoTensor) != 0)
      return fail("expected a condition, the branches' inputs and at least one output");
    const std::vector<int> args(node.inputs.begin() + 1, node.inputs.end());
    graph_.nodes.push_back(Marker(node, "begin", {node.inputs[0]}, {}));
    KILN_ASSIGN_OR_RETURN(const std::vector<int> then_results,
                          InlineSubgraph(node, "then", node.attrs.get_int("then_subgraph_index", -1), args));
    graph_.nodes.push_back(Marker(node, "else", then_results, node.outputs));
    KILN_ASSIGN_OR_RETURN(const std::vector<int> else_results,
                          InlineSubgraph(node, "else", node.attrs.get_int("else_subgraph_index", -1), args));
    graph_.nodes.push_back(Marker(node, "end", else_results, node.outputs));
    return Status::Ok();
  }

  // WHILE(initial values...): the loop variables are the WHILE's outputs;
  // the cond subgraph's operators, the test, the body's, then the body's
  // results copied to the variables.
  Status InlineWhile(const Node& node) {
    auto fail = [&](const std::string& why) {
      return MakeError("{} WHILE: {}", Where(node), why);
    };
    if (node.inputs.empty() || node.inputs.size() != node.outputs.size() ||
        std::count(node.inputs.begin(), node.inputs.end(), kNoTensor) != 0)
      return fail(fmt::format("expected as many outputs as inputs, at least one, got {} and {}", node.inputs.size(),
                              node.outputs.size()));
    const std::vector<int>& vars = node.outputs;
    graph_.nodes.push_back(Marker(node, "begin", node.inputs, vars));
    KILN_ASSIGN_OR_RETURN(const std::vector<int> cond,
                          InlineSubgraph(node, "cond", node.attrs.get_int("cond_subgraph_index", -1), vars));
    if (cond.size() != 1) return fail(fmt::format("the cond subgraph has {} outputs, expected one", cond.size()));
    graph_.nodes.push_back(Marker(node, "test", cond, {}));
    KILN_ASSIGN_OR_RETURN(std::vector<int> results,
                          InlineSubgraph(node, "body", node.attrs.get_int("body_subgraph_index", -1), vars));
    if (results.size() != vars.size())
      return fail(fmt::format("the body has {} outputs for {} loop variables", results.size(), vars.size()));
    // A result that is another loop variable would be overwritten before it
    // is copied (a swap): it is copied out first, by a RESHAPE to its shape.
    for (size_t i = 0; i < results.size(); ++i) {
      const auto it = std::find(vars.begin(), vars.end(), results[i]);
      if (it == vars.end() || static_cast<size_t>(it - vars.begin()) == i) continue;
      Tensor copy = graph_.tensor(results[i]);
      copy.name += "/carried";
      Node reshape = Marker(node, "", {results[i]}, {static_cast<int>(graph_.tensors.size())});
      reshape.op = OpKind::kReshape;
      reshape.attrs = Attrs{};
      reshape.attrs.set("new_shape", std::vector<int64_t>(copy.shape.begin(), copy.shape.end()));
      results[i] = static_cast<int>(graph_.tensors.size());
      graph_.tensors.push_back(std::move(copy));
      is_resource_.push_back(false);
      graph_.nodes.push_back(std::move(reshape));
    }
    graph_.nodes.push_back(Marker(node, "end", results, vars));
    return Status::Ok();
  }

  // Outputs are caller memory that run() writes: one that is a constant
  // (folded, or a buffer of the model's) gets a copy of its own, a RESHAPE
  // to its own shape, as the ONNX importer does.
  void CopyConstantOutputs() {
    for (int& id : graph_.outputs) {
      if (!graph_.tensor(id).is_constant) continue;
      Tensor copy = graph_.tensor(id);
      copy.data.clear();
      copy.is_constant = false;
      Node node;
      node.op = OpKind::kReshape;
      node.source_op = "(output copy)";
      node.index = static_cast<int>(graph_.nodes.size());
      node.attrs.set("new_shape", std::vector<int64_t>(copy.shape.begin(), copy.shape.end()));
      node.inputs = {id};
      graph_.tensors.push_back(std::move(copy));
      id = static_cast<int>(graph_.tensors.size()) - 1;
      node.outputs = {id};
      graph_.nodes.push_back(std::move(node));
    }
  }

  // Every tensor an operator reads must be a graph input, a constant, a
  // variable, or written by an earlier operator; every output must be
  // written exactly once and never be a constant.
  Status CheckDataflow() {
    std::vector<bool> available(graph_.tensors.size(), false);
    for (int id : graph_.inputs) available[static_cast<size_t>(id)] = true;
    for (size_t i = 0; i < graph_.tensors.size(); ++i) {
      if (graph_.tensors[i].is_constant || graph_.tensors[i].is_variable) available[i] = true;
    }
    // 0: not written; 1: by an operator; 2: by IF or WHILE markers, which
    // write their outputs twice (both branches' results, or the loop's).
    std::vector<int> written(graph_.tensors.size(), 0);
    for (const Node& node : graph_.nodes) {
      for (size_t s = 0; s < node.inputs.size(); ++s) {
        const int id = node.inputs[s];
        if (id == kNoTensor) continue;
        if (!available[static_cast<size_t>(id)])
          return MakeError("{} {}: input {} reads tensor {} '{}' before any operator writes it", Where(node),
                           node.source_op, s, id, graph_.tensor(id).name);
      }
      const int writer = IsControlFlow(node) ? 2 : 1;
      for (int id : node.outputs) {
        const Tensor& t = graph_.tensor(id);
        const int before = written[static_cast<size_t>(id)];
        if (t.is_constant || (before != 0 && (before != 2 || writer != 2)) ||
            std::find(graph_.inputs.begin(), graph_.inputs.end(), id) != graph_.inputs.end())
          return MakeError("{} {}: output tensor {} '{}' is a constant, a model input, or written twice", Where(node),
                           node.source_op, id, t.name);
        written[static_cast<size_t>(id)] = writer;
        available[static_cast<size_t>(id)] = true;
      }
    }
    for (int id : graph_.outputs) {
      if (!available[static_cast<size_t>(id)])
        return MakeError("model output tensor {} '{}' is never written", id, graph_.tensor(id).name);
    }
    return Status::Ok();
  }

  std::span<const uint8_t> bytes_;
  const fb::Model* model_ = nullptr;
  const fb::SubGraph* subgraph_ = nullptr;
  int num_tensors_ = 0;
  std::vector<bool> is_resource_;
  std::vector<int64_t> inlining_;  // the subgraphs being inlined, outermost first
  Graph graph_;
};

}  // namespace

Expected<Graph> ImportTflite(std::span<const uint8_t> bytes) {
  // flatbuffers reads scalars through aligned loads; copy into storage that
  // is at least 16-byte aligned whatever the caller's buffer is.
  std::vector<uint64_t> aligned((bytes.size() + 7) / 8 + 1);
  std::memcpy(aligned.data(), bytes.data(), bytes.size());
  KILN_ASSIGN_OR_RETURN(Graph graph, Importer(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(aligned.data()),
                                                                       bytes.size()))
                                          .Run());
  MakeNamesPrintable(&graph);
  return graph;
}

Expected<Graph> ImportTfliteFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cannot open '{}'", path.string());
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  KILN_ASSIGN_OR_RETURN(Graph graph, ImportTflite(bytes));
  graph.name = PrintableName(path.stem().string());
  return graph;
}

}  // namespace kiln::tflite
