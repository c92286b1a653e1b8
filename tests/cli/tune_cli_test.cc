// `kiln tune` as a user meets it: a real model tuned on the emulated
// boards, the records resumed without measuring twice, and the tuned build
// byte-identical to TFLite's outputs on the board; a hung board times out
// and is recorded, not fatal.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

std::string Kiln() { return test::KilnBinary().string(); }

std::vector<nlohmann::json> Lines(const fs::path& path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(KilnTuneCli, TunesResumesAndTheTunedBuildIsBitExactOnTheBoard) {
  ASSERT_TRUE(test::Installed("arm-none-eabi-gcc"));
  ASSERT_TRUE(test::Installed("qemu-system-arm"));
  const fs::path dir = test::TempDir("tune");
  const fs::path records = dir / "ms.jsonl";
  const std::string model = (test::SharedTfliteModelDir("micro_speech_quantized") / "model.tflite").string();
  const std::string tune = Kiln() + " tune " + model + " --board qemu-cortex-m4 -j 2 --trials 8 --records " +
                           records.string();
  std::string out;
  ASSERT_EQ(test::RunCommand(tune, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("2 tasks, 8 measurements to make")) << out;
  EXPECT_THAT(out, HasSubstr("[8/8] ")) << out;
  EXPECT_THAT(out, HasSubstr("tuned layers, every node counted: ")) << out;
  std::vector<nlohmann::json> lines = Lines(records);
  ASSERT_EQ(lines.size(), 8u);
  int references = 0;
  for (const nlohmann::json& r : lines) {
    EXPECT_EQ(r["version"], 1);
    EXPECT_EQ(r["board"], "qemu-cortex-m4");
    EXPECT_TRUE(r["valid"].get<bool>()) << r.dump();
    EXPECT_GT(r["instructions"].get<int64_t>(), 0) << r.dump();
    EXPECT_GE(r["cycles"].get<int64_t>(), r["instructions"].get<int64_t>()) << r.dump();
    EXPECT_GT(r["flash_bytes"].get<int64_t>(), 0) << r.dump();
    references += r["schedule"]["name"] == "reference" ? 1 : 0;
  }
  EXPECT_EQ(references, 2);  // one per task, measured first
  // The same command again measures nothing, and the file is unchanged.
  ASSERT_EQ(test::RunCommand(tune, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("2 tasks, 0 measurements to make")) << out;
  EXPECT_EQ(Lines(records).size(), 8u);
  // More trials measure only what is new.
  ASSERT_EQ(test::RunCommand(Kiln() + " tune " + model + " --board qemu-cortex-m4 --trials 10 --records " +
                                 records.string(), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("2 tasks, 2 measurements to make")) << out;
  EXPECT_EQ(Lines(records).size(), 10u);

  // The tuned build: each tuned layer names its record; it runs every
  // shared case byte-identical to TFLite's output on the board.
  const fs::path archive = dir / "tuned.tar";
  ASSERT_EQ(test::RunCommand(Kiln() + " compile " + model + " --target cortex-m4 --records " + records.string() +
                                 " --schedules -o " + archive.string(), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("the 2 tuned ones measured by kiln tune")) << out;
  ASSERT_EQ(test::RunCommand("tar -xOf " + archive.string() + " metadata.json", &out), 0);
  const nlohmann::json metadata = nlohmann::json::parse(out);
  int tuned = 0;
  for (const nlohmann::json& op : metadata["operators"])
    if (op["schedule"].contains("tuned")) {
      EXPECT_EQ(op["schedule"]["tuned"]["records"], "ms.jsonl");
      ++tuned;
    }
  EXPECT_EQ(tuned, 2);
  for (const auto& c : fs::directory_iterator(test::SharedTfliteModelDir("micro_speech_quantized") / "cases")) {
    const fs::path outputs = dir / c.path().filename();
    ASSERT_EQ(test::RunCommand(Kiln() + " run " + archive.string() + " --device qemu-cortex-m4 -i " +
                                   (c.path() / "input_0.bin").string() + " -O " + outputs.string(), &out), 0) << out;
    EXPECT_EQ(test::ReadBytes(outputs / "output_0.bin"), test::ReadBytes(c.path() / "output_0.bin")) << c.path();
  }
}

// --auto-schedule adds the points generated from each gemm layer's loop
// nest (gemm_tiled) to the same tasks; the model-guided search ranks them by
// the nest's estimate, every one measured is checked against the reference,
// and a tuned build that applies them runs every case byte-identical to
// TFLite's outputs on the board.
TEST(KilnTuneCli, AutoScheduleSearchesTheLoopNestSpaces) {
  ASSERT_TRUE(test::Installed("qemu-system-arm"));
  const fs::path dir = test::TempDir("tune");
  const fs::path records = dir / "hw.jsonl";
  const fs::path model_dir = test::SharedTfliteModelDir("hello_world_int8");
  const std::string model = (model_dir / "model.tflite").string();
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " tune " + model +
                                 " --board qemu-cortex-m4 -j 2 --auto-schedule --strategy model --trials 40 --records " +
                                 records.string(),
                             &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("3 tasks, 40 measurements to make")) << out;
  int generated = 0;
  std::set<std::string> keys;
  for (const nlohmann::json& r : Lines(records)) {
    EXPECT_TRUE(r["valid"].get<bool>()) << r.dump();
    if (r["schedule"]["name"] == "gemm_tiled") ++generated;
    keys.insert(r["task"].get<std::string>());
  }
  EXPECT_GE(generated, 20);
  // The same tasks, by key, as without --auto-schedule: the generated points
  // do not change a task's key, so the two kinds of records resume each other.
  const fs::path plain = dir / "plain.jsonl";
  ASSERT_EQ(test::RunCommand(Kiln() + " tune " + model + " --board qemu-cortex-m4 -j 2 --trials 6 --records " +
                                 plain.string(), &out), 0) << out;
  std::set<std::string> plain_keys;
  for (const nlohmann::json& r : Lines(plain)) plain_keys.insert(r["task"].get<std::string>());
  EXPECT_EQ(plain_keys, keys);
  const fs::path archive = dir / "tuned.tar";
  ASSERT_EQ(test::RunCommand(Kiln() + " compile " + model + " --target cortex-m4 --records " + records.string() +
                                 " --schedules -o " + archive.string(), &out), 0) << out;
  // The 16 -> 1 layer: a tile of one row and channel, its depth unrolled,
  // beats gemm_dsp's wide quads (84 against 101 cycles when this was written).
  EXPECT_THAT(out, HasSubstr("gemm_tiled")) << out;
  // The table's columns stay aligned past a generated schedule's long label:
  // each row's MACs end where the header's "MACs" does.
  std::istringstream table(out);
  size_t macs_end = std::string::npos;
  int rows = 0;
  for (std::string line; std::getline(table, line);) {
    if (line.find("expected instr") != std::string::npos) macs_end = line.find("MACs") + 4;
    if (macs_end == std::string::npos || line.find("FULLY_CONNECTED") == std::string::npos) continue;
    ASSERT_GE(line.size(), macs_end) << line;
    EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(line[macs_end - 1])) && line[macs_end] == ' ') << line;
    ++rows;
  }
  EXPECT_EQ(rows, 3) << out;
  for (const auto& c : fs::directory_iterator(model_dir / "cases")) {
    const fs::path outputs = dir / c.path().filename();
    ASSERT_EQ(test::RunCommand(Kiln() + " run " + archive.string() + " --device qemu-cortex-m4 -i " +
                                   (c.path() / "input_0.bin").string() + " -O " + outputs.string(), &out), 0) << out;
    EXPECT_EQ(test::ReadBytes(outputs / "output_0.bin"), test::ReadBytes(c.path() / "output_0.bin")) << c.path();
  }
}

// The adaptive strategies measure in rounds, learning between them: each
// still measures every candidate once when the budget covers them all.
TEST(KilnTuneCli, TheAdaptiveStrategiesCoverTheSpaceOnce) {
  ASSERT_TRUE(test::Installed("qemu-system-arm"));
  for (const std::string strategy : {"model", "annealing"}) {
    const fs::path records = test::TempDir("tune") / (strategy + ".jsonl");
    std::string out;
    ASSERT_EQ(test::RunCommand(Kiln() + " tune " + (test::SharedTfliteModelDir("hello_world_int8") / "model.tflite").string() +
                                   " --board qemu-cortex-m4 -j 2 --strategy " + strategy + " --records " +
                                   records.string(), &out), 0) << out;
    EXPECT_THAT(out, HasSubstr("3 tasks, 33 measurements to make")) << out;
    std::set<std::string> measured;
    for (const nlohmann::json& r : Lines(records)) {
      EXPECT_TRUE(r["valid"].get<bool>()) << r.dump();
      EXPECT_EQ(r["strategy"], strategy);
      EXPECT_TRUE(measured.insert(r["task"].get<std::string>() + r["schedule"].dump()).second) << r.dump();
    }
    EXPECT_EQ(measured.size(), 33u) << strategy;
  }
}

TEST(KilnTuneCli, RiscVBoardsAreMeasuredInInstructions) {
  ASSERT_TRUE(test::Installed("riscv64-unknown-elf-gcc"));
  ASSERT_TRUE(test::Installed("qemu-system-riscv32"));
  const fs::path records = test::TempDir("tune") / "rv.jsonl";
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " tune " + (test::SharedTfliteModelDir("micro_speech_quantized") / "model.tflite").string() +
                                 " --board qemu-rv32 --trials 4 --records " + records.string(), &out), 0) << out;
  const std::vector<nlohmann::json> lines = Lines(records);
  ASSERT_EQ(lines.size(), 4u);
  for (const nlohmann::json& r : lines) {
    EXPECT_EQ(r["target"], "rv32imac");
    EXPECT_TRUE(r["valid"].get<bool>()) << r.dump();
    EXPECT_GT(r["instructions"].get<int64_t>(), 0);
    EXPECT_EQ(r["cycles"].get<int64_t>(), 0);  // no cycle model for RV32
  }
}

