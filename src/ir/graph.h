// Kiln's IR: a typed dataflow graph of tensors and operator nodes.
// The importer builds it and validates it; every later stage may assume it
// is well formed (tensor ids in range, constant data as large as its shape).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ir/dtype.h"

namespace kiln {

enum class OpKind : uint16_t {
#define KILN_OP(enum_name, name, inputs, attrs, semantics) k##enum_name,
#include "ir/ops.def"
#undef KILN_OP
  /// An operator the frontend recognised but Kiln cannot compile; its
  /// source name is in Node::source_op.
  kUnsupported,
};

/// Affine quantization: real = scale * (q - zero_point). Per-tensor when
/// scale has one entry, else per-channel along `axis`.
struct Quantization {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t axis = 0;

  bool empty() const { return scale.empty(); }
  bool per_channel() const { return scale.size() > 1; }
};

using Shape = std::vector<int32_t>;

/// "[1,96,96,1]"
std::string ShapeString(const Shape& shape);

/// The largest object Kiln's 32-bit targets can hold (PTRDIFF_MAX there):
/// the bound on any tensor, buffer, pool and the constants
/// (driver/size_limits.h).
inline constexpr int64_t kMaxObjectBytes = (int64_t{1} << 31) - 1;

/// The number of elements of a shape; INT64_MAX when that overflows (shapes
/// read from a model file may ask for anything).
int64_t ShapeElements(const Shape& shape);

/// The numpy broadcast of shapes a and b (trailing dimensions aligned; each
/// pair equal or one of them 1), or nullopt when they are incompatible.
std::optional<Shape> BroadcastShapes(const Shape& a, const Shape& b);

struct Tensor {
  std::string name;
  DType dtype = DType::kFloat32;
  Shape shape;
  Quantization quant;
  /// Constant data (little-endian, row-major); empty for activations.
  std::vector<uint8_t> data;
  bool is_constant = false;
  /// State that persists from one run to the next (e.g. SVDF's history).
  bool is_variable = false;
  /// A variable's bytes at the first run and after reset() (a TFLite
  /// resource variable's constant from its CALL_ONCE init subgraph); empty:
  /// TFLite Micro's fill, the int8 zero point or 0.
  std::vector<uint8_t> initial_value;

  int64_t num_elements() const;
  int64_t bytes() const { return num_elements() * static_cast<int64_t>(DTypeSize(dtype)); }
  /// Reads constant element i widened to int64 (integer dtypes only).
  int64_t int_at(int64_t i) const;
  /// Reads constant element i as float (float32 only).
  float float_at(int64_t i) const;
};

using AttrValue = std::variant<int64_t, double, std::vector<int64_t>, std::string>;

/// Named operator attributes, ordered by name so dumps are deterministic.
struct Attrs {
  std::map<std::string, AttrValue> values;

  void set(const std::string& name, AttrValue value) { values[name] = std::move(value); }
  bool has(const std::string& name) const { return values.count(name) != 0; }
  int64_t get_int(const std::string& name, int64_t fallback = 0) const;
  double get_float(const std::string& name, double fallback = 0.0) const;
  std::vector<int64_t> get_ints(const std::string& name) const;
  std::string get_string(const std::string& name, const std::string& fallback = "") const;
};

/// Input slot value for an absent optional input.
constexpr int kNoTensor = -1;

struct Node {
  /// Position in the source model's operator list, for diagnostics.
  int index = -1;
  /// The source model's subgraph the operator comes from (0: the main one;
  /// others are inlined IF and WHILE subgraphs), for diagnostics.
  int subgraph = 0;
  OpKind op = OpKind::kUnsupported;
  /// The operator's name in the source model (e.g. "CONV_2D", "GATHER").
  std::string source_op;
  std::vector<int> inputs;
  std::vector<int> outputs;
  Attrs attrs;
};

struct Graph {
  std::string name;
  std::vector<Tensor> tensors;
  /// Nodes in execution order.
  std::vector<Node> nodes;
  std::vector<int> inputs;
  std::vector<int> outputs;

  const Tensor& tensor(int id) const { return tensors.at(static_cast<size_t>(id)); }
  /// The tensor behind input slot `slot` of `node`, or nullptr when absent.
  const Tensor* input(const Node& node, size_t slot) const;
  const Tensor& output(const Node& node, size_t slot = 0) const {
    return tensor(node.outputs.at(slot));
  }
};

}  // namespace kiln
