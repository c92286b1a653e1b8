// 64-bit FNV-1a: a fast, stable hash for names and digests that must not
// change between runs or machines (blob call names, tuning task keys,
// measured outputs). Not cryptographic.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace kiln {

inline constexpr uint64_t kFnv1a64Start = 0xcbf29ce484222325ull;

/// FNV-1a of `bytes`, continued from `h`.
inline uint64_t Fnv1a64(std::span<const uint8_t> bytes, uint64_t h = kFnv1a64Start) {
  for (uint8_t b : bytes) {
    h ^= b;
    h *= 0x100000001b3ull;
  }
  return h;
}

inline uint64_t Fnv1a64(std::string_view text, uint64_t h = kFnv1a64Start) {
  return Fnv1a64(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()), h);
}

}  // namespace kiln
