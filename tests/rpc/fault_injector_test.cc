// rpc::FaultInjector on its own, over a recording link: each fault does
// what its count says, in both directions; the same seed gives the same
// faults; delays keep the stream's order and never make a Read outlast its
// deadline; a reset falls inside the write that drew it.
#include "rpc/fault_injector.h"

#include <gtest/gtest.h>

#include <deque>
#include <thread>

namespace kiln::rpc {
namespace {

using std::chrono::milliseconds;

/// The far end of the link: keeps what the device would receive, and
/// hands out `incoming` as what the device sends.
class RecordingLink : public Transport {
 public:
  Status Write(std::span<const uint8_t> data) override {
    written.insert(written.end(), data.begin(), data.end());
    return Status::Ok();
  }
  Expected<size_t> Read(std::span<uint8_t> buffer, Clock::time_point deadline) override {
    if (incoming.empty()) {
      std::this_thread::sleep_until(deadline);
      return size_t{0};
    }
    const size_t n = std::min(buffer.size(), incoming.size());
    std::copy(incoming.begin(), incoming.begin() + static_cast<std::ptrdiff_t>(n), buffer.begin());
    incoming.erase(incoming.begin(), incoming.begin() + static_cast<std::ptrdiff_t>(n));
    return n;
  }

  std::vector<uint8_t> written;
  std::deque<uint8_t> incoming;
};

std::vector<uint8_t> Bytes(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 7 + i / 256);
  return v;
}

/// Everything the device sends, through `link`, read until nothing more comes.
std::vector<uint8_t> ReadAll(Transport& link) {
  std::vector<uint8_t> out;
  std::vector<uint8_t> buffer(64);
  while (true) {
    auto n = link.Read(buffer, Clock::now() + milliseconds(30));
    EXPECT_TRUE(n.ok());
    if (!n.ok() || *n == 0) return out;
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
  }
}

/// Sends `sent` through an injector with `rates` in `direction`; returns what arrived.
std::vector<uint8_t> Through(LinkDirection direction, ByteFaultRates rates, const std::vector<uint8_t>& sent,
                             ByteFaultCounts* counts, uint64_t seed = 3) {
  RecordingLink far;
  FaultOptions options;
  options.seed = seed;
  (direction == LinkDirection::kToDevice ? options.to_device : options.to_host) = rates;
  FaultInjector link(far, options);
  std::vector<uint8_t> arrived;
  if (direction == LinkDirection::kToDevice) {
    EXPECT_TRUE(link.Write(sent).ok());
    arrived = far.written;
  } else {
    far.incoming.assign(sent.begin(), sent.end());
    arrived = ReadAll(link);
  }
  const LinkDirection other =
      direction == LinkDirection::kToDevice ? LinkDirection::kToHost : LinkDirection::kToDevice;
  EXPECT_EQ(link.counts(other).bytes, 0u);
  *counts = link.counts(direction);
  return arrived;
}

constexpr LinkDirection kBoth[] = {LinkDirection::kToDevice, LinkDirection::kToHost};

TEST(FaultInjectorTest, WithoutFaultsEveryByteArrivesUnchanged) {
  const auto sent = Bytes(3000);
  for (LinkDirection d : kBoth) {
    ByteFaultCounts c;
    EXPECT_EQ(Through(d, {}, sent, &c), sent);
    EXPECT_EQ(c.bytes, sent.size());
    EXPECT_EQ(c.dropped + c.corrupted + c.duplicated + c.delayed, 0u);
  }
}

TEST(FaultInjectorTest, DroppedBytesAreMissingAndTheRestInOrder) {
  const auto sent = Bytes(5000);
  for (LinkDirection d : kBoth) {
    ByteFaultCounts c;
    const auto got = Through(d, {.drop = 0.05}, sent, &c);
    EXPECT_GT(c.dropped, 150u);
    EXPECT_EQ(got.size(), sent.size() - c.dropped);
    size_t j = 0;  // `got` must be `sent` with bytes taken out
    for (size_t i = 0; i < sent.size() && j < got.size(); ++i)
      if (sent[i] == got[j]) ++j;
    EXPECT_EQ(j, got.size());
  }
}

TEST(FaultInjectorTest, CorruptedBytesDifferInOneBit) {
  const auto sent = Bytes(5000);
  for (LinkDirection d : kBoth) {
    ByteFaultCounts c;
    const auto got = Through(d, {.corrupt = 0.05}, sent, &c);
    ASSERT_EQ(got.size(), sent.size());
    size_t changed = 0;
    for (size_t i = 0; i < sent.size(); ++i) {
      if (sent[i] == got[i]) continue;
      ++changed;
      EXPECT_EQ(__builtin_popcount(sent[i] ^ got[i]), 1);
    }
    EXPECT_GT(changed, 150u);
    EXPECT_EQ(changed, c.corrupted);
  }
}

TEST(FaultInjectorTest, DuplicatedBytesArriveTwiceInPlace) {
  const auto sent = Bytes(5000);  // no two neighbours equal: a repeat can only be a duplicate
  for (LinkDirection d : kBoth) {
    ByteFaultCounts c;
    const auto got = Through(d, {.duplicate = 0.05}, sent, &c);
    EXPECT_GT(c.duplicated, 150u);
    ASSERT_EQ(got.size(), sent.size() + c.duplicated);
    std::vector<uint8_t> undone;
    for (size_t j = 0; j < got.size(); ++j)
      if (j == 0 || got[j] != got[j - 1]) undone.push_back(got[j]);
    EXPECT_EQ(undone, sent);
  }
}

TEST(FaultInjectorTest, TheSameSeedGivesTheSameFaults) {
  const auto sent = Bytes(4000);
  const ByteFaultRates rates{.drop = 0.02, .corrupt = 0.02, .duplicate = 0.02};
  ByteFaultCounts a, b, c;
  const auto first = Through(LinkDirection::kToDevice, rates, sent, &a, 11);
  EXPECT_EQ(Through(LinkDirection::kToDevice, rates, sent, &b, 11), first);
  EXPECT_EQ(a.dropped, b.dropped);
  EXPECT_EQ(a.corrupted, b.corrupted);
  EXPECT_EQ(a.duplicated, b.duplicated);
  EXPECT_NE(Through(LinkDirection::kToDevice, rates, sent, &c, 12), first);
}

TEST(FaultInjectorTest, DelayedBytesToTheHostComeLateInOrderAndReadsKeepTheirDeadline) {
  RecordingLink far;
  FaultOptions options;
  options.to_host.delay = 1.0;  // every byte: the holds add up
  options.max_delay = milliseconds(20);
  FaultInjector link(far, options);
  const auto sent = Bytes(8);
  far.incoming.assign(sent.begin(), sent.end());
  std::vector<uint8_t> buffer(16);
  const auto start = Clock::now();
  // Every byte is held at least 1 ms: a read that may not wait gets none.
  // (A deadline of start + 1 ms could pass before the read starts on a
  // loaded machine, and let the first byte through.)
  auto none = link.Read(buffer, Clock::now());
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0u);
  EXPECT_LT(Clock::now() - start, milliseconds(15));
  EXPECT_EQ(ReadAll(link), sent);
  EXPECT_GE(Clock::now() - start, milliseconds(8));  // at least 1 ms per byte
  EXPECT_EQ(link.counts(LinkDirection::kToHost).delayed, sent.size());
}

