// The proof of `kiln footprint`: for every shared model on both emulated
// boards, the estimate is within 5% of the real firmware, and each part
// (constants, generated code, kernels, stack of run()) within its own
// tolerance (below). The firmware is
// built by the board's Project API template (-O2, --gc-sections, link map);
// the measured side is
//   flash = text + rodata + data of the objects built from the archive's
//           codegen/ and runtime/ folders (the link map), and
//   RAM   = data + bss of those objects (the pools are among them) + the
//           device server's input/output buffers + the stack of run()
//           measured by painting (the protocol's STACK).
// Also checks --budget on both sides of the limit through the CLI. A
// missing cross compiler or QEMU is a failure naming its package.
#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "device/boards.h"
#include "device/link_map.h"
#include "driver/compile.h"
#include "footprint/estimate.h"
#include "mlf/tar_archive.h"
#include "project/project_api.h"
#include "project/project_transport.h"
#include "rpc/device_client.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

const char* const kModels[] = {"hello_world_int8", "hello_world_float", "micro_speech_quantized", "person_detect",
                               "keyword_scrambled_8bit"};

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

double ErrorPercent(int64_t estimate, int64_t measured) {
  return measured == 0 ? 0.0 : 100.0 * static_cast<double>(estimate - measured) / static_cast<double>(measured);
}

// Tolerances per part, in bytes, from the figures of every shared model on
// both boards (docs/testing.md lists them).
//
// Kernels: the sum of the linked sizes the size table recorded, exact on
// every model; 16 bytes + 2% leaves room for constants the linker merges
// across objects and still fails on one missed function (the 398-byte
// gather_window GCC put in .text.unlikely was missed before table format 4).
bool KernelsAgree(int64_t estimated, int64_t linked) {
  return std::abs(estimated - linked) <= 16 + linked / 50;
}
// Generated code: run() and reset() from the fitted cost model, which
// overestimates by 2-12 bytes per operator call on both targets (+6 to +140
// bytes: +15% to +19% on the larger models, +32% on hello_world_int8's 108
// bytes on rv32). The window allows that bias, up to 24 bytes + 22% over and
// 8 bytes + 5% under, so an estimate 30% off either way fails on the larger
// models.
bool CodeAgrees(int64_t estimated, int64_t linked) {
  const int64_t error = estimated - linked;
  return error <= 24 + linked * 22 / 100 && -error <= 8 + linked * 5 / 100;
}
// Stack of run(): 0 to 12 bytes under the painted figure, the painting's
// resolution (it starts 8 bytes above the stack pointer at the call on
// Cortex-M4, 12 on rv32); 16 bytes fails on any frame the call graph misses.
bool StackAgrees(int64_t estimated, int64_t painted) { return std::abs(estimated - painted) <= 16; }

class FootprintProof : public ::testing::TestWithParam<const char*> {};

