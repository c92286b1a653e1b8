// A Transport decorator that damages the link the way a noisy UART and a
// flaky board do: it drops, corrupts, duplicates and delays bytes in both
// directions, and can reset the device part-way through a request frame.
// Faults are drawn from a seeded generator, so a failing run replays
// exactly, and every fault is counted. The protocol tests (tests/rpc/) and
// the soak test (tests/device/soak_test.cc, docs/soak.md) put it between a
// DeviceClient and the real link.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "rpc/transport.h"

namespace kiln::rpc {

/// Which way bytes travel on the link.
enum class LinkDirection { kToDevice, kToHost };

/// Probability per byte of each fault, in one direction. A byte suffers at
/// most one fault, so the rates must sum to at most 1.
struct ByteFaultRates {
  double drop = 0;       ///< the byte is lost
  double corrupt = 0;    ///< one of its bits flips
  double duplicate = 0;  ///< it arrives twice
  double delay = 0;      ///< it, and so every byte after it, arrives late
};

struct FaultOptions {
  uint64_t seed = 1;
  ByteFaultRates to_device;
  ByteFaultRates to_host;
  /// Longest hold of one delay fault; each is uniform in [1 ms, max_delay].
  std::chrono::milliseconds max_delay{100};
  /// Probability per Write (one request frame, or a retransmission) that
  /// the device is reset during it: after a random number of its bytes,
  /// possibly all of them (the device then resets while handling it).
  double reset_per_write = 0;
};

/// Faults injected in one direction.
struct ByteFaultCounts {
  size_t dropped = 0;
  size_t corrupted = 0;
  size_t duplicated = 0;
  size_t delayed = 0;
  size_t bytes = 0;  ///< bytes that went through, damaged or not
};

class FaultInjector : public Transport {
 public:
  /// Resets the device behind the inner transport (e.g. QEMU's
  /// system_reset). Returns once the device has reset.
  using ResetDevice = std::function<Status()>;

  /// Damages the traffic of `inner`, which must outlive this object.
  /// Without `reset_device`, reset_per_write is ignored.
  FaultInjector(Transport& inner, FaultOptions options, ResetDevice reset_device = {});

  Status Write(std::span<const uint8_t> data) override;
  /// Never waits past `deadline`, delayed bytes included: they are
  /// delivered by a later Read once their time has come.
  Expected<size_t> Read(std::span<uint8_t> buffer, Clock::time_point deadline) override;

  const ByteFaultCounts& counts(LinkDirection direction) const {
    return counts_[direction == LinkDirection::kToDevice ? 0 : 1];
  }
  /// Device resets performed.
  size_t resets() const { return resets_; }

 private:
  /// A byte on its way, or (reset) the point in the stream where the
  /// device is reset.
  struct InFlight {
    uint8_t byte = 0;
    bool reset = false;
    Clock::time_point due;
  };

  /// Applies the byte faults of `direction` to `bytes` and queues the
  /// result; a reset marker goes before byte `reset_at` (== size: after all).
  void Enqueue(std::span<const uint8_t> bytes, LinkDirection direction, std::optional<size_t> reset_at);
  /// Hands the device every byte that is due, performing resets in order.
  Status DeliverToDevice();
  bool Chance(double p);

  Transport& inner_;
  FaultOptions options_;
  ResetDevice reset_device_;
  std::mt19937_64 rng_;
  std::deque<InFlight> to_device_;
  std::deque<InFlight> to_host_;
  /// When the last queued byte of each direction is due: the link keeps
  /// order, so no byte is due before the one ahead of it.
  Clock::time_point last_due_[2];
  ByteFaultCounts counts_[2];
  size_t resets_ = 0;
  std::vector<uint8_t> scratch_;
};

}  // namespace kiln::rpc