TEST(FaultInjectorTest, DelayedBytesToTheDeviceAreDeliveredWhileTheHostWaits) {
  RecordingLink far;
  FaultOptions options;
  options.to_device.delay = 1.0;
  options.max_delay = milliseconds(10);
  FaultInjector link(far, options);
  const auto sent = Bytes(6);
  ASSERT_TRUE(link.Write(sent).ok());
  EXPECT_TRUE(far.written.empty());  // held: the first byte is due 1 ms or more from now
  std::vector<uint8_t> buffer(4);
  ASSERT_TRUE(link.Read(buffer, Clock::now() + milliseconds(200)).ok());
  EXPECT_EQ(far.written, sent);
  EXPECT_EQ(link.counts(LinkDirection::kToDevice).delayed, sent.size());
}

TEST(FaultInjectorTest, AResetFallsInsideTheWriteThatDrewIt) {
  RecordingLink far;
  FaultOptions options;
  options.reset_per_write = 1.0;
  std::vector<size_t> reset_after;  // bytes the device had received at each reset
  FaultInjector link(far, options, [&] {
    reset_after.push_back(far.written.size());
    return Status::Ok();
  });
  constexpr size_t kFrame = 40;
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(link.Write(Bytes(kFrame)).ok());
  ASSERT_EQ(reset_after.size(), 30u);
  EXPECT_EQ(link.resets(), 30u);
  size_t mid_frame = 0;
  for (size_t i = 0; i < reset_after.size(); ++i) {
    EXPECT_GT(reset_after[i], i * kFrame);  // after at least one byte of write i
    EXPECT_LE(reset_after[i], (i + 1) * kFrame);
    if (reset_after[i] < (i + 1) * kFrame) ++mid_frame;
  }
  EXPECT_GT(mid_frame, 20u);
  EXPECT_EQ(far.written.size(), 30 * kFrame);  // a reset takes no bytes away
}

TEST(FaultInjectorTest, ResetsNeedAResetHookAndItsErrorsReachTheCaller) {
  RecordingLink far;
  FaultOptions options;
  options.reset_per_write = 1.0;
  FaultInjector without_hook(far, options);
  ASSERT_TRUE(without_hook.Write(Bytes(10)).ok());
  EXPECT_EQ(without_hook.resets(), 0u);
  FaultInjector failing(far, options, [] { return Status(MakeError("the board is gone")); });
  const Status s = failing.Write(Bytes(10));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "the board is gone");
}

}  // namespace
}  // namespace kiln::rpc
