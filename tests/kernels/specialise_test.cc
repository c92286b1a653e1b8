// Shape-specialised kernel calls (src/kernels/specialise.cc): what the
// shaped function keeps of a layer's params, and that layers of one shape
// share one. Their output is checked where every schedule runs: the
// schedules tests on the host (tests/kernels/schedules_test.cc) and on the
// boards (tests/device/schedules_device_test.cc).
#include "kernels/specialise.h"

#include <gtest/gtest.h>

#include <regex>

#include "driver/compile.h"
#include "test_support.h"

namespace kiln {
namespace {

TEST(ShapeInitializer, KeepsNumbersAndTakesEverythingElseFromTheLayersParams) {
  EXPECT_EQ(ShapeInitializer("{ .depth = 8, .cols = -16, .weights = (const int8_t*)conv_weights, .bias = NULL }",
                             "params->"),
            "{ .depth = 8, .cols = -16, .weights = params->weights, .bias = params->bias }");
  EXPECT_EQ(ShapeInitializer("{\n    .window = { .batches = 1, .pad_h = 0 },\n    .gemm_params = { .depth = 12, "
                             ".requant = conv_requant },\n}",
                             "params->"),
            "{ .window = { .batches = 1, .pad_h = 0 }, .gemm_params = { .depth = 12, .requant = "
            "params->gemm_params.requant } }");
}

std::string ModuleSource(const std::string& executor) {
  CodegenOptions options;
  options.target = "cortex-m4";
  options.executor = executor;
  auto lib = CompileModelFile(test::SharedDir() / "models" / "tflite" / "person_detect" / "model.tflite", options);
  EXPECT_TRUE(lib.ok()) << lib.message();
  if (!lib.ok()) return {};
  // The kernel's source is made of its inline body: the archive holds both.
  EXPECT_EQ(lib->files.count("runtime/include/kiln/kernels/gemm_s8_dsp_inline.h"), 1u);
  return lib->files.at("codegen/host/src/kiln_default.c");
}

TEST(SpecialisedCalls, LayersOfOneShapeShareOneFunction) {
  const std::string source = ModuleSource("aot");
  // person_detect's five middle blocks: one 1x1 convolution shape, five calls.
  const std::regex definition(R"(static KILN_NOINLINE void (kiln_gemm_s8_dsp_\w+_shaped\w*)\()");
  std::map<std::string, int> calls;
  for (auto it = std::sregex_iterator(source.begin(), source.end(), definition); it != std::sregex_iterator(); ++it)
    calls[(*it)[1]] = 0;
  ASSERT_GE(calls.size(), 5u);
  for (auto& [name, count] : calls)
    for (size_t at = source.find("  " + name + "(&"); at != std::string::npos; at = source.find("  " + name + "(&", at + 1))
      ++count;
  int shared = 0, total = 0;
  for (const auto& [name, count] : calls) {
    EXPECT_GE(count, 1) << name;
    total += count;
    if (count == 5) ++shared;
  }
  EXPECT_EQ(total, 14);  // every 1x1 convolution
  EXPECT_EQ(shared, 1);
  EXPECT_NE(source.find("#include \"kiln/kernels/gemm_s8_dsp_inline.h\""), std::string::npos);
}

TEST(SpecialisedCalls, ALiteralRowCountIsCompiledIn) {
  // Every shaped gemm passes its inline body the layer's row count as a
  // number, so that the loops a shape never runs fold away.
  const std::string source = ModuleSource("aot");
  const std::regex inline_call(R"(kiln_gemm_s8_dsp\w*_inline\(&shaped, input, (\w+), output)");
  int calls = 0;
  for (auto it = std::sregex_iterator(source.begin(), source.end(), inline_call); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(std::regex_match((*it)[1].str(), std::regex("[0-9]+"))) << (*it)[0];
    ++calls;
  }
  EXPECT_GE(calls, 5);
  EXPECT_NE(source.find("  (void)rows;\n"), std::string::npos);

  // The portable gemm too: hello_world's batch-1 fully connected layers on
  // a core without the DSP extension.
  CodegenOptions options;
  options.target = "cortex-m3";
  auto lib = CompileModelFile(test::SharedDir() / "models" / "tflite" / "hello_world_int8" / "model.tflite", options);
  ASSERT_TRUE(lib.ok()) << lib.message();
  EXPECT_NE(lib->files.at("codegen/host/src/kiln_default.c").find("_inline(&shaped, input, 1, output, scratch);"),
            std::string::npos);
}

TEST(SpecialisedCalls, TheGraphExecutorCallsTheRuntimesEntryPoints) {
  // Its blob names runtime functions; nothing of the generated source.
  EXPECT_EQ(ModuleSource("graph").find("_shaped"), std::string::npos);
}

}  // namespace
}  // namespace kiln
