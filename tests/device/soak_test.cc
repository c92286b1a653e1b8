// The device link under faults, soaked (docs/soak.md): inferences back to
// back on qemu-cortex-m4 through the device protocol, while an
// rpc::FaultInjector drops, corrupts, duplicates and delays bytes both ways
// and resets the board (QEMU system_reset) part-way through request
// frames. Every inference must return exactly its case's output_0.bin or a
// clear error, within the stated bound; the counts of every fault and
// every recovery are printed (lines starting with SOAK, which bench/soak.sh
// collects).
//
// Two models, because neither does both jobs within the time budget:
// - keyword_scrambled_8bit, 1,000 inferences: small on the wire (one
//   192-byte input), stateful (SVDF, so RESET starts each inference); but
//   its four reference outputs are the same bytes (a saturated softmax),
//   so it cannot tell one case's answer from another's;
// - micro_speech_quantized, 200 inferences: its input takes 8 SET_INPUT
//   frames and its four outputs all differ, so an input left half-written
//   by a reset, or a stale answer, shows as wrong bytes. At ~2,200 bytes
//   per inference on an emulated UART that QEMU feeds one byte at a time,
//   1,000 of them would take 4 to 8 minutes.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "device/device_runner.h"
#include "driver/compile.h"
#include "rpc/fault_injector.h"
#include "rpc/recovering_client.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

struct SoakPlan {
  const char* model;
  int inferences;
  /// The fault mix, scaled to the model's traffic so that each direction
  /// sees ~20-40 of each byte fault and the board ~15 resets. A damaged
  /// request costs a timeout (the device drops it silently), a damaged
  /// answer only a retransmission, so answers get the higher rates.
  rpc::FaultOptions faults;
};

// gtest names a failing plan by its model, not its bytes.
void PrintTo(const SoakPlan& plan, std::ostream* os) { *os << plan.model; }

rpc::FaultOptions Faults(uint64_t seed, double to_device, double to_host, double reset_per_write) {
  rpc::FaultOptions f;
  f.seed = seed;
  f.to_device = {.drop = to_device, .corrupt = to_device, .duplicate = to_device, .delay = to_device};
  f.to_host = {.drop = to_host, .corrupt = to_host, .duplicate = to_host, .delay = to_host};
  f.max_delay = milliseconds(450);  // up to 1.5 timeouts: some delays force a retransmission
  f.reset_per_write = reset_per_write;
  return f;
}

const SoakPlan kPlans[] = {
    // ~270 bytes to the device and ~75 back per inference, ~4 writes.
    {"keyword_scrambled_8bit", 1000, Faults(0x50A6, 1e-4, 5e-4, 1.0 / 250)},
    // ~2,200 bytes to the device and ~140 back per inference, ~10 writes.
    {"micro_speech_quantized", 200, Faults(0x50A7, 6e-5, 1e-3, 1.0 / 120)},
};

// One request takes at most ~30 ms on the emulated UART (a 265-byte
// SET_INPUT frame); 300 ms leaves room for a loaded machine.
rpc::SessionOptions SoakSession() {
  rpc::SessionOptions s;
  s.timeout = milliseconds(300);
  s.attempts = 4;
  return s;
}

struct Case {
  std::string name;
  std::vector<std::vector<uint8_t>> inputs;
  std::vector<uint8_t> output;
};

