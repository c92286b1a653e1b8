// Shared by elementwise_test.cc, activations_test.cc and quantize_test.cc:
// the golden cases of elementwise_reference.py (an independent model of
// TFLite Micro's kernels), small graph builders, and a reader for the params
// struct a lowering declares, so a test can run the C kernel with exactly
// the parameters Lower computed.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ir/graph.h"
#include "kernels/lowering.h"
#include "ir/dtype.h"
#include "kernels/recording_lowering_context.h"
#include "kiln/broadcast.h"
#include "test_support.h"

namespace kiln::test::elem {

/// int8 ADD_N: `n` inputs of `shape` (one scale and zero point), flattened
/// one after the other in `inputs`.
struct AddNCase {
  const char* name;
  std::vector<int32_t> shape;
  int n;
  float scale;
  int32_t zp;
  float scale_out;
  int32_t zp_out;
  int32_t input_multiplier, input_shift, output_multiplier, output_shift;
  std::vector<int32_t> inputs, expected;
};

struct BinaryCase {
  const char* name;
  const char* op;  // "add", "sub", "mul"
  int bits;        // 8 or 16
  std::vector<int32_t> shape_a, shape_b, shape_out;
  float scale_a, scale_b, scale_out;
  int32_t zp_a, zp_b, zp_out;
  const char* activation;
  // Expected parameters (MUL: only the output multiplier and shift).
  int32_t m1, s1, m2, s2, mo, so, act_min, act_max;
  std::vector<int32_t> a, b, expected;
};

struct ReluCase {
  const char* name;
  float scale_in;
  int32_t zp_in;
  float scale_out;
  int32_t zp_out;
  int32_t multiplier, shift, act_min;
  std::vector<int32_t> expected;  // for inputs -128..127
};

struct LeakyReluCase {
  const char* name;
  float scale_in;
  int32_t zp_in;
  float scale_out;
  int32_t zp_out;
  float alpha;
  int32_t identity_multiplier, identity_shift, alpha_multiplier, alpha_shift;
  std::vector<int32_t> expected;  // for inputs -128..127
};

struct HardSwishCase {
  const char* name;
  float scale_in;
  int32_t zp_in;
  float scale_out;
  int32_t zp_out;
  int32_t output_multiplier, output_exponent, reluish_multiplier, reluish_exponent;
  std::vector<int32_t> expected;  // for inputs -128..127
};

struct RequantCase {
  const char* name;
  const char* in_type;   // "s8", "u8", "s16", "s32"
  const char* out_type;  // "s8", "u8", "s16", "s32"
  float scale_in;
  int32_t zp_in;
  float scale_out;
  int32_t zp_out;
  int32_t multiplier, shift;
  std::vector<int64_t> input, expected;
};

#include "kernels/elementwise_golden.inc"

inline DType TypeFromName(const std::string& t) {
  if (t == "s8") return DType::kInt8;
  if (t == "u8") return DType::kUInt8;
  if (t == "s16") return DType::kInt16;
  if (t == "s32") return DType::kInt32;
  return DType::kFloat32;
}

/// Appends a tensor to `g` and returns its id. A scale <= 0 means "not
/// quantized".
inline int AddTensor(Graph& g, const std::string& name, DType dtype, Shape shape,
                     float scale = 0.0f, int64_t zero_point = 0) {
  Tensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  if (scale > 0.0f) {
    t.quant.scale = {scale};
    t.quant.zero_point = {zero_point};
  }
  g.tensors.push_back(std::move(t));
  return static_cast<int>(g.tensors.size()) - 1;
}

/// Appends a node and returns a reference to it.
inline Node& AddNode(Graph& g, OpKind op, const std::string& source_op, std::vector<int> inputs,
                     std::vector<int> outputs) {
  Node n;
  n.index = static_cast<int>(g.nodes.size());
  n.op = op;
  n.source_op = source_op;
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  g.nodes.push_back(std::move(n));
  return g.nodes.back();
}

/// The designated initializers of a declared params struct, nested ones
/// included: ".multiplier = 5" -> {"multiplier", "5"}, ".dims = {1, 2}" ->
/// {"dims", "{1, 2}"}.
inline std::map<std::string, std::string> ParseParams(const std::string& declaration) {
  std::map<std::string, std::string> out;
  static const std::regex kField(R"(\.(\w+) = (\{[^{}]*\}|[^,\n{}]+))");
  for (auto it = std::sregex_iterator(declaration.begin(), declaration.end(), kField);
       it != std::sregex_iterator(); ++it) {
    out[(*it)[1].str()] = (*it)[2].str();
  }
  return out;
}

/// Evaluates an integer literal as IntLit writes it ("-5", "(-2147483647 - 1)").
inline int64_t ParseInt(const std::string& text) {
  if (text == "(-2147483647 - 1)") return INT32_MIN;
  if (text == "(-9223372036854775807LL - 1)") return INT64_MIN;
  return std::stoll(text);
}

inline std::vector<int64_t> ParseIntArray(const std::string& text) {
  std::vector<int64_t> out;
  static const std::regex kNumber(R"(-?\d+)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kNumber);
       it != std::sregex_iterator(); ++it) {
    out.push_back(std::stoll(it->str()));
  }
  return out;
}

inline float ParseFloat(const std::string& text) { return std::stof(text); }

template <typename T>
std::vector<T> Cast(const std::vector<int32_t>& values) {
  return std::vector<T>(values.begin(), values.end());
}

template <typename T>
std::vector<int32_t> Widen(const std::vector<T>& values) {
  return std::vector<int32_t>(values.begin(), values.end());
}

/// The kiln_broadcast_t a lowering declared, from its parsed params.
inline kiln_broadcast_t ReadBroadcast(const std::map<std::string, std::string>& p) {
  kiln_broadcast_t b{};
  const std::vector<int64_t> dims = ParseIntArray(p.at("dims"));
  const std::vector<int64_t> as = ParseIntArray(p.at("a_strides"));
  const std::vector<int64_t> bs = ParseIntArray(p.at("b_strides"));
  EXPECT_EQ(dims.size(), 6u);
  for (size_t i = 0; i < 6 && i < dims.size(); ++i) {
    b.dims[i] = static_cast<int32_t>(dims[i]);
    b.a_strides[i] = static_cast<int32_t>(as[i]);
    b.b_strides[i] = static_cast<int32_t>(bs[i]);
  }
  b.count = static_cast<int32_t>(ParseInt(p.at("count")));
  b.flat = static_cast<int32_t>(ParseInt(p.at("flat")));
  return b;
}

/// Runs Check and Lower of the kernel registered for `node`, expecting
/// success; returns the recording context.
inline RecordingLoweringContext CheckAndLower(const Graph& graph, const Node& node) {
  RecordingLoweringContext ctx(graph);
  const KernelEntry* entry = FindKernel(graph, node);
  EXPECT_NE(entry, nullptr);
  if (entry == nullptr) return ctx;
  Status status = entry->check(graph, node);
  EXPECT_TRUE(status.ok()) << status.message();
  if (!status.ok()) return ctx;
  status = entry->lower(node, ctx);
  EXPECT_TRUE(status.ok()) << status.message();
  return ctx;
}

/// The error message of the registered kernel's Check for `node` ("" when
/// it passes or no kernel is registered).
inline std::string CheckError(const Graph& graph, const Node& node) {
  const KernelEntry* entry = FindKernel(graph, node);
  if (entry == nullptr) return "<no kernel>";
  const Status status = entry->check(graph, node);
  return status.ok() ? "" : status.message();
}

/// Lowers every node of `graph`, writes the declarations and calls into a C
/// file (tensors as static arrays named t<id>, as RecordingLoweringContext
/// names them) and compiles it with the host C compiler as strict C99.
/// Returns "" on success, else the compiler's output.
inline std::string CompileLoweredAsC99(const Graph& graph) {
  // One context for the whole graph, so that its names are file-unique.
  RecordingLoweringContext ctx(graph);
  for (const Node& node : graph.nodes) {
    const KernelEntry* entry = FindKernel(graph, node);
    if (entry == nullptr) return "no kernel for node " + std::to_string(node.index);
    Status status = entry->check(graph, node);
    if (status.ok()) status = entry->lower(node, ctx);
    if (!status.ok()) return status.message();
  }
  std::string includes, decls, body;
  for (const std::string& k : ctx.kernels) includes += "#include <kiln/kernels/" + k + ".h>\n";
  for (const std::string& d : ctx.declarations) decls += d + "\n";
  for (const std::string& st : ctx.statements) body += "  " + st + "\n";
  std::string tensors;
  for (size_t i = 0; i < graph.tensors.size(); ++i) {
    const Tensor& t = graph.tensors[i];
    tensors += "static " + std::string(DTypeCType(t.dtype)) + " t" + std::to_string(i) + "[" +
               std::to_string(t.num_elements()) + "];\n";
  }
  const std::string source = "#include <stdint.h>\n" + includes + tensors + decls +
                             "void run(void);\nvoid run(void) {\n" + body + "}\n";
  const auto dir = TempDir("elem_c99");
  const auto file = dir / "lowered.c";
  WriteBytes(file, std::vector<uint8_t>(source.begin(), source.end()));
  std::string output;
  const int rc = RunCommand("cc -std=c99 -Wall -Wextra -Werror -pedantic -I" +
                                (SourceDir() / "runtime" / "include").string() + " -c " +
                                file.string() + " -o " + (dir / "lowered.o").string(),
                            &output);
  return rc == 0 ? "" : output + "\n--- source ---\n" + source;
}

}  // namespace kiln::test::elem
