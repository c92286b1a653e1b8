// The graph executor's blob on a firmware built for another one: a
// retrained model (new weights, same layers) runs on person_detect's
// module without rebuilding it, with the outputs of its own AoT build; a
// blob that is truncated, corrupted, of another version, misaligned,
// larger than the pools, of another interface or needing a call the module
// lacks is refused with its status code, and the module's own blob still
// runs after each refusal.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <fstream>

#include "driver/compile.h"
#include "support/crc32.h"
#include "test_support.h"
#include "tflite_model_builder.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHarness = R"(/* Runs a blob file on module 'default': harness BLOB|- OFFSET INPUT OUTPUT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kiln_default.h"
#include "kiln/runtime.h"

static uint8_t blob[1 << 20] KILN_ALIGNED(16);
static int8_t input[KILN_DEFAULT_INPUT_0_SIZE];
static int8_t output[KILN_DEFAULT_OUTPUT_0_SIZE];

int main(int argc, char** argv) {
  struct kiln_default_inputs in;
  struct kiln_default_outputs out;
  size_t size = 0, offset;
  int32_t status;
  FILE* f;
  if (argc != 5) return 2;
  offset = (size_t)atoi(argv[2]);
  f = fopen(argv[3], "rb");
  if (!f || fread(input, 1, sizeof input, f) != sizeof input) return 2;
  fclose(f);
  in.input = input;
  out.MobilenetV1_Predictions_Reshape_1 = output;
  if (strcmp(argv[1], "-") == 0) {
    status = kiln_default_run(&in, &out);
  } else {
    f = fopen(argv[1], "rb");
    if (!f) return 2;
    size = fread(blob + offset, 1, sizeof blob - offset, f);
    fclose(f);
    status = kiln_default_graph_run(blob + offset, (uint32_t)size, &in, &out);
  }
  printf("status %d\n", (int)status);
  f = fopen(argv[4], "wb");
  if (!f || fwrite(output, 1, sizeof output, f) != sizeof output) return 2;
  return fclose(f) != 0;
}
)";

fs::path PersonDetect() { return test::SharedDir() / "models" / "tflite" / "person_detect"; }

std::string Bytes(const std::vector<uint8_t>& v) { return {v.begin(), v.end()}; }

/// person_detect with every int8 weight negated: a model with the same
/// layers and other weights, as retraining gives.
std::vector<uint8_t> Retrained() {
  test::fb::ModelT model = test::Unpack(test::ReadBytes(PersonDetect() / "model.tflite"));
  for (const auto& t : model.subgraphs[0]->tensors) {
    if (t->type != test::fb::TensorType::INT8 || t->buffer == 0) continue;
    for (uint8_t& b : model.buffers[t->buffer]->data) b = static_cast<uint8_t>(b == 0x80 ? 0x7f : -static_cast<int8_t>(b));
  }
  return test::Pack(model);
}

class GraphBlobTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(test::TempDir("graph_blob"));
    CodegenOptions graph;
    graph.executor = "graph";
    auto library = CompileModelFile(PersonDetect() / "model.tflite", graph);
    ASSERT_TRUE(library.ok()) << library.message();
    for (const auto& [path, contents] : library->files) {
      fs::create_directories((*dir_ / "a" / path).parent_path());
      std::ofstream(*dir_ / "a" / path, std::ios::binary) << contents;
    }
    std::ofstream(*dir_ / "a" / "harness.c") << kHarness;
    std::string log;
    ASSERT_EQ(test::RunCommand("cd " + (*dir_ / "a").string() +
                                   " && cc -std=c99 -O2 -Wall -Wextra -Werror -Icodegen/host/include -Iruntime/include "
                                   "codegen/host/src/*.c runtime/src/kernels/*.c harness.c -lm -o harness",
                               &log),
              0)
        << log;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }

  /// Runs `blob` (written to a file; empty: the module's own) at `offset`
  /// bytes into an aligned buffer; returns the status, the output in *out.
  int Run(const std::string& blob, std::vector<uint8_t>* out = nullptr, int offset = 0) {
    const fs::path file = *dir_ / "blob.graph";
    std::ofstream(file, std::ios::binary) << blob;
    std::string log;
    const std::string input = (PersonDetect() / "cases" / "seed_0x00c0ffee" / "input_0.bin").string();
    EXPECT_EQ(test::RunCommand((*dir_ / "a" / "harness").string() + " " + (blob.empty() ? "-" : file.string()) + " " +
                                   std::to_string(offset) + " " + input + " " + (*dir_ / "out.bin").string(),
                               &log),
              0)
        << log;
    if (out) *out = test::ReadBytes(*dir_ / "out.bin");
    return log.rfind("status ", 0) == 0 ? std::stoi(log.substr(7)) : -1;
  }

  static std::string Blob(const std::string& name) {
    std::ifstream in(*dir_ / "a" / "graph" / name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  /// `blob` with its CRC made right again after an edit.
  static std::string Resealed(std::string blob) {
    const uint32_t crc = Crc32(std::span(reinterpret_cast<const uint8_t*>(blob.data()) + 20, blob.size() - 20));
    for (int i = 0; i < 4; ++i) blob[16 + i] = static_cast<char>(crc >> (8 * i));
    return blob;
  }

  static uint32_t U32(const std::string& blob, size_t at) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(blob[at + i])) << (8 * i);
    return v;
  }
  static void SetU32(std::string& blob, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) blob[at + i] = static_cast<char>(v >> (8 * i));
  }

  static fs::path* dir_;
};
fs::path* GraphBlobTest::dir_ = nullptr;

