// The byte link between the host and a device (a UART behind QEMU, a pipe
// to a process, an in-process fake in the tests). The session layer
// (session.h) needs only these two calls; every read has a deadline so
// that nothing built on a transport can hang.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "support/status.h"

namespace kiln::rpc {

using Clock = std::chrono::steady_clock;

/// An abstract, ordered, unreliable byte stream to a device.
class Transport {
 public:
  virtual ~Transport() = default;

  /// Sends every byte of `data`, or returns an error (link closed).
  virtual Status Write(std::span<const uint8_t> data) = 0;

  /// Waits until at least one byte is available or `deadline` passes, then
  /// reads up to buffer.size() bytes. Returns the count read; 0 means the
  /// deadline passed with nothing to read. An error means the link is gone.
  virtual Expected<size_t> Read(std::span<uint8_t> buffer, Clock::time_point deadline) = 0;
};

}  // namespace kiln::rpc
