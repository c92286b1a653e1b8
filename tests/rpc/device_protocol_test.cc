// The host side of the device protocol (src/rpc/) against the REAL device
// server (runtime/rpc/server.c), connected by an in-process fake transport.
// Faults come two ways: scripted ones (FakeLink::fault rewrites the bytes
// of one chosen write, to hit every kind of call at an exact place) and
// random ones from rpc::FaultInjector (drop, duplicate, corrupt and delay
// bytes, reset the device mid-frame). Each fault must end in the right
// data after retries or in a clear error within the timeout: never a
// hang, never wrong data.
//
// server.c is C99 written in the common subset of C and C++, so this test
// compiles it directly (the test binary globs only *_test.cc files); this is
// the only translation unit that does, so its symbols are defined once.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "rpc/device_client.h"
#include "rpc/fault_injector.h"
#include "rpc/recovering_client.h"

// A small capture buffer, so that the fake model's 604-byte tensor stream
// takes several windows (kiln debug on a board).
#define KILN_RPC_CAPTURE_BYTES 100
extern "C" {
#include "../../runtime/rpc/server.c"
#include "../../runtime/rpc/capture.c"
}

namespace kiln::rpc {
namespace {

using std::chrono::milliseconds;

// ---- The fake model: out0 = in0 + 1 (int8), out1 = number of runs (int32 state).
constexpr size_t kInBytes = 600;  // several SET_INPUT / GET_OUTPUT chunks
constexpr uint16_t kOps = 40;     // two PROFILE chunks
int8_t g_in0[kInBytes];
int8_t g_out0[kInBytes];
int32_t g_out1[1];
int32_t g_runs = 0;
int32_t g_fail_runs = 0;  // when > 0, run() fails
uint64_t g_op_ticks[kOps];
uint64_t g_last_ticks = 0;
uint64_t g_timer = 0;
uintptr_t g_stack_limit = 0;  // 0: the platform cannot measure the stack
constexpr size_t kRunStackBytes = 3000;

int32_t FakeRun() {
  if (g_fail_runs > 0) return 7;
  if (g_stack_limit != 0) {  // a run() with a deep frame, for STACK
    volatile uint8_t frame[kRunStackBytes];
    for (size_t i = 0; i < kRunStackBytes; ++i) frame[i] = static_cast<uint8_t>(i);
  }
  for (size_t i = 0; i < kInBytes; ++i) g_out0[i] = static_cast<int8_t>(g_in0[i] + 1);
  g_out1[0] = ++g_runs;
  // As a capture build's run() streams each operator's output.
  kiln_capture_tensor(0, 0, g_out0, kInBytes);
  kiln_capture_tensor(1, 0, g_out1, 4);
  for (uint16_t i = 0; i < kOps; ++i) g_op_ticks[i] = 10u * i + 1;
  g_timer += 5000;  // each inference costs 5000 ticks
  return 0;
}
void FakeReset() { g_runs = 0; }

kiln_rpc_tensor_t MakeTensor(const char* name, uint8_t dtype, std::vector<int32_t> shape, uint32_t bytes,
                             void* data) {
  kiln_rpc_tensor_t t{};
  t.name = name;
  t.dtype = dtype;
  t.rank = static_cast<uint8_t>(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) t.shape[i] = shape[i];
  t.bytes = bytes;
  t.data = static_cast<uint8_t*>(data);
  return t;
}

const kiln_rpc_tensor_t g_inputs[1] = {MakeTensor("input:0", KILN_RPC_INT8, {1, 600}, kInBytes, g_in0)};
const kiln_rpc_tensor_t g_outputs[2] = {MakeTensor("plus_one", KILN_RPC_INT8, {1, 600}, kInBytes, g_out0),
                                        MakeTensor("runs", KILN_RPC_INT32, {1}, 4, g_out1)};

kiln_rpc_model_t FakeModel(bool profile) {
  kiln_rpc_model_t m{};
  m.model_name = "fake \"plus one\"";
  m.module_name = "fake";
  m.input_count = 1;
  m.output_count = 2;
  m.inputs = g_inputs;
  m.outputs = g_outputs;
  m.workspace_bytes = 1024;
  m.state_bytes = 4;
  m.operator_count = kOps;
  m.run = FakeRun;
  m.reset = FakeReset;
  m.op_ticks = profile ? g_op_ticks : nullptr;
  return m;
}

// ---- Platform hooks: bytes the device writes go to g_to_host.
std::mutex g_mu;
std::condition_variable g_cv;
std::deque<uint8_t> g_to_host;
std::deque<uint8_t> g_to_device;  // only for the threaded kiln_rpc_serve test
bool g_link_closed = false;

}  // namespace
}  // namespace kiln::rpc

