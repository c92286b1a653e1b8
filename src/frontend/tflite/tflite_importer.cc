#include "frontend/tflite/tflite_importer.h"
#include "ir/printable_names.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

#include "frontend/tflite/builtin_names.h"
#include "frontend/tflite/operator_options.h"
#include "frontend/tflite/resource_variables.h"
#include "tflite_schema_generated.h"

namespace kiln::tflite {
namespace {

namespace fb = tflite_fb;

// Largest tensor Kiln accepts (elements); keeps size arithmetic in range.
constexpr int64_t kMaxElements = int64_t{1} << 31;
constexpr size_t kMaxRank = 6;

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
    if (subgraph_->operators() != nullptr) {
      for (flatbuffers::uoffset_t i = 0; i < subgraph_->operators()->size(); ++i) {
        KILN_ASSIGN_OR_RETURN(Node node, ImportOperator(static_cast<int>(i)));
        KILN_ASSIGN_OR_RETURN(const bool folded, FoldShapeArithmetic(node));
        if (!folded) graph_.nodes.push_back(std::move(node));
      }
    }
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
    auto type = ConvertType(src->type());
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
    KILN_RETURN_IF_ERROR(ImportData(*src, where(), &t));
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

  Status ImportData(const fb::Tensor& src, const std::string& where, Tensor* t) {
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
    const auto expected = static_cast<size_t>(t->bytes());
    if (size != expected)
      return MakeError("{}: buffer {} holds {} bytes but shape {} of {} needs {}", where, b, size,
                       ShapeString(t->shape), DTypeName(t->dtype), expected);
    t->data.assign(data, data + size);
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

  Expected<Node> ImportOperator(int index) {
    const fb::Operator* op = subgraph_->operators()->Get(static_cast<flatbuffers::uoffset_t>(index));
    Node node;
    node.index = index;
    const auto* codes = model_->operator_codes();
    if (codes == nullptr || op->opcode_index() >= codes->size())
      return MakeError("operator #{}: opcode_index {} is out of range (the model has {} operator codes)",
                       index, op->opcode_index(), codes ? codes->size() : 0);
    const fb::OperatorCode* code = codes->Get(op->opcode_index());
    const int32_t builtin = BuiltinCode(*code);
    const std::string custom = code->custom_code() ? code->custom_code()->str() : "";
    Status converted = ConvertOperator(*op, builtin, custom, &node);
    if (!converted.ok())
      return MakeError("operator #{} {}: {}", index, BuiltinName(builtin), converted.message());

    auto ids = [&](const flatbuffers::Vector<int32_t>* v, const char* what, bool optional_allowed,
                   std::vector<int>* out) -> Status {
      if (v == nullptr) return Status::Ok();
      for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i) {
        const int32_t id = v->Get(i);
        if (id == -1 && optional_allowed) {
          out->push_back(kNoTensor);
          continue;
        }
        if (id < 0 || id >= num_tensors_)
          return MakeError("operator #{} {}: {} {} refers to tensor {}, but the model has {} tensors",
                           index, node.source_op, what, i, id, num_tensors_);
        out->push_back(id);
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
      return MakeError("operator #{} TRANSPOSE_CONV: {}", node->index, why);
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
      return MakeError("operator #{} EXPAND_DIMS: {}", node->index, why);
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
      return MakeError("operator #{} {}: {}", node.index, node.source_op, why);
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
    std::vector<bool> written(graph_.tensors.size(), false);
    for (const Node& node : graph_.nodes) {
      for (size_t s = 0; s < node.inputs.size(); ++s) {
        const int id = node.inputs[s];
        if (id == kNoTensor) continue;
        if (!available[static_cast<size_t>(id)])
          return MakeError("operator #{} {}: input {} reads tensor {} '{}' before any operator writes it",
                           node.index, node.source_op, s, id, graph_.tensor(id).name);
      }
      for (int id : node.outputs) {
        const Tensor& t = graph_.tensor(id);
        if (t.is_constant || written[static_cast<size_t>(id)] ||
            std::find(graph_.inputs.begin(), graph_.inputs.end(), id) != graph_.inputs.end())
          return MakeError("operator #{} {}: output tensor {} '{}' is a constant, a model input, or written twice",
                           node.index, node.source_op, id, t.name);
        written[static_cast<size_t>(id)] = true;
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
