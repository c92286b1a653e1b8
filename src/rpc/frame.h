// Framing of the device protocol (docs/rpc-protocol.md): a frame is
// FLAG, escaped(body, CRC-32 of body little-endian), FLAG. This file has the
// encoder and an incremental decoder that survives any byte stream: it
// resynchronises on the next FLAG and never grows beyond its limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "support/crc32.h"  // every frame ends with the CRC-32 of its body

namespace kiln::rpc {

/// The bytes on the wire for one frame whose body is `body`.
std::vector<uint8_t> EncodeFrame(std::span<const uint8_t> body);

/// Turns a byte stream back into frame bodies. Frames with a bad CRC, a
/// bad escape, or a body over `max_body` bytes are dropped and counted.
class FrameDecoder {
 public:
  explicit FrameDecoder(size_t max_body);

  /// Feeds bytes; appends every complete valid body to `frames`.
  void Feed(std::span<const uint8_t> bytes, std::vector<std::vector<uint8_t>>& frames);
  /// Forgets a partly received frame.
  void Reset();

  /// Frames dropped so far (bad CRC, too short, too long, bad escape).
  size_t dropped() const { return dropped_; }

 private:
  void EndFrame(std::vector<std::vector<uint8_t>>& frames);

  size_t max_body_;
  std::vector<uint8_t> buffer_;
  bool escaped_ = false;
  bool poisoned_ = false;
  size_t dropped_ = 0;
};

}  // namespace kiln::rpc