TEST_P(FootprintProof, EstimateMatchesTheFirmwareInTotalAndPartByPart) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  ASSERT_TRUE(test::Installed((*board)->cc));
  ASSERT_TRUE(test::Installed((*board)->qemu[0]));
  ASSERT_TRUE(test::Installed("python3"));  // the template's server
  auto target = FindTarget((*board)->target);
  ASSERT_TRUE(target.ok());
  auto table = footprint::LoadSizeTable(**target);
  ASSERT_TRUE(table.ok()) << table.message();
  auto templates = FindTemplates(BundledTemplateDirs());
  ASSERT_TRUE(templates.ok()) << templates.message();
  auto tmpl = SelectTemplate(*templates, GetParam());
  ASSERT_TRUE(tmpl.ok()) << tmpl.message();
  const fs::path dir = test::TempDir(std::string("footprint_proof_") + GetParam());

  for (const char* model : kModels) {
    SCOPED_TRACE(model);
    CodegenOptions options;
    options.target = (*board)->target;
    auto lib = CompileModelFile(test::SharedDir() / "models" / "tflite" / model / "model.tflite", options);
    ASSERT_TRUE(lib.ok()) << lib.message();
    auto estimate = footprint::EstimateFootprint(*lib, *table);
    ASSERT_TRUE(estimate.ok()) << estimate.message();
    // The archive carries the same estimate.
    ASSERT_TRUE(lib->metadata.contains("footprint"));
    EXPECT_EQ(lib->metadata["footprint"].value("flash_bytes", int64_t{-1}), estimate->flash_bytes());

    // The real firmware, as the board's template builds it.
    const fs::path tar = dir / (std::string(model) + ".tar");
    ASSERT_TRUE(WriteTarArchive(tar, lib->files).ok());
    auto client = ProjectApiClient::Start(*tmpl);
    ASSERT_TRUE(client.ok()) << client.message();
    const fs::path project = dir / model;
    // -fstack-usage changes no code; it says how big the device server's
    // wrapper around run() is, which the painted stack includes.
    const nlohmann::json build_options = {{"cflags", "-O2 -fstack-usage"}};
    ASSERT_TRUE(client->GenerateProject(tar, project, build_options).ok());
    auto log = client->Build(project, build_options);
    ASSERT_TRUE(log.ok()) << log.message();
    auto sections = ParseLinkMap(ReadText(project / "build" / "firmware.map"));
    ASSERT_TRUE(sections.ok()) << sections.message();
    // The device server's input/output buffers: kiln_rpc_in<k>, kiln_rpc_out<k>.
    static const std::regex kIoBuffer(R"(\.s?(bss|data)\.kiln_rpc_(in|out)\d+)");
    // Per part, as `kiln micro size` splits the firmware: the generated
    // code is the text of the codegen/ objects, the constants their rodata
    // and data, the kernels all the flash of the runtime/ objects.
    int64_t code = 0, constants = 0, kernels = 0, model_ram = 0, io = 0;
    for (const LinkedSection& s : *sections) {
      const SectionClass c = ClassifySection(s.input_section);
      const int64_t size = static_cast<int64_t>(s.size);
      const bool codegen = s.object.find("/codegen/") != std::string::npos;
      const bool runtime = s.object.find("/runtime/") != std::string::npos;
      if (codegen || runtime) {
        if (codegen && c == SectionClass::kText) code += size;
        if (codegen && (c == SectionClass::kRodata || c == SectionClass::kData)) constants += size;
        if (runtime && (c == SectionClass::kText || c == SectionClass::kRodata || c == SectionClass::kData))
          kernels += size;
        if (c == SectionClass::kData || c == SectionClass::kBss) model_ram += size;
      } else if (std::regex_match(s.input_section, kIoBuffer)) {
        io += size;
      }
    }
    const int64_t flash = code + constants + kernels;
    // A model whose every kernel is a shape-specialised copy in the
    // generated code (hello_world_int8 on cortex-m4) links no runtime kernel.
    ASSERT_GT(code, 0);

    // The stack of run(), painted on the device.
    ASSERT_TRUE(client->OpenTransport(project, build_options).ok());
    ProjectTransport link(*client);
    rpc::SessionOptions session;
    session.timeout = std::chrono::milliseconds(60000);
    session.attempts = 2;
    rpc::DeviceClient device(link, session);
    ASSERT_TRUE(device.Info().ok());
    auto run = device.Run();
    ASSERT_TRUE(run.ok()) << run.message();
    auto stack = device.Stack();
    ASSERT_TRUE(stack.ok()) << stack.message();
    ASSERT_FALSE(stack->at_least());
    (void)client->CloseTransport();
    int64_t wrapper = -1;
    {
      std::istringstream su(ReadText(project / "build" / "obj" / "model" / "device" / "kiln_device_main.su"));
      for (std::string line; std::getline(su, line);)
        if (line.find(":kiln_rpc_run\t") != std::string::npos) wrapper = std::stoll(line.substr(line.find('\t') + 1));
    }
    ASSERT_GE(wrapper, 0) << "no frame of kiln_rpc_run in kiln_device_main.su";
    const int64_t measured_stack = static_cast<int64_t>(stack->high_water_bytes) - wrapper;
    const int64_t ram = model_ram + io + measured_stack;

    const int64_t est_flash = estimate->model_flash_bytes();
    const int64_t est_ram = estimate->ram_bytes();
    // One line per model and board, for bench/footprint_figures.sh.
    fmt::print("FIGURE {} {} flash {} {} {:+.2f}% ram {} {} {:+.2f}% stack {} {} {:+.2f}% libraries {}\n", model,
               GetParam(), est_flash, flash, ErrorPercent(est_flash, flash), est_ram, ram,
               ErrorPercent(est_ram, ram), estimate->stack_bytes, measured_stack,
               ErrorPercent(estimate->stack_bytes, measured_stack), estimate->libraries);
    fmt::print("PARTS {} {} code {} {} {:+} constants {} {} {:+} kernels {} {} {:+} stack {} {} {:+}\n", model,
               GetParam(), estimate->generated_code, code, estimate->generated_code - code, estimate->constants,
               constants, estimate->constants - constants, estimate->kernels, kernels, estimate->kernels - kernels,
               estimate->stack_bytes, measured_stack, estimate->stack_bytes - measured_stack);

    // The documented contract (docs/footprint.md): totals within 5%.
    EXPECT_LE(std::abs(ErrorPercent(est_flash, flash)), 5.0) << "flash: estimated " << est_flash << ", linked " << flash;
    // RAM totals of ~100 bytes (hello_world): the painting starts at a local
    // of the measuring frame (run_measured in device/rpc/server.c), above the
    // stack pointer at the call: 8 bytes on Cortex-M4, 12 on rv32 (its
    // disassembly: the local at sp+12), so a difference of 12 bytes is
    // within the measurement's resolution.
    EXPECT_TRUE(std::abs(ErrorPercent(est_ram, ram)) <= 5.0 || std::abs(est_ram - ram) <= 12) << "RAM: estimated " << est_ram << ", measured " << ram
                                                         << " (stack " << estimate->stack_bytes << " vs "
                                                         << measured_stack << ")";
    // Each part on its own: the constants dominate every total, so 5% of
    // flash hides a large error in the code or kernel estimate.
    EXPECT_EQ(estimate->constants, constants) << "constants are counted exactly";
    EXPECT_TRUE(KernelsAgree(estimate->kernels, kernels))
        << "kernels: estimated " << estimate->kernels << ", linked " << kernels;
    EXPECT_TRUE(CodeAgrees(estimate->generated_code, code))
        << "generated code: estimated " << estimate->generated_code << ", linked " << code;
    EXPECT_TRUE(StackAgrees(estimate->stack_bytes, measured_stack))
        << "stack of run(): estimated " << estimate->stack_bytes << ", painted " << measured_stack;
  }
}

