// The generated device protocol glue (src/rpc/descriptor_codegen.h): its
// text, that it compiles warning-free for the host and both boards, and,
// end to end, that a real compiled model served by runtime/rpc/server.c
// in a host process answers the protocol with TFLite Micro's exact output.
#include <gtest/gtest.h>

#include <fstream>

#include "driver/compile.h"
#include "rpc/descriptor_codegen.h"
#include "rpc/frame.h"
#include "rpc/protocol.h"
#include "test_support.h"

namespace kiln::rpc {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStrict = " -std=c99 -Wall -Wextra -Werror -pedantic -Wshadow -Wstrict-prototypes";

// Platform hooks for a host process: the protocol on stdin/stdout.
constexpr const char* kHostPlatform = R"(#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "kiln/rpc/platform.h"
static clock_t start;
void kiln_platform_write(const uint8_t* data, size_t size) { fwrite(data, 1, size, stdout); fflush(stdout); }
int kiln_platform_read_byte(uint8_t* byte) {
  int c = getchar();
  if (c == EOF) return 1;
  *byte = (uint8_t)c;
  return 0;
}
void kiln_platform_timer_start(void) { start = clock(); }
uint64_t kiln_platform_timer_stop(void) { return (uint64_t)(clock() - start); }
const char* kiln_platform_timer_unit(void) { return "host clock() ticks"; }
uintptr_t kiln_platform_stack_limit(void) { return 0; }
void kiln_platform_abort(void) { abort(); }
)";

ModelInterface TwoInOneOut() {
  ModelInterface mi;
  mi.module_name = "tiny";
  mi.inputs = {{"x:0", "x_0", DType::kInt8, {1, 4}, 4}, {"y?\"", "y", DType::kFloat32, {2}, 8}};
  mi.outputs = {{"z", "z", DType::kInt16, {1, 2, 3}, 12}};
  return mi;
}

void WriteText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

TEST(RpcDescriptorTest, DescribesEveryTensor) {
  DescriptorOptions o;
  o.model_name = "tiny model";
  o.operator_count = 3;
  const std::string c = GenerateRpcDescriptor(TwoInOneOut(), o);
  EXPECT_NE(c.find("#include \"kiln_tiny.h\""), std::string::npos);
  EXPECT_NE(c.find("static int8_t kiln_rpc_in0[4]"), std::string::npos);
  EXPECT_NE(c.find("static float kiln_rpc_in1[2]"), std::string::npos);
  EXPECT_NE(c.find("static int16_t kiln_rpc_out0[6]"), std::string::npos);
  EXPECT_NE(c.find("inputs.x_0 = kiln_rpc_in0;"), std::string::npos);
  EXPECT_NE(c.find("{\"x:0\", 1, 2, {1, 4}, 4, (uint8_t*)kiln_rpc_in0}"), std::string::npos);
  EXPECT_NE(c.find("\"y\\077\\\"\""), std::string::npos) << c;  // '?' and '"' escaped
  EXPECT_NE(c.find("KILN_TINY_RAM_POOLS_SIZE, KILN_TINY_STATE_BYTES"), std::string::npos);
  EXPECT_NE(c.find("return kiln_rpc_serve(&kiln_rpc_model);"), std::string::npos);
  EXPECT_NE(c.find("NULL /* per-operator ticks */"), std::string::npos);
}

TEST(RpcDescriptorTest, CompilesStrictlyForHostArmAndRiscv) {
  const fs::path dir = test::TempDir("rpc-descriptor");
  DescriptorOptions o;
  o.op_ticks_symbol = "kiln_tiny_op_ticks";
  o.operator_count = 2;
  WriteText(dir / "descriptor.c", GenerateRpcDescriptor(TwoInOneOut(), o));
  // A stand-in for the module's generated header.
  WriteText(dir / "kiln_tiny.h",
            "#include <stdint.h>\n#define KILN_TINY_RAM_POOLS_SIZE 64\n#define KILN_TINY_STATE_BYTES 0\n"
            "#define KILN_TINY_INPUT_COUNT 2\n#define KILN_TINY_OUTPUT_COUNT 1\n"
            "struct kiln_tiny_inputs { const int8_t* x_0; const float* y; };\n"
            "struct kiln_tiny_outputs { int16_t* z; };\n"
            "int32_t kiln_tiny_run(struct kiln_tiny_inputs* inputs, struct kiln_tiny_outputs* outputs);\n"
            "void kiln_tiny_reset(void);\n");
  const std::string inc = " -I" + dir.string() + " -I" + (test::SourceDir() / "runtime" / "include").string();
  const std::string server = (test::SourceDir() / "runtime" / "rpc" / "server.c").string();
  const std::vector<std::string> compilers = {
      "gcc", "arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16",
      "riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 --specs=picolibc.specs"};
  for (const std::string& cc : compilers) {
    const std::string exe = cc.substr(0, cc.find(' '));
    ASSERT_TRUE(test::Installed(exe));
    for (const std::string& src : {(dir / "descriptor.c").string(), server}) {
      std::string log;
      EXPECT_EQ(test::RunCommand(cc + kStrict + " -O2" + inc + " -c " + src + " -o " + (dir / "x.o").string(), &log), 0)
          << cc << " on " << src << ":\n" << log;
    }
  }
}

/// Requests in a batch: the device process reads them all from stdin.
struct Batch {
  std::vector<uint8_t> wire;
  uint16_t seq = 100;
  void Add(MsgType type, const std::vector<uint8_t>& payload) {
    std::vector<uint8_t> body = {static_cast<uint8_t>(type), static_cast<uint8_t>(seq & 0xFF),
                                 static_cast<uint8_t>(seq >> 8)};
    ++seq;
    body.insert(body.end(), payload.begin(), payload.end());
    const auto f = EncodeFrame(body);
    wire.insert(wire.end(), f.begin(), f.end());
  }
};