using namespace kiln::rpc;  // NOLINT: the hooks below are C functions

extern "C" void kiln_platform_write(const uint8_t* data, size_t size) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_to_host.insert(g_to_host.end(), data, data + size);
  g_cv.notify_all();
}
extern "C" int kiln_platform_read_byte(uint8_t* byte) {
  std::unique_lock<std::mutex> lock(g_mu);
  g_cv.wait(lock, [] { return !g_to_device.empty() || g_link_closed; });
  if (g_to_device.empty()) return 1;
  *byte = g_to_device.front();
  g_to_device.pop_front();
  return 0;
}
extern "C" void kiln_platform_timer_start(void) { g_last_ticks = g_timer; }
extern "C" uint64_t kiln_platform_timer_stop(void) { return g_timer - g_last_ticks; }
extern "C" const char* kiln_platform_timer_unit(void) { return "fake ticks"; }
extern "C" uintptr_t kiln_platform_stack_limit(void) { return g_stack_limit; }
extern "C" void kiln_platform_abort(void) { std::abort(); }

namespace kiln::rpc {
namespace {

enum class Dir { kToDevice, kToHost };

/// Synchronous fake link: a Write feeds the device server byte by byte
/// (through `fault`), and whatever the device answers becomes readable
/// (through `fault` again). Read waits for real until its deadline when
/// there is nothing, as a UART would.
class FakeLink : public Transport {
 public:
  /// Rewrites the bytes of write number `index` in direction `dir`.
  using Fault = std::function<std::vector<uint8_t>(Dir dir, int index, std::vector<uint8_t> bytes)>;

  explicit FakeLink(bool profile = true) : model_(FakeModel(profile)) { ResetDevice(); }

  void ResetDevice() {
    kiln_rpc_server_init(&server_, &model_);
    std::memset(g_in0, 0, sizeof g_in0);
    std::memset(g_out0, 0, sizeof g_out0);
    g_runs = 0;
    g_fail_runs = 0;
  }

  Fault fault;
  /// Called before write number `index` reaches the device (e.g. to reset it).
  std::function<void(int index)> before_write;

  Status Write(std::span<const uint8_t> data) override {
    const int index = writes_++;
    if (before_write) before_write(index);
    std::vector<uint8_t> bytes(data.begin(), data.end());
    if (fault) bytes = fault(Dir::kToDevice, index, bytes);
    {
      std::lock_guard<std::mutex> lock(g_mu);
      g_to_host.clear();
    }
    for (uint8_t b : bytes) kiln_rpc_server_feed(&server_, b);
    std::vector<uint8_t> answer;
    {
      std::lock_guard<std::mutex> lock(g_mu);
      answer.assign(g_to_host.begin(), g_to_host.end());
      g_to_host.clear();
    }
    if (fault) answer = fault(Dir::kToHost, index, answer);
    rx_.insert(rx_.end(), answer.begin(), answer.end());
    return Status::Ok();
  }

  Expected<size_t> Read(std::span<uint8_t> buffer, Clock::time_point deadline) override {
    if (!held_.empty() && release_held_) {  // a delayed response finally arrives
      rx_.insert(rx_.end(), held_.begin(), held_.end());
      held_.clear();
    }
    if (rx_.empty()) {
      std::this_thread::sleep_until(deadline);
      return size_t{0};
    }
    // Deliver in small pieces, as a serial port does.
    const size_t n = std::min<size_t>({buffer.size(), rx_.size(), 7});
    std::copy(rx_.begin(), rx_.begin() + n, buffer.begin());
    rx_.erase(rx_.begin(), rx_.begin() + n);
    return n;
  }

  void Hold(std::vector<uint8_t> bytes) { held_ = std::move(bytes); }
  void ReleaseHeld() { release_held_ = true; }
  int writes() const { return writes_; }
  const kiln_rpc_server_t& server() const { return server_; }

