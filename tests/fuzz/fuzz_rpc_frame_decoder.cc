// libFuzzer target for the device protocol's frame decoder (src/rpc/frame.h).
// Feeds arbitrary bytes in arbitrary pieces and checks the decoder's
// promises: no crash or UB (ASan/UBSan), no frame over the limit, every
// frame it returns has a valid CRC, and re-encoding a returned frame and
// decoding it again gives the same body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "rpc/frame.h"
#include "rpc/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kiln::rpc;
  if (size == 0) return 0;
  // The first byte picks the body limit and the piece size, so that both
  // the size checks and the incremental paths are explored.
  const size_t max_body = 1 + data[0] % 64;
  const size_t piece = 1 + (data[0] >> 6) * 5;
  FrameDecoder decoder(max_body);
  std::vector<std::vector<uint8_t>> frames;
  std::span<const uint8_t> rest(data + 1, size - 1);
  while (!rest.empty()) {
    const size_t n = rest.size() < piece ? rest.size() : piece;
    decoder.Feed(rest.first(n), frames);
    rest = rest.subspan(n);
  }
  for (const auto& body : frames) {
    if (body.empty() || body.size() > max_body) std::abort();
    FrameDecoder again(max_body);
    std::vector<std::vector<uint8_t>> round;
    again.Feed(EncodeFrame(body), round);
    if (round.size() != 1 || round[0] != body || again.dropped() != 0) std::abort();
  }
  return 0;
}
