// Shared by conv_test.cc and fully_connected_test.cc: golden cases from
// conv_golden.py (an independent model of TFLite's reference kernels), the
// LCG both sides use to generate operands, small graph builders, and a
// reader for the params struct a lowering declares, so tests can run the C
// kernel with exactly the parameters Lower computed.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <ostream>
#include <regex>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "kernels/recording_lowering_context.h"
#include "test_support.h"

namespace kiln::test {

struct ConvCase {
  const char* name;
  bool quantized;
  bool depthwise;
  int32_t n, h, w, c, kh, kw, filter_c, out_c;
  const char* padding;
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  const char* activation;
  float input_scale;
  int32_t input_zp;
  std::vector<float> filter_scales;
  float output_scale;
  int32_t output_zp;
  bool has_bias;
  uint32_t seed;
  std::vector<int32_t> expected_q;
  std::vector<double> expected_f;
};

struct FcCase {
  const char* name;
  bool quantized;
  std::vector<int32_t> input_shape;
  int32_t out_depth, accum_depth, keep_num_dims;
  const char* activation;
  float input_scale;
  int32_t input_zp;
  std::vector<float> weights_scales;
  int32_t weights_zp;
  float output_scale;
  int32_t output_zp;
  bool has_bias;
  uint32_t seed;
  std::vector<int32_t> expected_q;
  std::vector<double> expected_f;
};

#include "kernels/conv_golden.inc"

// Readable names for parameterized failures.
inline void PrintTo(const ConvCase& c, std::ostream* os) { *os << c.name; }
inline void PrintTo(const FcCase& c, std::ostream* os) { *os << c.name; }

/// The generator conv_golden.py uses (Numerical Recipes' LCG).
class Lcg {
 public:
  explicit Lcg(uint32_t seed) : state_(seed) {}
  uint32_t Next() { return state_ = state_ * 1664525u + 1013904223u; }
  int8_t I8() { return static_cast<int8_t>(static_cast<int32_t>(Next() >> 24) - 128); }
  int32_t Bias() { return static_cast<int32_t>((Next() >> 16) % 4001u) - 2000; }
  float F() { return static_cast<float>((Next() >> 8) / 16777216.0 * 2.0 - 1.0); }

