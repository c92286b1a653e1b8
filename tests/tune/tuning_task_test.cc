// Tuning tasks and their search spaces (src/tune/tuning_task.cc,
// search_space.cc) on the shared models: identical layers share one task,
// each task's layer stands alone as a graph, and the space holds exactly
// what the target can run.
#include <gtest/gtest.h>

#include <set>

#include "driver/compile.h"
#include "kernels/gemm_lowering.h"
#include "kernels/select_kernels.h"
#include "target/targets.h"
#include "test_support.h"
#include "tune/search_space.h"
#include "tune/tuning_task.h"

namespace kiln {
namespace {

struct Prepared {
  Graph graph;
  std::vector<const KernelEntry*> kernels;
  KernelScheduleOptions options;
};

Prepared Prepare(const std::string& model, const std::string& target) {
  Prepared p;
  auto graph = ImportModelFile(test::SharedDir() / "models" / "tflite" / model / "model.tflite");
  EXPECT_TRUE(graph.ok()) << graph.message();
  p.graph = *graph;
  auto kernels = SelectKernels(p.graph);
  EXPECT_TRUE(kernels.ok()) << kernels.message();
  p.kernels = *kernels;
  auto found = FindTarget(target);
  EXPECT_TRUE(found.ok()) << found.message();
  p.options.target = found.value();
  return p;
}

TEST(TuningTasks, IdenticalLayersOfPersonDetectShareOneTask) {
  Prepared p = Prepare("person_detect", "cortex-m4");
  const std::vector<TuningTask> tasks = ExtractTasks(p.graph, p.kernels, p.options);
  const std::vector<Schedule> defaults = ChooseSchedules(p.graph, p.kernels, p.options);
  std::set<std::string> keys;
  size_t nodes = 0, largest = 0;
  for (const TuningTask& task : tasks) {
    EXPECT_TRUE(keys.insert(task.key).second) << task.key;
    EXPECT_EQ(task.key.size(), 16u);
    ASSERT_GE(task.space.size(), 2u) << task.layer;
    EXPECT_EQ(task.space.front().name, "reference") << task.layer;
    // The default is what kiln compile picks for the task's first node.
    EXPECT_EQ(task.space[task.default_choice].label(), defaults[static_cast<size_t>(task.nodes[0])].label())
        << task.layer;
    // Every node of a task has the first one's operator and shapes.
    const Node& first = p.graph.nodes[static_cast<size_t>(task.nodes[0])];
    for (int n : task.nodes) {
      const Node& node = p.graph.nodes[static_cast<size_t>(n)];
      EXPECT_EQ(node.op, first.op);
      EXPECT_EQ(p.graph.output(node).shape, p.graph.output(first).shape);
    }
    nodes += task.nodes.size();
    largest = std::max(largest, task.nodes.size());
  }
  // MobileNet v1 (0.25) repeats its 128-channel block five times: its
  // pointwise and depthwise layers are one task each.
  EXPECT_GE(largest, 5u);
  EXPECT_LT(tasks.size(), nodes);
  // Its 28 convolutions and its average pool (pool_dsp) are tunable;
  // reshape and softmax have one schedule.
  EXPECT_EQ(nodes, 29u);
}

TEST(TuningTasks, ALayerGraphHoldsTheNodeItsWeightsAndItsActivationsAsInputs) {
  Prepared p = Prepare("micro_speech_quantized", "cortex-m4");
  const std::vector<TuningTask> tasks = ExtractTasks(p.graph, p.kernels, p.options);
  ASSERT_EQ(tasks.size(), 2u);  // the depthwise convolution and the fully connected layer
  for (const TuningTask& task : tasks) {
    const Graph& layer = task.layer_graph;
    ASSERT_EQ(layer.nodes.size(), 1u);
    ASSERT_EQ(layer.inputs.size(), 1u) << task.layer;
    EXPECT_FALSE(layer.tensor(layer.inputs[0]).is_constant);
    EXPECT_EQ(layer.outputs.size(), 1u);
    int constants = 0;
    for (const Tensor& t : layer.tensors) constants += t.is_constant ? 1 : 0;
    EXPECT_EQ(constants, 2) << task.layer;  // weights and bias, with their data
    // The layer's key is the model's: a tuned layer is found again in the model.
    auto kernels = SelectKernels(layer);
    ASSERT_TRUE(kernels.ok()) << kernels.message();
    EXPECT_EQ(TaskKey(layer, layer.nodes[0], task.space, p.options.target), task.key);
    // Every candidate compiles alone, for the host as for the board.
    for (const Schedule& s : task.space) {
      CodegenOptions options;
      options.target = "cortex-m4";
      auto library = CompileGraph(layer, options, task.layer,
                                  [&s](const Graph&, const std::vector<const KernelEntry*>&,
                                       const KernelScheduleOptions&) -> Expected<std::vector<Schedule>> {
                                    return std::vector<Schedule>{s};
                                  });
      EXPECT_TRUE(library.ok()) << s.label() << ": " << library.message();
    }
  }
}

TEST(TuningTasks, TheSearchSpaceSpansTheKnobsAndOnlyWhatTheTargetRuns) {
  Prepared p = Prepare("person_detect", "cortex-m4");
  const std::vector<TuningTask> tasks = ExtractTasks(p.graph, p.kernels, p.options);
  std::set<std::string> labels;
  for (const TuningTask& task : tasks)
    for (const Schedule& s : task.space) labels.insert(s.label());
  // pixels_per_call and widen_rows take every value of their range (int16
  // weights without widened rows are the "wide quads"); int16 weights keep
  // the kernel's offer; narrow_requant may be turned off.
  for (int pixels : {1, 2, 3, 4, 6, 8})
    EXPECT_TRUE(labels.count("im2col_gemm_dsp(narrow_requant=1,pixels_per_call=" + std::to_string(pixels) + ")"))
        << pixels;
  EXPECT_TRUE(labels.count("gemm_dsp(narrow_requant=1,widen_rows=0)"));
  EXPECT_TRUE(labels.count("gemm_dsp(narrow_requant=0,widen_rows=1)"));
  EXPECT_TRUE(labels.count("gemm_dsp(int16_weights=1,narrow_requant=1,widen_rows=1)"));
  EXPECT_TRUE(labels.count("gemm_dsp(int16_weights=1,narrow_requant=1,widen_rows=0)"));
  // No RV32 schedule on a Cortex-M4, and no DSP one on a Cortex-M3.
  for (const std::string& label : labels) EXPECT_EQ(label.find("rv32"), std::string::npos) << label;
  Prepared m3 = Prepare("person_detect", "cortex-m3");
  for (const TuningTask& task : ExtractTasks(m3.graph, m3.kernels, m3.options))
    for (const Schedule& s : task.space) EXPECT_TRUE(s.features.empty()) << s.label();
}

TEST(TuningTasks, ALayerWithOneScheduleIsNoTask) {
  Prepared p = Prepare("hello_world_float", "cortex-m4");
  EXPECT_TRUE(ExtractTasks(p.graph, p.kernels, p.options).empty());
}

}  // namespace
}  // namespace kiln
