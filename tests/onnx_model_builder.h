// Builds small ONNX models in memory with the protobuf API, for the ONNX
// importer, pass and CLI tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>

#include "frontend/onnx/onnx_importer.h"
#include "ir/graph.h"
#include "ir/op_table.h"

namespace kiln::test {

/// The operator names of an imported graph, in order: what the ONNX
/// importer and pass tests compare.
inline std::vector<std::string> Ops(const Graph& g) {
  std::vector<std::string> ops;
  for (const Node& n : g.nodes) ops.emplace_back(NodeName(n));
  return ops;
}

class OnnxModelBuilder {
 public:
  explicit OnnxModelBuilder(int64_t opset = 13) {
    model_.set_ir_version(8);
    auto* o = model_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    model_.mutable_graph()->set_name("test");
  }

  onnx::ModelProto& model() { return model_; }
  onnx::GraphProto& graph() { return *model_.mutable_graph(); }

  /// A float32 (or other element type) graph input; a negative dim is symbolic "N".
  void Input(const std::string& name, const std::vector<int64_t>& dims, int32_t elem = onnx::TensorProto::FLOAT) {
    Value(graph().add_input(), name, dims, elem);
  }
  void Output(const std::string& name, const std::vector<int64_t>& dims, int32_t elem = onnx::TensorProto::FLOAT) {
    Value(graph().add_output(), name, dims, elem);
  }
  /// A float32 initializer.
  void Initializer(const std::string& name, const std::vector<int64_t>& dims, const std::vector<float>& values) {
    auto* t = graph().add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    for (float v : values) t->add_float_data(v);
  }
  /// An int64 initializer (shapes, axes).
  void Int64Initializer(const std::string& name, const std::vector<int64_t>& values) {
    auto* t = graph().add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
  }
  onnx::NodeProto* Node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs) {
    auto* n = graph().add_node();
    n->set_op_type(op);
    n->set_name(outputs.empty() ? op : outputs[0]);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return n;
  }
  static void Ints(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }
  static void Int(onnx::NodeProto* n, const std::string& name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void Float(onnx::NodeProto* n, const std::string& name, float v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  static void String(onnx::NodeProto* n, const std::string& name, const std::string& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(v);
  }

  std::vector<uint8_t> Bytes() const {
    std::string s;
    model_.SerializeToString(&s);
    return std::vector<uint8_t>(s.begin(), s.end());
  }

 private:
  static void Value(onnx::ValueInfoProto* v, const std::string& name, const std::vector<int64_t>& dims, int32_t elem) {
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elem);
    auto* shape = tt->mutable_shape();
    for (int64_t d : dims) {
      auto* dim = shape->add_dim();
      if (d < 0) dim->set_dim_param("N");
      else dim->set_dim_value(d);
    }
  }

  onnx::ModelProto model_;
};

/// Imports without the ONNX passes (layout, folding, fusion): what a pass
/// test starts from.
inline Graph ImportRaw(const OnnxModelBuilder& b) {
  onnx_import::OnnxImportOptions options;
  options.run_passes = false;
  auto g = onnx_import::ImportOnnx(b.Bytes(), options);
  EXPECT_TRUE(g.ok()) << g.message();
  return g.ok() ? std::move(g).value() : Graph{};
}

}  // namespace kiln::test
