#include "frontend/onnx/onnx_importer.h"
#include "ir/printable_names.h"

#include <climits>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>

#include "frontend/onnx/import_context.h"
#include "frontend/onnx/onnx_op_table.h"
#include "passes/onnx_passes.h"

namespace kiln::onnx_import {
namespace {

Expected<int64_t> DefaultOpset(const onnx::ModelProto& model) {
  int64_t opset = -1;
  for (const auto& o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
  // A model of other domains only (e.g. ai.onnx.preview.training) has no
  // operator Kiln knows; the nodes say so one by one.
  if (opset < 0) return kMaxOpset;
  if (opset < kOldestOpset || opset > kMaxOpset)
    return MakeError("opset {} is not supported (Kiln imports ai.onnx opsets {} to {})", opset, kOldestOpset,
                     kMaxOpset);
  return opset;
}

/// For a model of opset below kMinOpset: why `op` cannot be read as at
/// kMinOpset (its definition changed in between, by ONNX's schema
/// registry), or nothing when it can.
std::optional<std::string> ChangedSinceOldOpset(const std::string& op, int64_t opset) {
  const onnx::OpSchema* old_schema = onnx::OpSchemaRegistry::Schema(op, static_cast<int>(opset));
  const onnx::OpSchema* min_schema = onnx::OpSchemaRegistry::Schema(op, static_cast<int>(kMinOpset));
  if (old_schema == nullptr) return fmt::format("opset {}: ONNX has no {} before opset {}", opset, op, kMinOpset);
  if (min_schema == nullptr || min_schema->SinceVersion() != old_schema->SinceVersion())
    return fmt::format("opset {}: {} changed at opset {} (Kiln reads opsets {} to {} whole, older ones where an "
                       "operator is as at {})",
                       opset, op, min_schema ? min_schema->SinceVersion() : kMinOpset, kMinOpset, kMaxOpset,
                       kMinOpset);
  return std::nullopt;
}

class Importer {
 public:
  Importer(const onnx::ModelProto& model, int64_t opset, const OnnxImportOptions& options)
      : model_(model), options_(options), ctx_(opset, TensorSource{options.model_dir}) {}

  Expected<Graph> Run() {
    const onnx::GraphProto& g = model_.graph();
    ctx_.graph().name = g.name();
    KILN_RETURN_IF_ERROR(ImportInitializers(g));
    KILN_RETURN_IF_ERROR(ImportInputs(g));
    for (int i = 0; i < g.node_size(); ++i) KILN_RETURN_IF_ERROR(ImportNode(g.node(i), i));
    KILN_RETURN_IF_ERROR(ImportOutputs(g));
    return std::move(ctx_.graph());
  }

 private:
  Status ImportInitializers(const onnx::GraphProto& g) {
    for (const auto& init : g.initializer()) {
      if (init.name().empty()) return MakeError("an initializer has no name");
      if (ctx_.IsDefined(init.name())) return MakeError("initializer '{}' is defined twice", init.name());
      DType dtype;
      if (!ConvertOnnxDType(init.data_type(), &dtype)) {
        ctx_.BindUnknown(init.name(), fmt::format("initializer '{}' has element type {}", init.name(),
                                                  OnnxDTypeName(init.data_type())));
        continue;
      }
      KILN_ASSIGN_OR_RETURN(Tensor t, ConvertTensorProto(init, ctx_.source()));
      ctx_.Bind(init.name(), ctx_.AddTensor(std::move(t)));
    }
    for (const auto& sparse : g.sparse_initializer())
      ctx_.BindUnknown(sparse.values().name(), "sparse initializers are not supported");
    return Status::Ok();
  }

  Status ImportInputs(const onnx::GraphProto& g) {
    std::set<std::string> names;
    for (const auto& vi : g.input()) {
      const std::string& name = vi.name();
      if (name.empty()) return MakeError("a graph input has no name");
      if (!names.insert(name).second) return MakeError("graph input '{}' is declared twice", name);
      // An input with an initializer is a constant with a default (IR >= 4).
      if (ctx_.IsDefined(name)) continue;
      if (!vi.type().has_tensor_type()) {
        UnsupportedInput(fmt::format("graph input '{}' is not a tensor (sequence/map/optional)", name), name);
        continue;
      }
      const auto& tt = vi.type().tensor_type();
      DType dtype;
      if (!ConvertOnnxDType(tt.elem_type(), &dtype)) {
        UnsupportedInput(fmt::format("graph input '{}' has element type {}", name, OnnxDTypeName(tt.elem_type())), name);
        continue;
      }
      if (static_cast<size_t>(tt.shape().dim_size()) > kMaxRank) {
        UnsupportedInput(fmt::format("graph input '{}' has rank {} (Kiln handles up to {})", name,
                                     tt.shape().dim_size(), kMaxRank), name);
        continue;
      }
      Tensor t;
      t.name = name;
      t.dtype = dtype;
      KILN_ASSIGN_OR_RETURN(t.shape, InputShape(vi));
      ctx_.Bind(name, ctx_.AddTensor(std::move(t)));
      ctx_.graph().inputs.push_back(*ctx_.Find(name));
    }
    for (const auto& [name, shape] : options_.input_shapes)
      if (!names.count(name)) return MakeError("--input-shape names '{}', which is not an input of the model", name);
    return Status::Ok();
  }

  /// An input Kiln cannot represent: recorded as an unsupported pseudo-node.
  void UnsupportedInput(const std::string& reason, const std::string& name) {
    ctx_.BindUnknown(name, reason);
    ctx_.node_index = -1;
    ctx_.node_op = "(input)";
    Attrs attrs;
    attrs.set("unsupported", reason);
    ctx_.AddNode(OpKind::kUnsupported, {}, {}, std::move(attrs));
  }

  Expected<Shape> InputShape(const onnx::ValueInfoProto& vi) {
    const std::string& name = vi.name();
    const auto& tt = vi.type().tensor_type();
    auto given = options_.input_shapes.find(name);
    if (!tt.has_shape()) {
      if (given != options_.input_shapes.end()) return given->second;
      return MakeError("input '{}' has no shape; give one with --input-shape {}:D0,D1,...", name, name);
    }
    const auto& dims = tt.shape().dim();
    if (given != options_.input_shapes.end()) {
      const Shape& s = given->second;
      if (static_cast<int>(s.size()) != dims.size())
        return MakeError("--input-shape {} has rank {}, but the model's input has rank {}", name, s.size(), dims.size());
      for (int i = 0; i < dims.size(); ++i) {
        if (dims[i].has_dim_value() && dims[i].dim_value() != s[static_cast<size_t>(i)])
          return MakeError("--input-shape {}: dimension {} is {}, but the model fixes it to {}", name, i,
                           s[static_cast<size_t>(i)], dims[i].dim_value());
      }
      google::protobuf::RepeatedField<int64_t> rf;
      for (int32_t d : s) rf.Add(d);
      auto checked = ConvertDims(rf);
      if (!checked.ok()) return MakeError("--input-shape {}: {}", name, checked.message());
      return s;
    }
    google::protobuf::RepeatedField<int64_t> rf;
    for (int i = 0; i < dims.size(); ++i) {
      if (!dims[i].has_dim_value()) {
        const std::string what = dims[i].has_dim_param() ? "'" + dims[i].dim_param() + "'" : "unknown";
        return MakeError("input '{}' has a dynamic dimension {} (axis {}); fix it with --input-shape {}:D0,D1,...",
                         name, what, i, name);
      }
      rf.Add(dims[i].dim_value());
    }
    auto shape = ConvertDims(rf);
    if (!shape.ok()) return MakeError("input '{}': {}", name, shape.message());
    return *shape;
  }

  Status ImportNode(const onnx::NodeProto& proto, int index) {
    ctx_.node_index = index;
    ctx_.node_op = proto.op_type();
    OnnxNode node(proto, ctx_);
    // Every input must be defined earlier (ONNX graphs are topologically sorted).
    std::string unknown;
    for (int i = 0; i < proto.input_size(); ++i) {
      const std::string& in = proto.input(i);
      if (in.empty()) continue;
      if (!ctx_.IsDefined(in))
        return MakeError("{}: input '{}' is not a graph input, an initializer, or an earlier node's output",
                         node.Label(), in);
      if (unknown.empty() && ctx_.UnknownReason(in) != nullptr)
        unknown = fmt::format("input '{}' is not available ({})", in, *ctx_.UnknownReason(in));
    }
    for (int i = 0; i < proto.output_size(); ++i) {
      const std::string& out = proto.output(i);
      if (!out.empty() && ctx_.IsDefined(out))
        return MakeError("{}: output '{}' is already defined (SSA violated)", node.Label(), out);
    }
    if (!unknown.empty()) return EmitUnsupported(node, unknown);
    if (!proto.domain().empty() && proto.domain() != "ai.onnx")
      return EmitUnsupported(node, fmt::format("operator domain '{}'", proto.domain()));
    const OnnxOpEntry* entry = FindOnnxOp(proto.op_type());
    if (entry == nullptr) return EmitUnsupported(node, "operator not supported");
    if (ctx_.opset() < kMinOpset) {
      if (auto changed = ChangedSinceOldOpset(proto.op_type(), ctx_.opset()))
        return EmitUnsupported(node, *changed);
    }
    // Every imported operator has output 0, which converters rely on, but
    // the recurrent layers, whose outputs are all optional (a model may ask
    // for Y_h alone).
    const bool all_outputs_optional = proto.op_type() == "LSTM" || proto.op_type() == "GRU" || proto.op_type() == "RNN";
    bool any_output = false;
    for (int i = 0; i < proto.output_size(); ++i) any_output = any_output || !proto.output(i).empty();
    if (all_outputs_optional ? !any_output : proto.output_size() == 0 || proto.output(0).empty())
      return node.Invalid("{}", all_outputs_optional ? "no output is named" : "output 0 is missing");
    const size_t nodes_before = ctx_.graph().nodes.size();
    // Converters hold references to their input tensors while they add new
    // ones; room for every tensor one node can add keeps those references
    // valid (a bidirectional LSTM with every input and output, the most, adds
    // about 70).
    ctx_.graph().tensors.reserve(ctx_.graph().tensors.size() + 64 + 4 * node.num_inputs());
    Status converted = entry->convert(node);
    if (!converted.ok()) {
      if (node.unsupported_reason().empty()) return converted;
      ctx_.graph().nodes.resize(nodes_before);  // drop any partial lowering
      return EmitUnsupported(node, node.unsupported_reason());
    }
    for (int i = 0; i < proto.output_size(); ++i) {
      if (!proto.output(i).empty() && !ctx_.IsDefined(proto.output(i)))
        return EmitUnsupported(node, fmt::format("output {} '{}'", i, proto.output(i)));
    }
    return Status::Ok();
  }

  Status EmitUnsupported(OnnxNode& node, const std::string& reason) {
    std::vector<int> inputs;
    for (size_t i = 0; i < node.num_inputs(); ++i) {
      const auto id = node.has_input(i) ? ctx_.Find(node.proto().input(static_cast<int>(i))) : std::nullopt;
      inputs.push_back(id ? *id : kNoTensor);
    }
    const std::string why = fmt::format("node #{} {}", ctx_.node_index, node.op_type());
    for (int i = 0; i < node.proto().output_size(); ++i)
      if (!node.proto().output(i).empty() && !ctx_.IsDefined(node.proto().output(i)))
        ctx_.BindUnknown(node.proto().output(i), "produced by unsupported " + why);
    Attrs attrs;
    attrs.set("unsupported", reason);
    ctx_.AddNode(OpKind::kUnsupported, std::move(inputs), {}, std::move(attrs));
    return Status::Ok();
  }

  Status ImportOutputs(const onnx::GraphProto& g) {
    if (g.output_size() == 0) return MakeError("the graph declares no outputs");
    std::set<int> used;
    for (const auto& vi : g.output()) {
      const std::string& name = vi.name();
      if (!ctx_.IsDefined(name)) return MakeError("graph output '{}' is never produced", name);
      auto id = ctx_.Find(name);
      if (!id) continue;  // produced by an unsupported node
      const Tensor& t = ctx_.graph().tensor(*id);
      if (vi.type().has_tensor_type()) {
        const auto& tt = vi.type().tensor_type();
        DType declared;
        if (tt.elem_type() != 0 && ConvertOnnxDType(tt.elem_type(), &declared) && declared != t.dtype)
          return MakeError("output '{}' is declared {} but computes {}", name, OnnxDTypeName(tt.elem_type()),
                           DTypeName(t.dtype));
        if (tt.has_shape()) {
          const auto& dims = tt.shape().dim();
          bool match = dims.size() == static_cast<int>(t.shape.size());
          for (int i = 0; match && i < dims.size(); ++i)
            if (dims[i].has_dim_value() && dims[i].dim_value() != t.shape[static_cast<size_t>(i)]) match = false;
          if (!match) {
            std::string declared_dims;
            for (int i = 0; i < dims.size(); ++i)
              declared_dims += (i ? "," : "") + (dims[i].has_dim_value() ? std::to_string(dims[i].dim_value())
                                                                          : dims[i].dim_param());
            return MakeError("shape mismatch: output '{}' is declared [{}] but Kiln infers {}", name,
                             declared_dims, ShapeString(t.shape));
          }
        }
      }
      // Outputs are caller memory written by an operator: a constant, a
      // model input or a repeated tensor gets a copy of its own.
      const bool is_input = std::find(ctx_.graph().inputs.begin(), ctx_.graph().inputs.end(), *id) !=
                            ctx_.graph().inputs.end();
      int out = *id;
      if (t.is_constant || is_input || used.count(*id)) {
        ctx_.node_index = g.node_size();
        ctx_.node_op = "(output copy)";
        Tensor copy;
        copy.name = name;
        copy.dtype = t.dtype;
        copy.quant = t.quant;
        copy.shape = t.shape;
        const Shape shape = t.shape;
        const int src = *id;
        out = ctx_.AddTensor(std::move(copy));
        std::vector<int64_t> dims(shape.begin(), shape.end());
        const int shape_id = ctx_.AddInt32Constant(name + "/shape", dims, {static_cast<int32_t>(dims.size())});
        ctx_.AddNode(OpKind::kReshape, {src, shape_id}, {out});
      }
      used.insert(out);
      ctx_.graph().outputs.push_back(out);
    }
    return Status::Ok();
  }

  const onnx::ModelProto& model_;
  const OnnxImportOptions& options_;
  ImportContext ctx_;
};

bool HasUnsupported(const Graph& graph) {
  for (const Node& node : graph.nodes)
    if (node.op == OpKind::kUnsupported) return true;
  return false;
}

}  // namespace

std::string UnsupportedReason(const Node& node) {
  return node.attrs.get_string("unsupported", "operator not supported");
}

Expected<Graph> ImportOnnx(std::span<const uint8_t> bytes, const OnnxImportOptions& options) {
  if (bytes.size() > static_cast<size_t>(INT_MAX)) return MakeError("the file is larger than protobuf's 2 GiB limit");
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return MakeError("not an ONNX model: the protobuf is malformed or truncated");
  if (!model.has_graph()) return MakeError("not an ONNX model: it has no graph");
  if (model.ir_version() < 3)
    return MakeError("ONNX IR version {} is not supported (3 or newer, with opset imports)", model.ir_version());
  KILN_ASSIGN_OR_RETURN(int64_t opset, DefaultOpset(model));
  KILN_ASSIGN_OR_RETURN(Graph graph, Importer(model, opset, options).Run());
  if (options.run_passes && !HasUnsupported(graph)) KILN_RETURN_IF_ERROR(RunOnnxPasses(&graph, options.fuse_qdq));
  else if (options.run_passes) ClearFloatQuantization(&graph);  // the marks only serve fuse_qdq
  MakeNamesPrintable(&graph);
  return graph;
}

Expected<Graph> ImportOnnxFile(const std::filesystem::path& path, OnnxImportOptions options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cannot open '{}'", path.string());
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (options.model_dir.empty()) options.model_dir = path.parent_path().empty() ? "." : path.parent_path();
  KILN_ASSIGN_OR_RETURN(Graph graph, ImportOnnx(bytes, options));
  graph.name = PrintableName(path.stem().string());
  return graph;
}

bool LooksLikeOnnx(const std::filesystem::path& path) {
  if (path.extension() == ".onnx") return true;
  if (path.extension() == ".tflite") return false;
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof head);
  // TFLite files carry "TFL3" at offset 4; anything else is tried as ONNX
  // only when it parses as a ModelProto with a graph.
  if (in.gcount() >= 8 && std::string(head + 4, 4) == "TFL3") return false;
  in.clear();
  in.seekg(0);
  onnx::ModelProto model;
  return model.ParseFromIstream(&in) && model.has_graph() && model.ir_version() > 0;
}

}  // namespace kiln::onnx_import