 private:
  uint32_t state_;
};

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& values) {
  std::vector<uint8_t> out(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

/// "ok", or the error message.
inline std::string StatusText(const Status& status) {
  return status.ok() ? std::string("ok") : status.message();
}

/// Appends a tensor and returns its id.
inline int AddTensor(Graph& g, const std::string& name, DType dtype, Shape shape,
                     Quantization quant = {}, std::vector<uint8_t> data = {}) {
  Tensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.quant = std::move(quant);
  t.is_constant = !data.empty();
  t.data = std::move(data);
  g.tensors.push_back(std::move(t));
  return static_cast<int>(g.tensors.size()) - 1;
}

inline Quantization Quant(std::vector<float> scales, int64_t zp, int32_t axis = 0) {
  Quantization q;
  q.zero_point.assign(scales.size(), zp);
  q.scale = std::move(scales);
  q.axis = axis;
  return q;
}

/// Compiles what a lowering emitted (arrays, params struct, call) as C99
/// against the runtime headers: field names, types and the call signature
/// must agree with the kernel.
inline std::string CompileLowered(const RecordingLoweringContext& ctx,
                                  const std::string& signature) {
  std::string src = "#include <kiln/kernels/" + ctx.kernels.at(0) + ".h>\n";
  for (const auto& [name, values] : ctx.int_arrays) {
    src += "static const int32_t " + name + "[] = {";
    for (int64_t v : values) src += std::to_string(v) + ", ";
    src += "};\n";
  }
  for (const std::string& d : ctx.declarations) src += d + "\n";
  src += "void run(" + signature + ") {\n";
  for (const std::string& st : ctx.statements) src += "  " + st + "\n";
  src += "}\n";
  const auto dir = TempDir("lowered_c");
  WriteBytes(dir / "lowered.c", std::vector<uint8_t>(src.begin(), src.end()));
  std::string output;
  const int rc =
      RunCommand("cc -std=c99 -Wall -Wextra -Werror -pedantic -I" +
                     (SourceDir() / "runtime" / "include").string() + " -c " +
                     (dir / "lowered.c").string() + " -o " + (dir / "lowered.o").string(),
                 &output);
  return rc == 0 ? std::string() : output + "\n" + src;
}

/// Reads back the params struct a lowering declared: ".field = value" pairs,
/// with array names resolved through the recording context.
class LoweredParams {
 public:
  LoweredParams(const RecordingLoweringContext& ctx, size_t declaration = 0) : ctx_(ctx) {
    if (declaration >= ctx.declarations.size()) {
      ADD_FAILURE() << "no declaration " << declaration;
      return;
    }
    const std::string& decl = ctx.declarations[declaration];
    static const std::regex field(R"(\.(\w+) = ([^,\n]+),)");
    for (auto it = std::sregex_iterator(decl.begin(), decl.end(), field);
         it != std::sregex_iterator(); ++it)
      fields_[(*it)[1]] = (*it)[2];
  }

  const std::string& Raw(const std::string& name) {
    auto it = fields_.find(name);
    if (it == fields_.end()) {
      ADD_FAILURE() << "params struct has no field " << name;
      static const std::string kZero = "0";
      return kZero;
    }
    used_[name] = true;
    return it->second;
  }
  int32_t Int(const std::string& name) { return static_cast<int32_t>(std::stoll(Raw(name))); }
  float Float(const std::string& name) { return std::strtof(Raw(name).c_str(), nullptr); }
  const int32_t* Array(const std::string& name) {
    const std::string& array = Raw(name);
    if (array == "NULL") return nullptr;
    auto it = ctx_.int_arrays.find(array);
    if (it == ctx_.int_arrays.end()) {
      ADD_FAILURE() << "unknown array " << array;
      return nullptr;
    }
    storage_.emplace_back(it->second.begin(), it->second.end());
    return storage_.back().data();
  }
  /// True when every declared field was read (the struct and the emitter agree).
  bool AllUsed() const { return used_.size() == fields_.size(); }
  size_t size() const { return fields_.size(); }

 private:
  const RecordingLoweringContext& ctx_;
  std::map<std::string, std::string> fields_;
  std::map<std::string, bool> used_;
  std::vector<std::vector<int32_t>> storage_;
};

/// Reads the window geometry every convolution-like params struct shares
/// (the dilation where the struct has one: transposed convolutions do not).
template <typename P>
void ReadConvGeometry(LoweredParams& lp, P& p) {
  p.batches = lp.Int("batches");
  p.input_h = lp.Int("input_h");
  p.input_w = lp.Int("input_w");
  p.input_c = lp.Int("input_c");
  p.filter_h = lp.Int("filter_h");
  p.filter_w = lp.Int("filter_w");
  p.output_h = lp.Int("output_h");
  p.output_w = lp.Int("output_w");
  p.output_c = lp.Int("output_c");
  p.stride_h = lp.Int("stride_h");
  p.stride_w = lp.Int("stride_w");
  if constexpr (requires { p.dilation_h; }) {
    p.dilation_h = lp.Int("dilation_h");
    p.dilation_w = lp.Int("dilation_w");
  }
  p.pad_h = lp.Int("pad_h");
  p.pad_w = lp.Int("pad_w");
}

/// Reads the integer kernels' activation clamp and per-channel requantization.
template <typename P>
void ReadRequantization(LoweredParams& lp, P& p) {
  p.act_min = lp.Int("act_min");
  p.act_max = lp.Int("act_max");
  p.output_multiplier = lp.Array("output_multiplier");
  p.output_shift = lp.Array("output_shift");
}

}  // namespace kiln::test
