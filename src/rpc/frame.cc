// Frame encoder and decoder of the device protocol; see frame.h.
#include "rpc/frame.h"

#include "rpc/protocol.h"

namespace kiln::rpc {

std::vector<uint8_t> EncodeFrame(std::span<const uint8_t> body) {
  std::vector<uint8_t> out;
  out.reserve(body.size() + kCrcSize + 8);
  out.push_back(kFlag);
  auto put = [&](uint8_t b) {
    if (b == kFlag || b == kEscape) {
      out.push_back(kEscape);
      out.push_back(static_cast<uint8_t>(b ^ kEscapeXor));
    } else {
      out.push_back(b);
    }
  };
  for (uint8_t b : body) put(b);
  const uint32_t crc = Crc32(body);
  for (int i = 0; i < 4; ++i) put(static_cast<uint8_t>(crc >> (8 * i)));
  out.push_back(kFlag);
  return out;
}

FrameDecoder::FrameDecoder(size_t max_body) : max_body_(max_body) {}

void FrameDecoder::Reset() {
  buffer_.clear();
  escaped_ = false;
  poisoned_ = false;
}

void FrameDecoder::EndFrame(std::vector<std::vector<uint8_t>>& frames) {
  const bool bad = poisoned_ || escaped_;
  if (buffer_.empty() && !bad) return;  // back-to-back flags: idle line
  const size_t n = buffer_.size();
  bool ok = !bad && n >= 1 + kCrcSize;
  if (ok) {
    uint32_t crc = 0;
    for (int i = 0; i < 4; ++i) crc |= static_cast<uint32_t>(buffer_[n - kCrcSize + i]) << (8 * i);
    ok = Crc32(std::span(buffer_).first(n - kCrcSize)) == crc;
  }
  if (ok) {
    frames.emplace_back(buffer_.begin(), buffer_.end() - kCrcSize);
  } else {
    ++dropped_;
  }
  Reset();
}

void FrameDecoder::Feed(std::span<const uint8_t> bytes, std::vector<std::vector<uint8_t>>& frames) {
  for (uint8_t b : bytes) {
    if (b == kFlag) {
      EndFrame(frames);
      continue;
    }
    if (poisoned_) continue;
    if (b == kEscape && !escaped_) {
      escaped_ = true;
      continue;
    }
    if (escaped_) {
      escaped_ = false;
      b = static_cast<uint8_t>(b ^ kEscapeXor);
      // Only FLAG and ESCAPE are ever escaped; anything else is line noise.
      if (b != kFlag && b != kEscape) {
        poisoned_ = true;
        continue;
      }
    }
    if (buffer_.size() == max_body_ + kCrcSize) {
      poisoned_ = true;
      buffer_.clear();
      continue;
    }
    buffer_.push_back(b);
  }
}

}  // namespace kiln::rpc
