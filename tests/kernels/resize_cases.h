// The RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR golden cases of
// resize_golden.py (TFLite's reference kernels, modelled independently),
// the inputs they were computed from, and all of them as one TFLite model:
// shared by the end-to-end, device and check tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <vector>

#include "kernels/s16x8_cases.h"

namespace kiln::test {

struct ResizeCase {
  const char* name;
  bool bilinear;
  std::string dtype;  // "float32" or "int8"
  int32_t n, h, w, c, out_h, out_w;
  bool align_corners, half_pixel_centers;
  uint32_t seed;
  std::vector<int32_t> expected_q;
  std::vector<double> expected_f;
};

#include "kernels/resize_golden.inc"

inline std::vector<uint8_t> ResizeInput(const ResizeCase& c) {
  std::vector<uint8_t> bytes;
  Lcg g(c.seed);
  for (int64_t i = 0; i < int64_t{c.n} * c.h * c.w * c.c; ++i) {
    if (c.dtype == "float32") {
      const float v = g.F();
      const auto* p = reinterpret_cast<const uint8_t*>(&v);
      bytes.insert(bytes.end(), p, p + 4);
    } else {
      bytes.push_back(static_cast<uint8_t>(g.I8()));
    }
  }
  return bytes;
}

/// Cases [first, first + count) side by side (all by default): input k and
/// output k are case first + k's.
inline TfliteModelBuilder AllResizeCasesModel(size_t first = 0, size_t count = kResizeCases.size()) {
  namespace fb = tflite_fb;
  TfliteModelBuilder b;
  std::vector<int32_t> ins, outs;
  for (size_t k = first; k < first + count && k < kResizeCases.size(); ++k) {
    const ResizeCase& c = kResizeCases[k];
    const std::string tag = "_" + std::string(c.name);
    const bool q = c.dtype == "int8";
    const auto type = q ? fb::TensorType::INT8 : fb::TensorType::FLOAT32;
    const std::vector<float> scale = q ? std::vector<float>{0.05f} : std::vector<float>{};
    const std::vector<int64_t> zp = q ? std::vector<int64_t>{3} : std::vector<int64_t>{};
    const int in = b.AddTensor("x" + tag, type, {c.n, c.h, c.w, c.c}, scale, zp);
    const int size = b.AddConstant<int32_t>("size" + tag, fb::TensorType::INT32, {2}, {c.out_h, c.out_w});
    const int out = b.AddTensor("y" + tag, type, {c.n, c.out_h, c.out_w, c.c}, scale, zp);
    fb::BuiltinOptionsUnion u;
    if (c.bilinear) {
      fb::ResizeBilinearOptionsT o;
      o.align_corners = c.align_corners;
      o.half_pixel_centers = c.half_pixel_centers;
      u.Set(std::move(o));
    } else {
      fb::ResizeNearestNeighborOptionsT o;
      o.align_corners = c.align_corners;
      o.half_pixel_centers = c.half_pixel_centers;
      u.Set(std::move(o));
    }
    b.AddOperator(c.bilinear ? 23 : 97, {in, size}, {out}, std::move(u));
    ins.push_back(in);
    outs.push_back(out);
  }
  b.SetIo(ins, outs);
  return b;
}

/// Compares output bytes with a case's expected values, exactly; returns
/// how many values matched.
inline size_t ExpectResizeOutput(const ResizeCase& c, const std::vector<uint8_t>& bytes) {
  const size_t count = static_cast<size_t>(c.n) * c.out_h * c.out_w * c.c;
  const bool f32 = c.dtype == "float32";
  EXPECT_EQ(bytes.size(), count * (f32 ? 4 : 1)) << c.name;
  if (bytes.size() != count * (f32 ? 4 : 1)) return 0;
  size_t matched = 0;
  for (size_t i = 0; i < count; ++i) {
    if (f32) {
      float v;
      std::memcpy(&v, bytes.data() + 4 * i, 4);
      EXPECT_EQ(static_cast<double>(v), c.expected_f[i]) << c.name << " element " << i;
      matched += static_cast<double>(v) == c.expected_f[i];
    } else {
      EXPECT_EQ(static_cast<int8_t>(bytes[i]), c.expected_q[i]) << c.name << " element " << i;
      matched += static_cast<int8_t>(bytes[i]) == c.expected_q[i];
    }
  }
  return matched;
}

}  // namespace kiln::test