 private:
  kiln_rpc_model_t model_;
  kiln_rpc_server_t server_;
  std::deque<uint8_t> rx_;
  std::vector<uint8_t> held_;
  bool release_held_ = false;
  int writes_ = 0;
};

SessionOptions FastOptions(int attempts = 4) {
  SessionOptions o;
  o.timeout = milliseconds(30);
  o.attempts = attempts;
  o.first_seq = 0xFFF0;  // wraps around during the tests
  o.session_id = 0x7E7D;  // needs escaping on the wire
  return o;
}

std::vector<uint8_t> Pattern(uint8_t start) {
  std::vector<uint8_t> v(kInBytes);
  // Every byte value, flags and escapes included.
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<uint8_t>(start + i);
  return v;
}

std::vector<uint8_t> PlusOne(const std::vector<uint8_t>& in) {
  std::vector<uint8_t> out = in;
  for (auto& b : out) b = static_cast<uint8_t>(b + 1);
  return out;
}

std::vector<uint8_t> RunsBytes(int32_t runs) {
  std::vector<uint8_t> v(4);
  std::memcpy(v.data(), &runs, 4);
  return v;
}

/// Set input, run, fetch both outputs; checks the data.
void RoundTrip(DeviceClient& client, uint8_t start, int32_t expected_runs) {
  const auto in = Pattern(start);
  ASSERT_TRUE(client.SetInput(0, in).ok());
  auto run = client.Run();
  ASSERT_TRUE(run.ok()) << run.message();
  EXPECT_EQ(run->ticks, 5000u);
  auto out0 = client.GetOutput(0);
  ASSERT_TRUE(out0.ok()) << out0.message();
  EXPECT_EQ(*out0, PlusOne(in));
  auto out1 = client.GetOutput(1);
  ASSERT_TRUE(out1.ok()) << out1.message();
  EXPECT_EQ(*out1, RunsBytes(expected_runs));
}

TEST(RpcDeviceTest, InfoDescribesTheModel) {
  FakeLink link;
  DeviceClient client(link, FastOptions());
  auto info = client.Info();
  ASSERT_TRUE(info.ok()) << info.message();
  EXPECT_EQ(info->protocol_version, 1);
  EXPECT_EQ(info->max_payload, KILN_RPC_MAX_PAYLOAD);
  EXPECT_EQ(info->model_name, "fake \"plus one\"");
  EXPECT_EQ(info->module_name, "fake");
  EXPECT_EQ(info->timer_unit, "fake ticks");
  EXPECT_EQ(info->workspace_bytes, 1024u);
  EXPECT_EQ(info->state_bytes, 4u);
  EXPECT_EQ(info->operator_count, kOps);
  EXPECT_TRUE(info->profile_available);
  ASSERT_EQ(info->inputs.size(), 1u);
  ASSERT_EQ(info->outputs.size(), 2u);
  EXPECT_EQ(info->inputs[0].name, "input:0");
  EXPECT_EQ(info->inputs[0].shape, (std::vector<int32_t>{1, 600}));
  EXPECT_EQ(info->outputs[1].dtype, KILN_RPC_INT32);
  EXPECT_EQ(info->outputs[1].bytes, 4u);

  ModelInterface mi;
  mi.module_name = "fake";
  mi.inputs = {{"input:0", "input_0", DType::kInt8, {1, 600}, 600}};
  mi.outputs = {{"plus_one", "plus_one", DType::kInt8, {1, 600}, 600}, {"runs", "runs", DType::kInt32, {1}, 4}};
  EXPECT_TRUE(client.CheckInterface(mi).ok());
  mi.outputs[1].dtype = DType::kFloat32;
  const Status bad = client.CheckInterface(mi);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("output 1 differs"), std::string::npos) << bad.message();
}

TEST(RpcDeviceTest, CoreOfAHostBuildIsReportedAsNone) {
  FakeLink link;
  DeviceClient client(link, FastOptions());
  ASSERT_TRUE(client.Info().ok());
  // The server compiled for this machine is neither Arm M-profile nor RV32:
  // it answers, with no registers (the boards' answers: tests/cli/isa_features_cli_test.cc).
  auto core = client.Core();
  ASSERT_TRUE(core.ok()) << core.message();
  EXPECT_TRUE(core->reported);
  EXPECT_EQ(core->arch, CoreArch::kUnknown);
  EXPECT_TRUE(core->ids.empty());
}

TEST(RpcDeviceTest, RunTimeProfileAndReset) {
  FakeLink link;
  DeviceClient client(link, FastOptions());
  ASSERT_TRUE(client.Info().ok());
  RoundTrip(client, 0x70, 1);
  RoundTrip(client, 0x00, 2);
  auto total = client.Time(5, milliseconds(100));
  ASSERT_TRUE(total.ok()) << total.message();
  EXPECT_EQ(*total, 5u * 5000u);
  auto profile = client.Profile();
  ASSERT_TRUE(profile.ok()) << profile.message();
  ASSERT_EQ(profile->size(), kOps);
  for (uint16_t i = 0; i < kOps; ++i) EXPECT_EQ((*profile)[i], 10u * i + 1);
  ASSERT_TRUE(client.Reset().ok());
  RoundTrip(client, 0x10, 1);  // the state (run counter) started again
  EXPECT_EQ(client.session().stats().retransmissions, 0u);
}

TEST(RpcDeviceTest, CaptureReadsTheTensorStreamOneWindowPerRun) {
  FakeLink link;
  DeviceClient client(link, FastOptions());
  ASSERT_TRUE(client.Info().ok());
  const auto in = Pattern(0x42);
  ASSERT_TRUE(client.SetInput(0, in).ok());
  ASSERT_TRUE(client.Run().ok());  // the state has advanced: capture starts from RESET anyway
  auto stream = client.CaptureInference(kInBytes + 4);
  ASSERT_TRUE(stream.ok()) << stream.message();
  std::vector<uint8_t> expected = PlusOne(in);
  for (uint8_t b : RunsBytes(1)) expected.push_back(b);  // each window's run is the first after RESET
  EXPECT_EQ(*stream, expected);
  // A build that expects another stream is told what the device streamed.
  auto wrong = client.CaptureInference(kInBytes);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.message().find("streamed 604 bytes of tensors in a run, where the build streams 600"),
            std::string::npos)
      << wrong.message();
  // Reading past what the window kept is refused by the device.
  ASSERT_TRUE(client.SetCaptureWindow(600).ok());
  ASSERT_TRUE(client.Run().ok());
  auto tail = client.ReadCapture(4);
  ASSERT_TRUE(tail.ok()) << tail.message();
  EXPECT_EQ(tail->data, RunsBytes(2));  // no RESET since the failed capture's run
  EXPECT_FALSE(client.ReadCapture(5).ok());
}

