// The firmware the graph blob fuzzer runs blobs on, shared with the seed
// maker: three calls (by hash, with the classes of the values they read),
// two pools, one input and one output.
#pragma once

#include <cstdint>

namespace kiln::fuzz {

struct FakeCall {
  uint64_t hash;
  const char* classes;
};
inline constexpr FakeCall kFakeCalls[] = {{1, "iifdpp"}, {2, ""}, {0x1234567890abcdefull, "pppp"}};
inline constexpr uint32_t kFakePoolCapacities[] = {256, 4096};
inline constexpr uint32_t kFakeInputBytes = 16;
inline constexpr uint32_t kFakeOutputBytes = 4;

}  // namespace kiln::fuzz
