// A corpus of malformed models generated from the shared ones:
// truncations, byte flips, and out-of-range indices. Each must give an
// error or a valid compile, never a crash, an assert or a hang. (The
// fuzzer in tests/fuzz/ explores further under AddressSanitizer.)
#include <gtest/gtest.h>

#include <random>

#include "codegen/generate_c.h"
#include "frontend/tflite/tflite_importer.h"
#include "kernels/select_kernels.h"
#include "test_support.h"
#include "tflite_model_builder.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

// Runs the whole front half of the compiler; returns whether it succeeded.
bool ImportAndCompile(const std::vector<uint8_t>& bytes, std::string* error) {
  auto graph = tflite::ImportTflite(bytes);
  if (!graph.ok()) {
    *error = graph.message();
    return false;
  }
  auto kernels = SelectKernels(*graph);
  if (!kernels.ok()) {
    *error = kernels.message();
    return false;
  }
  auto code = GenerateC(*graph, *kernels, CodegenOptions{});
  if (!code.ok()) *error = code.message();
  return code.ok();
}

std::vector<std::string> SharedModels() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(test::SharedDir() / "models" / "tflite", ec))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class MalformedCorpusTest : public testing::TestWithParam<std::string> {
 protected:
  std::vector<uint8_t> Original() {
    return test::ReadBytes(test::SharedDir() / "models" / "tflite" / GetParam() / "model.tflite");
  }
};

TEST_P(MalformedCorpusTest, TruncationsAreRejectedCleanly) {
  const auto original = Original();
  ASSERT_FALSE(original.empty());
  std::string error;
  // Every length near the start (headers), then 64 evenly spaced lengths.
  std::vector<size_t> lengths;
  for (size_t n = 0; n < 64 && n < original.size(); ++n) lengths.push_back(n);
  for (size_t k = 1; k < 64; ++k) lengths.push_back(original.size() * k / 64);
  for (size_t n : lengths) {
    std::vector<uint8_t> cut(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(ImportAndCompile(cut, &error)) << "truncated to " << n << " bytes";
    EXPECT_FALSE(error.empty());
  }
}

TEST_P(MalformedCorpusTest, ByteFlipsNeverCrash) {
  const auto original = Original();
  std::mt19937 rng(0x5eed);
  std::uniform_int_distribution<size_t> pos(0, original.size() - 1);
  int rejected = 0;
  for (int i = 0; i < 300; ++i) {
    auto bytes = original;
    for (int flips = 0; flips < 1 + i % 4; ++flips) bytes[pos(rng)] ^= static_cast<uint8_t>(1u << (rng() % 8));
    std::string error;
    if (!ImportAndCompile(bytes, &error)) {
      ++rejected;
      EXPECT_FALSE(error.empty());
    }
  }
  // The check above ran: some flips must be caught (the seed is fixed).
  EXPECT_GT(rejected, 0) << "no flipped model was rejected";
}

TEST_P(MalformedCorpusTest, OutOfRangeIndicesAreNamed) {
  tflite_fb::ModelT model = test::Unpack(Original());
  auto& op = model.subgraphs[0]->operators.back();
  op->inputs[0] = static_cast<int32_t>(model.subgraphs[0]->tensors.size()) + 5;
  std::string error;
  EXPECT_FALSE(ImportAndCompile(test::Pack(model), &error));
  EXPECT_NE(error.find("input 0 refers to tensor"), std::string::npos) << error;
}

TEST_P(MalformedCorpusTest, UnsupportedOperatorsAreAllListed) {
  tflite_fb::ModelT model = test::Unpack(Original());
  // Turn every operator code into BIDIRECTIONAL_SEQUENCE_LSTM (not yet
  // supported): each operator must be listed.
  for (auto& code : model.operator_codes) {
    code->builtin_code = 52;
    code->deprecated_builtin_code = 52;
  }
  std::string error;
  EXPECT_FALSE(ImportAndCompile(test::Pack(model), &error));
  const size_t count = model.subgraphs[0]->operators.size();
  EXPECT_NE(error.find(std::to_string(count) + " operator(s) Kiln cannot compile"), std::string::npos) << error;
  EXPECT_NE(error.find("operator #" + std::to_string(count - 1) + " BIDIRECTIONAL_SEQUENCE_LSTM: operator not supported"),
            std::string::npos)
      << error;
}

INSTANTIATE_TEST_SUITE_P(Models, MalformedCorpusTest, testing::ValuesIn(SharedModels()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kiln