TEST(RpcDeviceTest, StackOfRunIsMeasuredByPainting) {
  FakeLink link;
  DeviceClient client(link, FastOptions());
  ASSERT_TRUE(client.Info().ok());
  EXPECT_FALSE(client.Stack().ok());  // nothing run yet
  // The device may paint this thread's stack down to 1 MiB below here
  // (the main thread's stack is 8 MiB).
  volatile int marker = 0;
  g_stack_limit = reinterpret_cast<uintptr_t>(&marker) - (1u << 20);
  auto run = client.Run();
  g_stack_limit = 0;
  ASSERT_TRUE(run.ok()) << run.message();
  auto stack = client.Stack();
  ASSERT_TRUE(stack.ok()) << stack.message();
  EXPECT_GE(stack->high_water_bytes, kRunStackBytes);
  EXPECT_LT(stack->high_water_bytes, kRunStackBytes + 1024);
  EXPECT_FALSE(stack->at_least());
  EXPECT_GT(stack->painted_bytes, 60000u);
  ASSERT_TRUE(client.Info().ok());  // a new session starts a new measurement
  EXPECT_FALSE(client.Stack().ok());
}

TEST(RpcDeviceTest, ErrorsFromTheDeviceAreClear) {
  FakeLink link(/*profile=*/false);
  DeviceClient client(link, FastOptions());
  ASSERT_TRUE(client.Info().ok());
  ASSERT_TRUE(client.Run().ok());
  auto stack = client.Stack();  // this platform cannot measure it
  ASSERT_FALSE(stack.ok());
  EXPECT_NE(stack.message().find("STACK"), std::string::npos) << stack.message();
  auto profile = client.Profile();
  ASSERT_FALSE(profile.ok());
  EXPECT_NE(profile.message().find("PROFILE"), std::string::npos) << profile.message();
  EXPECT_NE(profile.message().find("not available"), std::string::npos) << profile.message();
  g_fail_runs = 1;
  auto run = client.Run();
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.message().find("returned 7"), std::string::npos) << run.message();
  auto time = client.Time(3, milliseconds(100));
  ASSERT_FALSE(time.ok());
  EXPECT_NE(time.message().find("timed run 1 of 3"), std::string::npos) << time.message();
  g_fail_runs = 0;
  EXPECT_FALSE(client.SetInput(0, std::vector<uint8_t>(5)).ok());  // wrong size, caught on the host
  EXPECT_FALSE(client.SetInput(3, std::vector<uint8_t>(5)).ok());
  // The device checks ranges itself too.
  Session raw(link, FastOptions());
  const uint8_t info[2] = {0x7D, 0x7E};  // the session id of FastOptions()
  ASSERT_TRUE(raw.Call(MsgType::kInfo, info).ok());
  const uint8_t past_end[] = {0, 0x58, 0x02, 0, 0, 1};  // offset 600 of a 600-byte input, 1 byte
  auto r = raw.Call(MsgType::kSetInput, past_end);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, static_cast<uint8_t>(RpcStatus::kOutOfRange));
  auto unknown = raw.Call(static_cast<MsgType>(0x33), {});
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->status, static_cast<uint8_t>(RpcStatus::kUnknownType));
}

