// Byte faults and device resets on a link; see fault_injector.h.
#include "rpc/fault_injector.h"

#include <algorithm>

namespace kiln::rpc {

FaultInjector::FaultInjector(Transport& inner, FaultOptions options, ResetDevice reset_device)
    : inner_(inner), options_(options), reset_device_(std::move(reset_device)), rng_(options.seed) {}

bool FaultInjector::Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

void FaultInjector::Enqueue(std::span<const uint8_t> bytes, LinkDirection direction,
                            std::optional<size_t> reset_at) {
  const int d = direction == LinkDirection::kToDevice ? 0 : 1;
  const ByteFaultRates& rates = d == 0 ? options_.to_device : options_.to_host;
  std::deque<InFlight>& queue = d == 0 ? to_device_ : to_host_;
  ByteFaultCounts& counts = counts_[d];
  const auto now = Clock::now();
  Clock::time_point& due = last_due_[d];
  due = std::max(due, now);
  for (size_t i = 0; i <= bytes.size(); ++i) {
    if (reset_at == i) queue.push_back({0, true, due});
    if (i == bytes.size()) break;
    uint8_t b = bytes[i];
    ++counts.bytes;
    // One draw per byte picks at most one fault, so each count is exact.
    double u = std::uniform_real_distribution<double>(0, 1)(rng_);
    if ((u -= rates.drop) < 0) {
      ++counts.dropped;
      continue;
    }
    if ((u -= rates.corrupt) < 0) {
      ++counts.corrupted;
      b ^= static_cast<uint8_t>(1u << (rng_() % 8));
    } else if ((u -= rates.duplicate) < 0) {
      ++counts.duplicated;
      queue.push_back({b, false, due});
    } else if ((u -= rates.delay) < 0) {
      ++counts.delayed;
      const auto max_ms = std::max<int64_t>(1, options_.max_delay.count());
      due += std::chrono::milliseconds(1 + static_cast<int64_t>(rng_() % static_cast<uint64_t>(max_ms)));
    }
    queue.push_back({b, false, due});
  }
}

Status FaultInjector::DeliverToDevice() {
  const auto now = Clock::now();
  std::vector<uint8_t> run;
  while (!to_device_.empty() && to_device_.front().due <= now) {
    const InFlight f = to_device_.front();
    to_device_.pop_front();
    if (!f.reset) {
      run.push_back(f.byte);
      continue;
    }
    // The bytes before the reset reach the device first.
    if (!run.empty()) KILN_RETURN_IF_ERROR(inner_.Write(run));
    run.clear();
    KILN_RETURN_IF_ERROR(reset_device_());
    ++resets_;
  }
  if (!run.empty()) KILN_RETURN_IF_ERROR(inner_.Write(run));
  return Status::Ok();
}

Status FaultInjector::Write(std::span<const uint8_t> data) {
  std::optional<size_t> reset_at;
  if (reset_device_ && !data.empty() && Chance(options_.reset_per_write))
    reset_at = 1 + rng_() % data.size();  // after 1 .. all of its bytes
  Enqueue(data, LinkDirection::kToDevice, reset_at);
  return DeliverToDevice();
}

Expected<size_t> FaultInjector::Read(std::span<uint8_t> buffer, Clock::time_point deadline) {
  scratch_.resize(buffer.size());
  while (true) {
    KILN_RETURN_IF_ERROR(DeliverToDevice());
    const auto now = Clock::now();
    size_t n = 0;
    while (n < buffer.size() && !to_host_.empty() && to_host_.front().due <= now) {
      buffer[n++] = to_host_.front().byte;
      to_host_.pop_front();
    }
    if (n > 0) return n;
    if (now >= deadline) return size_t{0};
    // Wait for the device, but wake up when a held byte falls due.
    Clock::time_point wake = deadline;
    if (!to_device_.empty()) wake = std::min(wake, to_device_.front().due);
    if (!to_host_.empty()) wake = std::min(wake, to_host_.front().due);
    KILN_ASSIGN_OR_RETURN(size_t got, inner_.Read(scratch_, wake));
    Enqueue(std::span(scratch_).first(got), LinkDirection::kToHost, std::nullopt);
  }
}

}  // namespace kiln::rpc