void PutLe(std::vector<uint8_t>& v, uint64_t x, int n) {
  for (int i = 0; i < n; ++i) v.push_back(static_cast<uint8_t>(x >> (8 * i)));
}

TEST(RpcDescriptorTest, RealModelServedFromAHostProcessMatchesTfliteMicro) {
  const fs::path model_dir = test::SharedDir() / "models" / "tflite" / "keyword_scrambled_8bit";
  ASSERT_TRUE(fs::exists(model_dir / "model.tflite")) << model_dir;
  auto library = CompileModelFile(model_dir / "model.tflite", CodegenOptions{});
  ASSERT_TRUE(library.ok()) << library.message();
  auto mi = ReadInterface(library->metadata);
  ASSERT_TRUE(mi.ok()) << mi.message();
  ASSERT_EQ(mi->inputs.size(), 1u);
  ASSERT_EQ(mi->outputs.size(), 1u);

  const fs::path dir = test::TempDir("rpc-e2e");
  std::string sources;
  for (const auto& [path, contents] : library->files) {
    WriteText(dir / path, contents);
    if (path.ends_with(".c") && (path.starts_with("codegen/host/src/") || path.starts_with("runtime/src/")))
      sources += " " + path;
  }
  DescriptorOptions o;
  o.model_name = library->metadata.value("model_name", "");
  o.operator_count = static_cast<int>(library->metadata["operators"].size());
  WriteText(dir / "device/descriptor.c", GenerateRpcDescriptor(*mi, o));
  WriteText(dir / "device/platform.c", kHostPlatform);
  std::string log;
  const std::string build = "cd " + dir.string() + " && gcc" + kStrict +
                            " -O2 -Icodegen/host/include -Iruntime/include -I" +
                            (test::SourceDir() / "runtime" / "include").string() + " -o device_server" + sources +
                            " device/descriptor.c device/platform.c " +
                            (test::SourceDir() / "runtime" / "rpc" / "server.c").string() + " -lm";
  ASSERT_EQ(test::RunCommand(build, &log), 0) << log;

  // Two cases in one session: the second also checks that state carries
  // over as in TFLite Micro (each case starts from a RESET).
  const std::vector<std::string> cases = {"seed_0x00c0ffee", "zeros"};
  Batch batch;
  batch.Add(MsgType::kInfo, {0x34, 0x12});
  const size_t in_bytes = static_cast<size_t>(mi->inputs[0].bytes);
  const size_t out_bytes = static_cast<size_t>(mi->outputs[0].bytes);
  for (const std::string& c : cases) {
    const auto input = test::ReadBytes(model_dir / "cases" / c / "input_0.bin");
    ASSERT_EQ(input.size(), in_bytes);
    batch.Add(MsgType::kReset, {});
    for (size_t off = 0; off < in_bytes; off += 200) {
      std::vector<uint8_t> p;
      PutLe(p, 0, 1);
      PutLe(p, off, 4);
      p.insert(p.end(), input.begin() + off, input.begin() + std::min(in_bytes, off + 200));
      batch.Add(MsgType::kSetInput, p);
    }
    batch.Add(MsgType::kRun, {});
    for (size_t off = 0; off < out_bytes; off += 200) {
      std::vector<uint8_t> p;
      PutLe(p, 0, 1);
      PutLe(p, off, 4);
      PutLe(p, std::min<size_t>(200, out_bytes - off), 2);
      batch.Add(MsgType::kGetOutput, p);
    }
  }
  test::WriteBytes(dir / "requests.bin", batch.wire);
  ASSERT_EQ(test::RunCommand("cd " + dir.string() + " && ./device_server < requests.bin > responses.bin", &log), 0)
      << log;
  FrameDecoder decoder(kHostMaxBody);
  std::vector<std::vector<uint8_t>> frames;
  decoder.Feed(test::ReadBytes(dir / "responses.bin"), frames);
  EXPECT_EQ(decoder.dropped(), 0u);
  ASSERT_EQ(frames.size(), static_cast<size_t>(batch.seq - 100));
  for (size_t i = 0; i < frames.size(); ++i) {
    ASSERT_GE(frames[i].size(), kResponseHeader);
    EXPECT_EQ(frames[i][1] | (frames[i][2] << 8), static_cast<int>(100 + i));
    EXPECT_EQ(frames[i][3], 0) << "status of response " << i;
    EXPECT_EQ(frames[i][4] | (frames[i][5] << 8), 0x1234);
  }
  // INFO names the model and module.
  const std::string info(frames[0].begin(), frames[0].end());
  EXPECT_NE(info.find("default"), std::string::npos);
  EXPECT_NE(info.find("host clock() ticks"), std::string::npos);
  // Outputs: the payloads of the GET_OUTPUT responses, per case.
  size_t f = 1;
  for (const std::string& c : cases) {
    f += 1 + (in_bytes + 199) / 200 + 1;  // RESET, SET_INPUTs, RUN
    std::vector<uint8_t> out;
    for (size_t off = 0; off < out_bytes; off += 200, ++f)
      out.insert(out.end(), frames[f].begin() + kResponseHeader, frames[f].end());
    EXPECT_EQ(out, test::ReadBytes(model_dir / "cases" / c / "output_0.bin")) << c;
  }
  EXPECT_EQ(f, frames.size());
}

}  // namespace
}  // namespace kiln::rpc