TEST(RpcDeviceTest, OtherProtocolVersionIsRefused) {
  FakeLink link;
  // Rewrites the INFO response as a device of protocol version 2 would send it.
  link.fault = [](Dir d, int index, std::vector<uint8_t> bytes) {
    if (d != Dir::kToHost || index != 0) return bytes;
    FrameDecoder decoder(1024);
    std::vector<std::vector<uint8_t>> frames;
    decoder.Feed(bytes, frames);
    if (frames.size() != 1) return bytes;
    frames[0][kResponseHeader] = 2;  // version, low byte
    return EncodeFrame(frames[0]);
  };
  DeviceClient client(link, FastOptions());
  auto info = client.Info();
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.message().find("protocol version 2"), std::string::npos) << info.message();
  EXPECT_FALSE(client.Run().ok());  // no session for a device we cannot talk to
}

TEST(RpcDeviceTest, CallsBeforeInfoAreRefused) {
  FakeLink link;
  DeviceClient client(link, FastOptions());
  EXPECT_FALSE(client.Run().ok());
  Session raw(link, FastOptions());
  auto r = raw.Call(MsgType::kRun, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("before INFO"), std::string::npos);
  EXPECT_EQ(link.writes(), 0);
}

// Applies `f` to the bytes of one write (by index and direction), leaving the others.
FakeLink::Fault OnWrite(Dir dir, int which, std::function<void(std::vector<uint8_t>&)> f) {
  return [=](Dir d, int index, std::vector<uint8_t> bytes) {
    if (d == dir && index == which && !bytes.empty()) f(bytes);
    return bytes;
  };
}

struct FaultCase {
  const char* name;
  Dir dir;
  std::function<void(std::vector<uint8_t>&)> mutate;
};

class RpcFaultTest : public testing::TestWithParam<int> {};

const FaultCase kFaults[] = {
    {"drop_request_byte", Dir::kToDevice, [](auto& b) { b.erase(b.begin() + b.size() / 2); }},
    {"drop_response_byte", Dir::kToHost, [](auto& b) { b.erase(b.begin() + b.size() / 2); }},
    {"duplicate_request_byte", Dir::kToDevice, [](auto& b) { b.insert(b.begin() + 4, b[4]); }},
    {"duplicate_response_byte", Dir::kToHost, [](auto& b) { b.insert(b.begin() + 5, b[5]); }},
    {"corrupt_request_byte", Dir::kToDevice, [](auto& b) { b[b.size() - 3] ^= 0x10; }},
    {"corrupt_response_byte", Dir::kToHost, [](auto& b) { b[3] ^= 0x04; }},
    {"drop_whole_response", Dir::kToHost, [](auto& b) { b.clear(); }},
    {"drop_closing_flag", Dir::kToDevice, [](auto& b) { b.pop_back(); }},
    {"response_split_by_flag", Dir::kToHost, [](auto& b) { b.insert(b.begin() + 6, 0x7E); }},
};

TEST_P(RpcFaultTest, OneFaultPerCallIsRecoveredWithoutRunningTwice) {
  const FaultCase& fc = kFaults[GetParam()];
  SCOPED_TRACE(fc.name);
  // Inject the fault into every kind of call: the writes are INFO, 3
  // TENSOR_INFO, 3 SET_INPUT, RUN, 3+1 GET_OUTPUT in order.
  for (int which = 0; which < 12; ++which) {
    SCOPED_TRACE(which);
    FakeLink link;
    link.fault = OnWrite(fc.dir, which, fc.mutate);
    DeviceClient client(link, FastOptions());
    auto info = client.Info();
    ASSERT_TRUE(info.ok()) << info.message();
    RoundTrip(client, 0x7D, 1);  // the run counter proves RUN ran exactly once
    EXPECT_EQ(g_runs, 1);
    EXPECT_GE(client.session().stats().retransmissions, 1u);
  }
}