TEST(KilnTuneCli, AHungBoardTimesOutAndIsRecordedNotFatal) {
  ASSERT_TRUE(test::Installed("qemu-system-arm"));
  const fs::path records = test::TempDir("tune") / "hung.jsonl";
  std::string out;
  // A millisecond is less than the board needs to boot: every request times out.
  ASSERT_EQ(test::RunCommand(Kiln() + " tune " + (test::SharedTfliteModelDir("micro_speech_quantized") / "model.tflite").string() +
                                 " --board qemu-cortex-m4 --trials 3 --strategy random --timeout 0.001 --records " + records.string(),
                             &out), 0) << out;
  const std::vector<nlohmann::json> lines = Lines(records);
  ASSERT_EQ(lines.size(), 3u);
  for (const nlohmann::json& r : lines) {
    EXPECT_FALSE(r["valid"].get<bool>());
    EXPECT_FALSE(r["error"].get<std::string>().empty());
  }
  EXPECT_THAT(out, HasSubstr("invalid: ")) << out;
}

// Through a real single-node Slurm cluster, started and stopped here: the
// measurements come back from the array tasks exactly as they are made
// locally (instruction counts are deterministic under -icount).
TEST(KilnTuneCli, MeasuresThroughASlurmJobArray) {
  ASSERT_TRUE(test::Installed("sbatch"));  // slurm_cluster.sh names a missing daemon's package
  ASSERT_TRUE(test::Installed("qemu-system-arm"));
  const fs::path dir = test::TempDir("tune-slurm");
  const std::string cluster = "bash " + (test::SourceDir() / "tests" / "tune" / "slurm_cluster.sh").string();
  std::string out;
  ASSERT_EQ(test::RunCommand(cluster + " start " + (dir / "cluster").string(), &out), 0) << out;
  struct Stop {
    std::string command;
    ~Stop() { test::RunCommand(command); }
  } stop{cluster + " stop " + (dir / "cluster").string()};
  const std::string model = (test::SharedTfliteModelDir("micro_speech_quantized") / "model.tflite").string();
  const std::string common = " tune " + model + " --board qemu-cortex-m4 --trials 6 --records ";
  ASSERT_EQ(test::RunCommand("SLURM_CONF=" + (dir / "cluster" / "slurm.conf").string() + " " + Kiln() + common +
                                 (dir / "slurm.jsonl").string() + " --runner slurm --slurm-batch 2",
                             &out),
            0) << out;
  ASSERT_EQ(test::RunCommand(Kiln() + common + (dir / "local.jsonl").string(), &out), 0) << out;
  std::map<std::string, nlohmann::json> local;
  for (const nlohmann::json& r : Lines(dir / "local.jsonl")) local[r["task"].get<std::string>() + r["schedule"].dump()] = r;
  const std::vector<nlohmann::json> slurm = Lines(dir / "slurm.jsonl");
  ASSERT_EQ(slurm.size(), 6u);
  for (const nlohmann::json& r : slurm) {
    EXPECT_TRUE(r["valid"].get<bool>()) << r.dump();
    const auto same = local.find(r["task"].get<std::string>() + r["schedule"].dump());
    ASSERT_NE(same, local.end()) << r.dump();
    for (const char* field : {"instructions", "cycles", "output_digest", "flash_bytes"})
      EXPECT_EQ(r[field], same->second[field]) << field << ": " << r.dump();
  }
  // Gathered batches leave nothing behind.
  EXPECT_TRUE(fs::is_empty(dir / "slurm.jsonl.slurm"));
}

