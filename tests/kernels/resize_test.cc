// RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR diagnostics: what the
// importer and Check refuse, naming the operator and the tensor. (Their
// values are checked end to end against resize_golden.py in
// single_operator_test.cc and on every board.)
#include <gtest/gtest.h>

#include "frontend/tflite/tflite_importer.h"
#include "kernels/kernel_functions.h"
#include "kernels/resize_cases.h"

namespace kiln::test {
namespace {

/// The golden model's first bilinear case, imported, with `edit` applied.
template <typename Edit>
std::string CheckedBilinear(Edit edit) {
  size_t k = 0;
  while (!kResizeCases[k].bilinear) ++k;
  auto graph = tflite::ImportTflite(AllResizeCasesModel(k, 1).Finish());
  EXPECT_TRUE(graph.ok()) << graph.message();
  if (!graph.ok()) return "";
  edit(*graph);
  const Status s = CheckResizeBilinear(*graph, graph->nodes[0]);
  return s.ok() ? "ok" : s.message();
}

TEST(ResizeCheck, RefusesWhatTfliteRefuses) {
  EXPECT_EQ(CheckedBilinear([](Graph&) {}), "ok");
  // TFLite Micro resizes to a size known before the run.
  EXPECT_NE(CheckedBilinear([](Graph& g) { g.tensors[static_cast<size_t>(g.nodes[0].inputs[1])].is_constant = false; })
                .find("size"),
            std::string::npos);
  // The size input names the output's height and width.
  EXPECT_NE(CheckedBilinear([](Graph& g) { g.tensors[static_cast<size_t>(g.nodes[0].outputs[0])].shape[1] += 1; })
                .find("output 0"),
            std::string::npos);
  // align_corners and half_pixel_centers exclude each other.
  EXPECT_NE(CheckedBilinear([](Graph& g) {
              g.nodes[0].attrs.set("align_corners", int64_t{1});
              g.nodes[0].attrs.set("half_pixel_centers", int64_t{1});
            }).find("align_corners and half_pixel_centers are both set"),
            std::string::npos);
}

}  // namespace
}  // namespace kiln::test