INSTANTIATE_TEST_SUITE_P(Faults, RpcFaultTest, testing::Range(0, static_cast<int>(std::size(kFaults))),
                         [](const auto& info) { return std::string(kFaults[info.param].name); });

TEST(RpcDeviceTest, RandomNoiseOnBothDirectionsNeverGivesWrongData) {
  FakeLink link;
  FaultOptions faults;
  faults.seed = 20261125;
  faults.to_device = faults.to_host = {.drop = 0.0005, .corrupt = 0.0005, .duplicate = 0.0005};
  FaultInjector noisy(link, faults);
  SessionOptions o = FastOptions(10);
  o.timeout = milliseconds(5);
  DeviceClient client(noisy, o);
  ASSERT_TRUE(client.Info().ok());
  for (int i = 0; i < 25; ++i) RoundTrip(client, static_cast<uint8_t>(i * 37), i + 1);
  EXPECT_GT(client.session().stats().retransmissions, 0u);  // the noise did hit
  for (LinkDirection d : {LinkDirection::kToDevice, LinkDirection::kToHost}) {
    const ByteFaultCounts& c = noisy.counts(d);
    EXPECT_GT(c.dropped + c.corrupted + c.duplicated, 0u);
  }
}

/// Every fault kind, and device resets part-way through requests, under
/// RecoveringClient: each inference gives the right outputs or an error,
/// never wrong data. The in-process twin of tests/device/soak_test.cc.
TEST(RpcDeviceTest, RandomFaultsAndResetsEndInRightDataOrAnError) {
  FakeLink link;
  FaultOptions faults;
  faults.seed = 7;
  faults.to_device = faults.to_host = {.drop = 0.0003, .corrupt = 0.0003, .duplicate = 0.0003, .delay = 0.0003};
  faults.max_delay = milliseconds(12);  // beyond the timeout: some delays force a retransmission
  faults.reset_per_write = 0.02;
  FaultInjector noisy(link, faults, [&] {
    link.ResetDevice();
    return Status::Ok();
  });
  SessionOptions o = FastOptions(4);
  o.timeout = milliseconds(8);
  DeviceClient client(noisy, o);
  // RESET first: the run counter (output 1) is the model's state, which a
  // restarted inference must not see advanced.
  RecoveringClient recovering(client, {.max_restarts = 3, .reset_state_first = true});
  int ok = 0;
  for (int i = 0; i < 150; ++i) {
    const std::vector<std::vector<uint8_t>> inputs = {Pattern(static_cast<uint8_t>(i * 11))};
    auto outputs = recovering.Infer(inputs);
    if (!outputs.ok()) {
      EXPECT_NE(outputs.message().find("device"), std::string::npos) << outputs.message();
      continue;
    }
    ++ok;
    ASSERT_EQ(outputs->size(), 2u);
    EXPECT_EQ((*outputs)[0], PlusOne(inputs[0]));
    EXPECT_EQ((*outputs)[1], RunsBytes(1));
  }
  const RecoveryCounts& counts = recovering.counts();
  EXPECT_EQ(counts.succeeded, static_cast<size_t>(ok));
  EXPECT_EQ(counts.succeeded + counts.failed, 150u);
  EXPECT_GE(ok, 145);
  EXPECT_GT(noisy.resets(), 0u);
  EXPECT_GT(counts.restarts, 0u);
  EXPECT_GT(counts.recovered, 0u);
  EXPECT_GT(client.session().stats().device_resets, 0u);
  for (LinkDirection d : {LinkDirection::kToDevice, LinkDirection::kToHost}) {
    const ByteFaultCounts& c = noisy.counts(d);
    EXPECT_GT(c.dropped, 0u);
    EXPECT_GT(c.corrupted, 0u);
    EXPECT_GT(c.duplicated, 0u);
    EXPECT_GT(c.delayed, 0u);
  }
}