TEST(KilnTuneCli, BadArgumentsAreNamed) {
  std::string out;
  EXPECT_EQ(test::RunCommand(Kiln() + " tune " + (test::SharedTfliteModelDir("micro_speech_quantized") / "model.tflite").string() +
                                 " --board no-such-board", &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("no-such-board"));
  const fs::path dir = test::TempDir("tune");
  std::ofstream(dir / "bad.jsonl") << "{\"version\": 9}\n";
  EXPECT_EQ(test::RunCommand(Kiln() + " compile " + (test::SharedTfliteModelDir("micro_speech_quantized") / "model.tflite").string() +
                                 " --target cortex-m4 --records " + (dir / "bad.jsonl").string() + " -o " +
                                 (dir / "x.tar").string(), &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("bad.jsonl:1: records of version 9"));
  EXPECT_FALSE(fs::exists(dir / "x.tar"));
  EXPECT_EQ(test::RunCommand(Kiln() + " compile " + (test::SharedTfliteModelDir("micro_speech_quantized") / "model.tflite").string() +
                                 " --records " + (dir / "bad.jsonl").string() + " -o " + (dir / "x.tar").string(), &out),
            1) << out;
  // DSP schedules on a core without DSP: refused before anything is measured.
  EXPECT_EQ(test::RunCommand(Kiln() + " tune " + (test::SharedTfliteModelDir("micro_speech_quantized") / "model.tflite").string() +
                                 " --board qemu-cortex-m3 --target cortex-m4 --records " + (dir / "m3.jsonl").string(),
                             &out),
            1) << out;
  EXPECT_THAT(out, HasSubstr("board qemu-cortex-m3"));
  EXPECT_FALSE(fs::exists(dir / "m3.jsonl"));
}

}  // namespace
}  // namespace kiln
