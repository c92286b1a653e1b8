// Helpers for the data-movement and SVDF kernel tests: building small
// graphs in memory and reading back the parameter values a lowering wrote
// into its params declaration, so a test can run the C kernel with exactly
// what the generated code would pass.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace kiln::test::movement {

/// Appends a tensor and returns its id.
inline int AddTensor(Graph& g, const std::string& name, DType dtype, Shape shape,
                     Quantization quant = {}) {
  Tensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.quant = std::move(quant);
  g.tensors.push_back(std::move(t));
  return static_cast<int>(g.tensors.size()) - 1;
}

/// Appends a constant tensor holding `values` (little-endian, as TFLite).
template <typename T>
int AddConstant(Graph& g, const std::string& name, DType dtype, Shape shape,
                const std::vector<T>& values, Quantization quant = {}) {
  const int id = AddTensor(g, name, dtype, std::move(shape), std::move(quant));
  Tensor& t = g.tensors[static_cast<size_t>(id)];
  t.is_constant = true;
  t.data.resize(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(t.data.data(), values.data(), t.data.size());
  return id;
}

inline Quantization Quant(float scale, int64_t zero_point) {
  Quantization q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

/// Appends a node and returns a reference to it.
inline Node& AddNode(Graph& g, OpKind op, std::vector<int> inputs, std::vector<int> outputs) {
  Node n;
  n.index = static_cast<int>(g.nodes.size());
  n.op = op;
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  g.nodes.push_back(std::move(n));
  return g.nodes.back();
}

/// The integers of field `.name = ...` in a params declaration: a braced
/// list, or one value (an optional "(int32_t)" cast is skipped).
inline std::vector<int64_t> DeclInts(const std::string& decl, const std::string& field) {
  const std::string key = "." + field + " = ";
  const size_t at = decl.find(key);
  if (at == std::string::npos) return {};
  size_t p = at + key.size();
  std::vector<int64_t> values;
  const bool list = decl[p] == '{';
  if (list) ++p;
  if (decl.compare(p, 9, "(int32_t)") == 0) p += 9;
  while (p < decl.size()) {
    size_t used = 0;
    values.push_back(std::stoll(decl.substr(p), &used));
    p += used;
    if (!list || decl[p] == '}') break;
    while (decl[p] == ',' || decl[p] == ' ') ++p;
  }
  return values;
}

/// Copies `values` into the first `values.size()` entries of `out`.
template <typename T>
void Fill(T* out, const std::vector<int64_t>& values) {
  for (size_t i = 0; i < values.size(); ++i) out[i] = static_cast<T>(values[i]);
}

}  // namespace kiln::test::movement
