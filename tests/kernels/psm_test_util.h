// Shared by the pooling, softmax, logistic/tanh and mean tests: a small
// graph builder for Check/Lower tests, and a reader for the designated
// initializers of the params struct a lowering declares, so a test can run
// the C kernel with exactly the parameters Lower computed.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ir/graph.h"
#include "kernels/recording_lowering_context.h"

namespace kiln::test::psm {

/// Builds a one-node graph tensor by tensor.
class GraphBuilder {
 public:
  int Tensor(const std::string& name, DType dtype, Shape shape, float scale = 0.0f,
             int64_t zero_point = 0) {
    kiln::Tensor t;
    t.name = name;
    t.dtype = dtype;
    t.shape = std::move(shape);
    if (scale != 0.0f) {
      t.quant.scale = {scale};
      t.quant.zero_point = {zero_point};
    }
    graph.tensors.push_back(std::move(t));
    return static_cast<int>(graph.tensors.size()) - 1;
  }

  int ConstInt32(const std::string& name, Shape shape, const std::vector<int32_t>& values) {
    const int id = Tensor(name, DType::kInt32, std::move(shape));
    kiln::Tensor& t = graph.tensors[static_cast<size_t>(id)];
    t.is_constant = true;
    t.data.resize(values.size() * 4);
    if (!values.empty()) std::memcpy(t.data.data(), values.data(), t.data.size());
    return id;
  }

  Node& Op(OpKind op, std::vector<int> inputs, std::vector<int> outputs) {
    Node n;
    n.index = static_cast<int>(graph.nodes.size());
    n.op = op;
    n.inputs = std::move(inputs);
    n.outputs = std::move(outputs);
    graph.nodes.push_back(std::move(n));
    return graph.nodes.back();
  }

  Graph graph;
};

/// The ".field = value" pairs of the first declaration (values as text).
inline std::map<std::string, std::string> DeclaredFields(const RecordingLoweringContext& ctx) {
  std::map<std::string, std::string> fields;
  if (ctx.declarations.empty()) return fields;
  static const std::regex kField(R"(\.(\w+) = ([^\n]*),\n)");
  const std::string& decl = ctx.declarations.front();
  for (std::sregex_iterator it(decl.begin(), decl.end(), kField), end; it != end; ++it)
    fields[(*it)[1].str()] = (*it)[2].str();
  return fields;
}

/// An integer field of the declared params.
inline int32_t IntField(const std::map<std::string, std::string>& fields, const std::string& name) {
  auto it = fields.find(name);
  EXPECT_NE(it, fields.end()) << "no field " << name;
  if (it == fields.end()) return 0;
  if (it->second == "(-2147483647 - 1)") return INT32_MIN;
  return static_cast<int32_t>(std::stoll(it->second));
}

/// A float field ("1.5f") of the declared params.
inline float FloatField(const std::map<std::string, std::string>& fields,
                        const std::string& name) {
  auto it = fields.find(name);
  EXPECT_NE(it, fields.end()) << "no field " << name;
  if (it == fields.end()) return 0.0f;
  return std::stof(it->second);
}

/// An int32_t array field ("{1, 2, 3}") of the declared params.
inline std::vector<int32_t> IntArrayField(const std::map<std::string, std::string>& fields,
                                          const std::string& name) {
  std::vector<int32_t> values;
  auto it = fields.find(name);
  EXPECT_NE(it, fields.end()) << "no field " << name;
  if (it == fields.end()) return values;
  static const std::regex kNumber(R"(-?\d+)");
  for (std::sregex_iterator n(it->second.begin(), it->second.end(), kNumber), end; n != end; ++n)
    values.push_back(static_cast<int32_t>(std::stoll(n->str())));
  return values;
}

}  // namespace kiln::test::psm