INSTANTIATE_TEST_SUITE_P(Boards, FootprintProof, ::testing::Values("qemu-cortex-m4", "qemu-rv32"),
                         test::BoardTestName());

TEST(FootprintCli, BudgetOnBothSidesOfTheLimit) {
  ASSERT_TRUE(test::Installed("arm-none-eabi-gcc"));
  const std::string kiln = test::KilnBinary().string();
  const std::string model = (test::SharedDir() / "models" / "tflite" / "hello_world_int8" / "model.tflite").string();
  std::string out;
  ASSERT_EQ(test::RunCommand(kiln + " footprint " + model + " --target cortex-m4 --format json", &out), 0) << out;
  const nlohmann::json j = nlohmann::json::parse(out.substr(out.find('{')));
  for (const char* key : {"target", "toolchain", "flash_bytes", "ram_bytes", "flash", "ram"})
    EXPECT_TRUE(j.contains(key)) << key;
  const int64_t flash = j["flash_bytes"], ram = j["ram_bytes"];
  ASSERT_GT(flash, 0);
  ASSERT_GT(ram, 0);

  // Exactly at the limit fits.
  EXPECT_EQ(test::RunCommand(fmt::format("{} footprint {} --target cortex-m4 --budget flash={},ram={}", kiln, model,
                                         flash, ram),
                             &out),
            0)
      << out;
  EXPECT_NE(out.find("flash fits the budget"), std::string::npos) << out;
  // One byte short of each: exit 1, and by how much.
  EXPECT_EQ(test::RunCommand(fmt::format("{} footprint {} --target cortex-m4 --format json --budget flash={},ram={}",
                                         kiln, model, flash - 1, ram - 10),
                             &out),
            1)
      << out;
  const nlohmann::json over = nlohmann::json::parse(out.substr(out.find('{')));
  EXPECT_FALSE(over["budget"]["fits"].get<bool>());
  EXPECT_EQ(over["budget"]["flash_over_bytes"], 1);
  EXPECT_EQ(over["budget"]["ram_over_bytes"], 10);
  EXPECT_EQ(test::RunCommand(fmt::format("{} footprint {} --target cortex-m4 --budget ram={}", kiln, model, ram - 10),
                             &out),
            1);
  EXPECT_NE(out.find("ram is over budget by 10 bytes"), std::string::npos) << out;
  EXPECT_EQ(test::RunCommand(fmt::format("{} footprint {} --target cortex-m4 --budget ram=lots", kiln, model), &out), 1);
  EXPECT_NE(out.find("not a size"), std::string::npos) << out;
}

// A block statement (CONCATENATION's) before more operators: every operator
// is estimated (the block's closing brace once ended the parse of run()).
TEST(FootprintCli, EveryOperatorAfterABlockStatementIsEstimated) {
  ASSERT_TRUE(test::Installed("arm-none-eabi-gcc"));
  const std::string model = "/usr/share/libonnx-testdata/data/pytorch-operator/test_operator_repeat/model.onnx";
  ASSERT_TRUE(fs::exists(model));
  std::string out;
  ASSERT_EQ(test::RunCommand(test::KilnBinary().string() + " footprint " + model + " --target cortex-m4 --format json",
                             &out),
            0)
      << out;
  const nlohmann::json j = nlohmann::json::parse(out.substr(out.find('{')));
  ASSERT_TRUE(j["flash"].contains("operators")) << out;
  EXPECT_EQ(j["flash"]["operators"].size(), 3u);  // Tile of three repeated axes: three CONCATENATIONs
}

}  // namespace
}  // namespace kiln
