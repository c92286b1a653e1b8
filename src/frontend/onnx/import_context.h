// The state of one ONNX import: the Graph being built, the map from ONNX
// value names to its tensors, and the view of one node that converters
// work with (inputs, attributes, outputs, and how to say "unsupported").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "frontend/onnx/onnx_tensor.h"
#include "ir/graph.h"
#include "support/status.h"

namespace kiln::onnx_import {

/// The graph under construction and the ONNX names bound to its tensors.
class ImportContext {
 public:
  ImportContext(int64_t opset, TensorSource source) : opset_(opset), source_(std::move(source)) {}

  Graph& graph() { return graph_; }
  int64_t opset() const { return opset_; }
  const TensorSource& source() const { return source_; }

  /// Adds a tensor and returns its id.
  int AddTensor(Tensor tensor);
  /// Adds a constant tensor named `name` with the given payload.
  int AddConstant(std::string name, DType dtype, Shape shape, std::vector<uint8_t> data);
  /// Convenience constants for the parameters converters emit.
  int AddInt32Constant(std::string name, const std::vector<int64_t>& values, Shape shape = {});
  int AddFloatConstant(std::string name, const std::vector<float>& values, Shape shape = {});

  /// Binds ONNX value `name` to tensor `id`.
  void Bind(const std::string& name, int id) { values_[name] = id; }
  /// Marks `name` as produced by something Kiln cannot import, with why.
  void BindUnknown(const std::string& name, std::string why) { unknown_[name] = std::move(why); }
  /// The tensor bound to `name`, or nullopt (unknown or never defined).
  std::optional<int> Find(const std::string& name) const;
  /// Why `name` is unknown, or nullptr when it is not.
  const std::string* UnknownReason(const std::string& name) const;
  bool IsDefined(const std::string& name) const { return values_.count(name) || unknown_.count(name); }

  /// Appends a node (index and source op of the ONNX node being converted).
  void AddNode(OpKind op, std::vector<int> inputs, std::vector<int> outputs, Attrs attrs = {});

  /// The ONNX node being converted: its position and op_type, set by the importer.
  int node_index = -1;
  std::string node_op;

 private:
  int64_t opset_;
  TensorSource source_;
  Graph graph_;
  std::map<std::string, int> values_;
  std::map<std::string, std::string> unknown_;
};

/// What a converter sees of one ONNX node.
class OnnxNode {
 public:
  OnnxNode(const onnx::NodeProto& proto, ImportContext& ctx) : proto_(proto), ctx_(ctx) {}

  const onnx::NodeProto& proto() const { return proto_; }
  ImportContext& ctx() { return ctx_; }
  Graph& graph() { return ctx_.graph(); }
  int64_t opset() const { return ctx_.opset(); }
  const std::string& op_type() const { return proto_.op_type(); }

  /// Input slots (absent optional inputs have an empty name).
  size_t num_inputs() const { return static_cast<size_t>(proto_.input_size()); }
  bool has_input(size_t i) const { return i < num_inputs() && !proto_.input(static_cast<int>(i)).empty(); }
  /// Tensor id of input i; the importer has checked it is bound.
  int input_id(size_t i) const;
  const Tensor& input(size_t i) { return graph().tensor(input_id(i)); }
  /// Input i when present and constant, else nullptr.
  const Tensor* constant_input(size_t i);

  size_t num_outputs() const { return static_cast<size_t>(proto_.output_size()); }
  bool has_output(size_t i) const { return i < num_outputs() && !proto_.output(static_cast<int>(i)).empty(); }
  /// Creates the activation tensor of output i with the given type and binds it.
  int DefineOutput(size_t i, DType dtype, Shape shape);
  /// Binds output i to an existing tensor (Identity, folded constants).
  void BindOutput(size_t i, int id);
  /// Creates a constant for output i (constant folding) and binds it.
  int DefineConstantOutput(size_t i, Tensor tensor);

  // --- attributes ---
  const onnx::AttributeProto* attr(const std::string& name) const;
  bool has_attr(const std::string& name) const { return attr(name) != nullptr; }
  Expected<int64_t> attr_int(const std::string& name, std::optional<int64_t> fallback = std::nullopt) const;
  Expected<float> attr_float(const std::string& name, std::optional<float> fallback = std::nullopt) const;
  Expected<std::vector<int64_t>> attr_ints(const std::string& name,
                                           std::optional<std::vector<int64_t>> fallback = std::nullopt) const;
  Expected<std::string> attr_string(const std::string& name,
                                    std::optional<std::string> fallback = std::nullopt) const;
  /// Attribute names not in `known` (for "unsupported attribute" reports).
  std::vector<std::string> UnknownAttrs(std::initializer_list<const char*> known) const;

  /// Integer values of a constant input (int32 or int64); error when not constant.
  Expected<std::vector<int64_t>> ConstantInts(size_t i, const char* role);
  /// Float values of a constant float32 input; error when not constant.
  Expected<std::vector<float>> ConstantFloats(size_t i, const char* role);

  /// "Conv 'conv1' (node #3)": the prefix of this node's diagnostics.
  std::string Label() const;
  /// A malformed-model error about this node.
  template <typename... Args>
  Error Invalid(fmt::format_string<Args...> format, Args&&... args) const {
    return Error{Label() + ": " + fmt::format(format, std::forward<Args>(args)...)};
  }
  /// Records that Kiln cannot compile this node and why (naming the operator
  /// and, where it applies, the attribute and value); the importer then
  /// emits an unsupported node instead of failing the import.
  template <typename... Args>
  Error Unsupported(fmt::format_string<Args...> format, Args&&... args) {
    unsupported_reason_ = fmt::format(format, std::forward<Args>(args)...);
    return Error{Label() + ": " + unsupported_reason_};
  }
  const std::string& unsupported_reason() const { return unsupported_reason_; }

 private:
  const onnx::NodeProto& proto_;
  ImportContext& ctx_;
  std::string unsupported_reason_;
};

/// Row-major element strides of a shape.
std::vector<int64_t> Strides(const Shape& shape);
/// Reads element i of a constant of any integer dtype, or float32 (truncated).
int64_t ElementAsInt(const Tensor& t, int64_t i);
/// Reads element i of a constant as double (any dtype).
double ElementAsDouble(const Tensor& t, int64_t i);
/// Encodes `values` as a constant payload of `dtype` (values are converted).
std::vector<uint8_t> EncodeInts(DType dtype, const std::vector<int64_t>& values);
std::vector<uint8_t> EncodeDoubles(DType dtype, const std::vector<double>& values);
/// Normalises an axis in [-rank, rank) to [0, rank); false when out of range.
bool NormalizeAxis(int64_t axis, size_t rank, int64_t* out);

}  // namespace kiln::onnx_import