std::vector<Case> ReadCases(const fs::path& dir) {
  std::vector<Case> cases;
  for (const auto& entry : fs::directory_iterator(dir)) {
    cases.push_back({entry.path().filename().string(),
                     {test::ReadBytes(entry.path() / "input_0.bin")},
                     test::ReadBytes(entry.path() / "output_0.bin")});
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

class DeviceSoakTest : public testing::TestWithParam<SoakPlan> {};

TEST_P(DeviceSoakTest, EveryInferenceGivesTheRightBytesOrAClearErrorInTime) {
  const SoakPlan& plan = GetParam();
  const fs::path model_dir = test::SharedDir() / "models" / "tflite" / plan.model;
  const std::vector<Case> cases = ReadCases(model_dir / "cases");
  ASSERT_FALSE(cases.empty());
  auto board = FindBoard("qemu-cortex-m4");
  ASSERT_TRUE(board.ok()) << board.message();
  auto library = CompileModelFile(model_dir / "model.tflite", CodegenOptions{});
  ASSERT_TRUE(library.ok()) << library.message();
  auto device = DeviceSession::Start(*library, **board, {.board_reset = true});
  ASSERT_TRUE(device.ok()) << device.message();

  rpc::FaultInjector link((*device)->link(), plan.faults, [&] { return (*device)->ResetBoard(); });
  const rpc::SessionOptions session = SoakSession();
  rpc::DeviceClient client(link, session);
  // RESET before each inference: a stateful model starts where a rebooted
  // device does, so a restart after a reset gives the same bytes.
  const rpc::RecoveryPolicy policy{.max_restarts = 2, .reset_state_first = true};
  rpc::RecoveringClient recovering(client, policy);
  // Past this, the host has hung. The session Start() opened (without
  // faults) tells the sizes; a reset's QMP round trip comes on top, ~1 ms.
  const milliseconds bound =
      rpc::WorstCaseInferenceTime((*device)->client().info(), policy, session) + milliseconds(1000);

  int wrong = 0;
  std::vector<std::string> errors;
  std::vector<milliseconds> times;
  const auto soak_start = rpc::Clock::now();
  for (int i = 0; i < plan.inferences; ++i) {
    const Case& c = cases[static_cast<size_t>(i) % cases.size()];
    const auto start = rpc::Clock::now();
    auto outputs = recovering.Infer(c.inputs);
    times.push_back(std::chrono::duration_cast<milliseconds>(rpc::Clock::now() - start));
    EXPECT_LE(times.back(), bound) << "inference " << i;
    if (!outputs.ok()) {
      errors.push_back(outputs.message());
      continue;
    }
    if (outputs->size() != 1 || (*outputs)[0] != c.output) {
      ++wrong;
      ADD_FAILURE() << "inference " << i << " (case " << c.name << ") returned wrong bytes";
    }
  }
  const auto soak_time = std::chrono::duration_cast<milliseconds>(rpc::Clock::now() - soak_start);

  std::sort(times.begin(), times.end());
  const rpc::RecoveryCounts& r = recovering.counts();
  const rpc::SessionStats& s = client.session().stats();
  const rpc::ByteFaultCounts& in = link.counts(rpc::LinkDirection::kToDevice);
  const rpc::ByteFaultCounts& out = link.counts(rpc::LinkDirection::kToHost);
  fmt::print("SOAK {}: {} inferences on qemu-cortex-m4 in {:.1f} s (seed {:#x})\n", plan.model, plan.inferences,
             soak_time.count() / 1000.0, plan.faults.seed);
  fmt::print("SOAK faults   to device: {} bytes, {} dropped, {} corrupted, {} duplicated, {} delayed\n", in.bytes,
             in.dropped, in.corrupted, in.duplicated, in.delayed);
  fmt::print("SOAK faults   to host:   {} bytes, {} dropped, {} corrupted, {} duplicated, {} delayed\n", out.bytes,
             out.dropped, out.corrupted, out.duplicated, out.delayed);
  fmt::print("SOAK faults   board resets: {}\n", link.resets());
  fmt::print("SOAK session  retransmissions {}, corrupt frames dropped {}, stale frames {}, resets seen {}, "
             "calls unanswered {}\n",
             s.retransmissions, s.dropped_frames, s.stale_frames, s.device_resets, s.unanswered_calls);
  fmt::print("SOAK outcome  {} right, {} wrong, {} errors; {} restarts, {} inferences recovered\n", r.succeeded,
             wrong, r.failed, r.restarts, r.recovered);
  fmt::print("SOAK time     per inference median {} ms, p99 {} ms, max {} ms; bound {} ms\n",
             times[times.size() / 2].count(), times[times.size() * 99 / 100].count(), times.back().count(),
             bound.count());
  for (const std::string& e : errors) fmt::print("SOAK error    {}\n", e);

  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(r.succeeded + r.failed, static_cast<size_t>(plan.inferences));
  // A clear error names the device protocol's failure.
  for (const std::string& e : errors) EXPECT_NE(e.find("device"), std::string::npos) << e;
  // An inference fails only if some call loses all 4 attempts on each of
  // its 3 tries; at these rates that is rare, so more than 1% failing means
  // recovery is broken, not unlucky.
  EXPECT_GE(r.succeeded, static_cast<size_t>(plan.inferences * 99 / 100));
  // Every fault kind happened, both ways, and was recovered from.
  for (const rpc::ByteFaultCounts* c : {&in, &out}) {
    EXPECT_GT(c->dropped, 0u);
    EXPECT_GT(c->corrupted, 0u);
    EXPECT_GT(c->duplicated, 0u);
    EXPECT_GT(c->delayed, 0u);
  }
  EXPECT_GT(link.resets(), 0u);
  EXPECT_GT(s.retransmissions, 0u);
  EXPECT_GT(s.dropped_frames, 0u);
  EXPECT_GT(s.stale_frames, 0u);
  EXPECT_GT(s.device_resets, 0u);
  EXPECT_GT(r.restarts, 0u);
  EXPECT_GT(r.recovered, 0u);
}

INSTANTIATE_TEST_SUITE_P(Models, DeviceSoakTest, testing::ValuesIn(kPlans),
                         [](const auto& info) { return std::string(info.param.model); });

}  // namespace
}  // namespace kiln