TEST(RpcDeviceTest, StatefulInferenceIsNotRestartedAfterAReset) {
  FakeLink link;
  DeviceClient client(link, FastOptions());
  RecoveringClient recovering(client);  // no RESET first: the run counter carries over
  const std::vector<std::vector<uint8_t>> inputs = {Pattern(9)};
  ASSERT_TRUE(recovering.Infer(inputs).ok());
  link.ResetDevice();
  auto lost = recovering.Infer(inputs);
  ASSERT_FALSE(lost.ok());
  EXPECT_NE(lost.message().find("device reset"), std::string::npos) << lost.message();
  EXPECT_NE(lost.message().find("not started again"), std::string::npos) << lost.message();
  EXPECT_EQ(g_runs, 0);  // nothing ran on the rebooted device
  // The next inference re-opens the session and runs on the rebooted state.
  auto next = recovering.Infer(inputs);
  ASSERT_TRUE(next.ok()) << next.message();
  EXPECT_EQ((*next)[1], RunsBytes(1));
  EXPECT_EQ(recovering.counts().restarts, 0u);
  EXPECT_EQ(recovering.counts().failed, 1u);
}

TEST(RpcDeviceTest, InferenceGivesUpAfterItsRestarts) {
  FakeLink link;
  DeviceClient client(link, FastOptions(2));
  RecoveringClient recovering(client, {.max_restarts = 2, .reset_state_first = true});
  const std::vector<std::vector<uint8_t>> inputs = {Pattern(5)};
  ASSERT_TRUE(recovering.Infer(inputs).ok());
  // The device stops answering for good.
  link.fault = [](Dir d, int, std::vector<uint8_t> b) { return d == Dir::kToHost ? std::vector<uint8_t>{} : b; };
  const auto start = Clock::now();
  auto out = recovering.Infer(inputs);
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.message().find("did not answer"), std::string::npos) << out.message();
  EXPECT_NE(out.message().find("after 2 restart(s)"), std::string::npos) << out.message();
  EXPECT_EQ(recovering.counts().restarts, 2u);
  EXPECT_EQ(client.session().last_failure(), CallFailure::kNoAnswer);
  EXPECT_LE(elapsed, WorstCaseInferenceTime(client.info(), {.max_restarts = 2, .reset_state_first = true},
                                            FastOptions(2)));
}

TEST(RpcDeviceTest, DelayedResponseIsIgnoredAsStale) {
  FakeLink link;
  DeviceClient client(link, FastOptions());
  ASSERT_TRUE(client.Info().ok());
  ASSERT_TRUE(client.SetInput(0, Pattern(1)).ok());
  // The RUN response arrives late (after the retry got its own copy), in
  // the middle of the next call; it must not be taken for GET_OUTPUT's.
  const int run_write = link.writes();
  link.fault = [&](Dir d, int index, std::vector<uint8_t> bytes) {
    if (d == Dir::kToHost && index == run_write) {
      link.Hold(bytes);
      return std::vector<uint8_t>{};
    }
    if (d == Dir::kToHost && index == run_write + 1) link.ReleaseHeld();
    return bytes;
  };
  auto run = client.Run();
  ASSERT_TRUE(run.ok()) << run.message();
  EXPECT_EQ(g_runs, 1);
  auto out = client.GetOutput(0);
  ASSERT_TRUE(out.ok()) << out.message();
  EXPECT_EQ(*out, PlusOne(Pattern(1)));
  EXPECT_GE(client.session().stats().stale_frames, 1u);
}

TEST(RpcDeviceTest, DeviceResetBetweenCallsIsReported) {
  FakeLink link;
  DeviceClient client(link, FastOptions());
  ASSERT_TRUE(client.Info().ok());
  ASSERT_TRUE(client.SetInput(0, Pattern(3)).ok());
  link.ResetDevice();  // e.g. a watchdog: inputs and session are gone
  auto run = client.Run();
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.message().find("device reset"), std::string::npos) << run.message();
  EXPECT_EQ(client.session().last_failure(), CallFailure::kDeviceReset);
  EXPECT_EQ(client.session().stats().device_resets, 1u);
  // Re-opening the session works.
  ASSERT_TRUE(client.Info().ok());
  RoundTrip(client, 3, 1);
}

TEST(RpcDeviceTest, DeviceResetDuringARequestIsReported) {
  FakeLink link;
  DeviceClient client(link, FastOptions());
  ASSERT_TRUE(client.Info().ok());
  ASSERT_TRUE(client.SetInput(0, Pattern(3)).ok());
  // The device reboots while running: the RUN response is lost, and the
  // retransmitted RUN reaches a device that no longer knows the session.
  const int run_write = link.writes();
  link.fault = OnWrite(Dir::kToHost, run_write, [](auto& b) { b.clear(); });
  link.before_write = [&](int index) {
    if (index == run_write + 1) link.ResetDevice();
  };
  auto run = client.Run();
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.message().find("device reset"), std::string::npos) << run.message();
  EXPECT_EQ(g_runs, 0);
}