TEST_F(GraphBlobTest, ARetrainedModelsBlobRunsWithoutRebuildingTheFirmware) {
  std::vector<uint8_t> own;
  ASSERT_EQ(Run("", &own), 0);
  EXPECT_EQ(own, test::ReadBytes(PersonDetect() / "cases" / "seed_0x00c0ffee" / "output_0.bin"));

  const fs::path retrained = *dir_ / "retrained.tflite";
  test::WriteBytes(retrained, Retrained());
  CodegenOptions graph;
  graph.executor = "graph";
  auto library = CompileModelFile(retrained, graph);
  ASSERT_TRUE(library.ok()) << library.message();
  std::vector<uint8_t> out;
  ASSERT_EQ(Run(library->files.at("graph/kiln_default.graph"), &out), 0);
  // What the retrained model's own AoT build computes.
  std::string log;
  ASSERT_EQ(test::RunCommand(test::KilnBinary().string() + " run " + retrained.string() + " --input " +
                                 (PersonDetect() / "cases" / "seed_0x00c0ffee" / "input_0.bin").string() + " -O " +
                                 (*dir_ / "aot").string(),
                             &log),
            0)
      << log;
  EXPECT_EQ(out, test::ReadBytes(*dir_ / "aot" / "output_0.bin"));
  EXPECT_NE(out, own) << "the new weights changed nothing: the test proves nothing";
}

TEST_F(GraphBlobTest, BadBlobsAreRefusedWithTheirCodeAndTheOwnBlobStillRuns) {
  const std::string good = Blob("kiln_default.graph");
  ASSERT_GT(good.size(), 1000u);
  EXPECT_EQ(Run(good), 0);
  EXPECT_EQ(Run(good.substr(0, 40)), 16);                 // shorter than the header
  EXPECT_EQ(Run(good.substr(0, good.size() - 1)), 16);    // shorter than it says
  std::string magic = good;
  magic[0] = 'X';
  EXPECT_EQ(Run(magic), 17);
  std::string version = good;
  SetU32(version, 8, 3);  // the runtime reads version 2
  EXPECT_EQ(Run(version), 18);
  std::string corrupted = good;
  corrupted[good.size() / 2] ^= 0x10;
  EXPECT_EQ(Run(corrupted), 19);
  std::string malformed = good;
  SetU32(malformed, U32(good, 48) + 8, 0x7fffffff);  // the first op's first value, far outside
  EXPECT_EQ(Run(Resealed(malformed)), 20);
  std::string unknown = good;
  SetU32(unknown, U32(good, 48), U32(good, 48) ^ 1);  // the first op's call hash
  EXPECT_EQ(Run(Resealed(unknown)), 21);
  std::string big = good;
  SetU32(big, U32(good, 44) + 4, 1u << 30);  // the workspace pool, 1 GiB
  EXPECT_EQ(Run(Resealed(big)), 22);
  std::string interface = good;
  SetU32(interface, U32(good, 56), 9217);  // the input's size
  EXPECT_EQ(Run(Resealed(interface)), 23);
  EXPECT_EQ(Run(good, nullptr, 4), 24);  // at an address that is not 16-byte aligned
  // Another model's blob: hello_world's calls and interface are not these.
  CodegenOptions graph;
  graph.executor = "graph";
  auto hello = CompileModelFile(test::SharedDir() / "models" / "tflite" / "hello_world_int8" / "model.tflite", graph);
  ASSERT_TRUE(hello.ok()) << hello.message();
  EXPECT_EQ(Run(hello->files.at("graph/kiln_default.graph")), 23);
  std::vector<uint8_t> out;
  EXPECT_EQ(Run("", &out), 0);
  EXPECT_EQ(out, test::ReadBytes(PersonDetect() / "cases" / "seed_0x00c0ffee" / "output_0.bin"));
}

}  // namespace
}  // namespace kiln