TEST(RpcDeviceTest, SilentDeviceGivesAnErrorWithinTheTimeout) {
  FakeLink link;
  DeviceClient client(link, FastOptions(3));
  link.fault = [](Dir, int, std::vector<uint8_t>) { return std::vector<uint8_t>{}; };
  const auto start = Clock::now();
  auto info = client.Info();
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.message().find("did not answer INFO"), std::string::npos) << info.message();
  EXPECT_NE(info.message().find("3 attempt(s) of 30 ms"), std::string::npos) << info.message();
  EXPECT_EQ(client.session().last_failure(), CallFailure::kNoAnswer);
  EXPECT_EQ(client.session().stats().unanswered_calls, 1u);
  EXPECT_GE(elapsed, milliseconds(90));
  EXPECT_LT(elapsed, milliseconds(1000));
  EXPECT_EQ(link.writes(), 3);
}

TEST(RpcDeviceTest, DeviceThatStopsMidSessionGivesAnError) {
  FakeLink link;
  DeviceClient client(link, FastOptions(2));
  ASSERT_TRUE(client.Info().ok());
  link.fault = [](Dir d, int, std::vector<uint8_t> b) { return d == Dir::kToHost ? std::vector<uint8_t>{} : b; };
  auto out = client.GetOutput(0);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.message().find("did not answer GET_OUTPUT"), std::string::npos) << out.message();
}

TEST(RpcDeviceTest, OversizedFramesAreDroppedByTheDevice) {
  FakeLink link;
  Session raw(link, FastOptions(1));
  const uint8_t info[2] = {0x7D, 0x7E};  // the session id of FastOptions()
  ASSERT_TRUE(raw.Call(MsgType::kInfo, info).ok());
  std::vector<uint8_t> big(KILN_RPC_MAX_PAYLOAD + 1, 0);  // index, offset 0, then data
  auto r = raw.Call(MsgType::kSetInput, big);
  ASSERT_FALSE(r.ok());  // silently dropped: the host sees a timeout
  EXPECT_EQ(link.server().dropped_frames, 1u);
  big.pop_back();
  r = raw.Call(MsgType::kSetInput, big);  // exactly the limit is fine
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->status, 0);
}

/// A transport to kiln_rpc_serve running in its own thread, through the
/// blocking read hook.
class ThreadLink : public Transport {
 public:
  Status Write(std::span<const uint8_t> data) override {
    std::lock_guard<std::mutex> lock(g_mu);
    g_to_device.insert(g_to_device.end(), data.begin(), data.end());
    g_cv.notify_all();
    return Status::Ok();
  }
  Expected<size_t> Read(std::span<uint8_t> buffer, Clock::time_point deadline) override {
    std::unique_lock<std::mutex> lock(g_mu);
    if (!g_cv.wait_until(lock, deadline, [] { return !g_to_host.empty(); })) return size_t{0};
    size_t n = 0;
    while (n < buffer.size() && !g_to_host.empty()) {
      buffer[n++] = g_to_host.front();
      g_to_host.pop_front();
    }
    return n;
  }
};

TEST(RpcDeviceTest, ServeLoopAnswersUntilTheLinkCloses) {
  {
    std::lock_guard<std::mutex> lock(g_mu);
    g_to_device.clear();
    g_to_host.clear();
    g_link_closed = false;
  }
  g_runs = 0;
  g_fail_runs = 0;
  const kiln_rpc_model_t model = FakeModel(true);
  int served = -1;
  std::thread device([&] { served = kiln_rpc_serve(&model); });
  ThreadLink link;
  SessionOptions o = FastOptions();
  o.timeout = milliseconds(2000);  // a real thread: generous, never reached
  DeviceClient client(link, o);
  auto info = client.Info();
  EXPECT_TRUE(info.ok()) << info.message();
  if (info.ok()) RoundTrip(client, 0x42, 1);
  {
    std::lock_guard<std::mutex> lock(g_mu);
    g_link_closed = true;
    g_cv.notify_all();
  }
  device.join();
  EXPECT_EQ(served, 0);
}

}  // namespace
}  // namespace kiln::rpc
