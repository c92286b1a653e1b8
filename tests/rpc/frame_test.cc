// Frame encoding and decoding of the device protocol (src/rpc/frame.h):
// exact bytes on the wire, round trips, resynchronisation after noise, and
// agreement between the host's and the device's CRC and constants.
#include <gtest/gtest.h>

#include <random>

#include "ir/dtype.h"
#include "kiln/rpc/server.h"
#include "rpc/frame.h"
#include "rpc/protocol.h"

namespace kiln::rpc {
namespace {

std::vector<std::vector<uint8_t>> DecodeAll(const std::vector<uint8_t>& wire, FrameDecoder& d) {
  std::vector<std::vector<uint8_t>> frames;
  d.Feed(wire, frames);
  return frames;
}

TEST(RpcFrameTest, Crc32MatchesTheStandardCheckValue) {
  const std::string check = "123456789";
  const std::vector<uint8_t> bytes(check.begin(), check.end());
  EXPECT_EQ(Crc32(bytes), 0xCBF43926u);  // the CRC-32/ISO-HDLC check value
  EXPECT_EQ(kiln_rpc_crc32(0, bytes.data(), bytes.size()), 0xCBF43926u);
  // Continuation gives the same as one pass, on both sides.
  EXPECT_EQ(Crc32(std::span(bytes).subspan(4), Crc32(std::span(bytes).first(4))), 0xCBF43926u);
  EXPECT_EQ(kiln_rpc_crc32(kiln_rpc_crc32(0, bytes.data(), 4), bytes.data() + 4, 5), 0xCBF43926u);
}

TEST(RpcFrameTest, HostAndDeviceConstantsAgree) {
  EXPECT_EQ(kProtocolVersion, KILN_RPC_PROTOCOL_VERSION);
  EXPECT_EQ(kFlag, KILN_RPC_FLAG);
  EXPECT_EQ(kEscape, KILN_RPC_ESCAPE);
  EXPECT_EQ(kEscapeXor, KILN_RPC_ESCAPE_XOR);
  EXPECT_EQ(kRequestHeader, static_cast<size_t>(KILN_RPC_REQUEST_HEADER));
  EXPECT_EQ(kResponseHeader, static_cast<size_t>(KILN_RPC_RESPONSE_HEADER));
  EXPECT_EQ(kResponseBit, KILN_RPC_RESPONSE_BIT);
  EXPECT_EQ(static_cast<int>(MsgType::kInfo), KILN_RPC_INFO);
  EXPECT_EQ(static_cast<int>(MsgType::kTensorInfo), KILN_RPC_TENSOR_INFO);
  EXPECT_EQ(static_cast<int>(MsgType::kSetInput), KILN_RPC_SET_INPUT);
  EXPECT_EQ(static_cast<int>(MsgType::kRun), KILN_RPC_RUN);
  EXPECT_EQ(static_cast<int>(MsgType::kGetOutput), KILN_RPC_GET_OUTPUT);
  EXPECT_EQ(static_cast<int>(MsgType::kTime), KILN_RPC_TIME);
  EXPECT_EQ(static_cast<int>(MsgType::kProfile), KILN_RPC_PROFILE);
  EXPECT_EQ(static_cast<int>(MsgType::kReset), KILN_RPC_RESET);
  EXPECT_EQ(static_cast<int>(RpcStatus::kModelError), KILN_RPC_MODEL_ERROR);
  EXPECT_EQ(static_cast<int>(RpcStatus::kNotAvailable), KILN_RPC_NOT_AVAILABLE);
  EXPECT_EQ(static_cast<int>(RpcStatus::kNoSession), KILN_RPC_NO_SESSION);
  EXPECT_EQ(static_cast<int>(DType::kFloat32), KILN_RPC_FLOAT32);
  EXPECT_EQ(static_cast<int>(DType::kInt8), KILN_RPC_INT8);
  EXPECT_EQ(static_cast<int>(DType::kBool), KILN_RPC_BOOL);
}

TEST(RpcFrameTest, ExactEncodingOfAnInfoRequest) {
  // INFO, seq 0x0102, session 0x7E7D: the session bytes need escaping.
  const std::vector<uint8_t> body = {0x01, 0x02, 0x01, 0x7D, 0x7E};
  const uint32_t crc = Crc32(body);
  std::vector<uint8_t> expected = {0x7E, 0x01, 0x02, 0x01, 0x7D, 0x5D, 0x7D, 0x5E};
  for (int i = 0; i < 4; ++i) {
    const uint8_t b = static_cast<uint8_t>(crc >> (8 * i));
    if (b == 0x7E || b == 0x7D) {
      expected.push_back(0x7D);
      expected.push_back(b ^ 0x20);
    } else {
      expected.push_back(b);
    }
  }
  expected.push_back(0x7E);
  EXPECT_EQ(EncodeFrame(body), expected);
}

TEST(RpcFrameTest, ExactEncodingOfAnEmptyBody) {
  // CRC-32 of nothing is 0: the frame is the two flags around four zeros.
  EXPECT_EQ(EncodeFrame({}), (std::vector<uint8_t>{0x7E, 0, 0, 0, 0, 0x7E}));
}

TEST(RpcFrameTest, RoundTripsEveryByteValue) {
  std::vector<uint8_t> body(256);
  for (int i = 0; i < 256; ++i) body[i] = static_cast<uint8_t>(i);
  FrameDecoder d(1024);
  const auto frames = DecodeAll(EncodeFrame(body), d);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], body);
  EXPECT_EQ(d.dropped(), 0u);
}

TEST(RpcFrameTest, DecodesByteByByteAndBackToBack) {
  std::vector<uint8_t> wire;
  for (int f = 0; f < 3; ++f) {
    auto e = EncodeFrame(std::vector<uint8_t>(10 + f, static_cast<uint8_t>(0x7C + f)));
    wire.insert(wire.end(), e.begin(), e.end());
  }
  FrameDecoder d(64);
  std::vector<std::vector<uint8_t>> frames;
  for (uint8_t b : wire) d.Feed(std::span(&b, 1), frames);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[2], std::vector<uint8_t>(12, 0x7E));
}

TEST(RpcFrameTest, DropsCorruptFramesAndResynchronises) {
  const std::vector<uint8_t> body = {1, 2, 3, 4, 5, 6};
  auto good = EncodeFrame(body);
  auto bad = good;
  bad[3] ^= 0x01;                           // flipped bit: CRC fails
  std::vector<uint8_t> noise = {9, 9, 0x7D};  // garbage ending in a dangling escape
  std::vector<uint8_t> wire = noise;
  wire.insert(wire.end(), bad.begin(), bad.end());
  wire.insert(wire.end(), good.begin(), good.end());
  FrameDecoder d(64);
  const auto frames = DecodeAll(wire, d);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], body);
  EXPECT_EQ(d.dropped(), 2u);  // the noise and the corrupt frame
}

TEST(RpcFrameTest, RejectsBadEscapesTooShortAndOversizedFrames) {
  FrameDecoder d(8);
  // An escape of an ordinary byte is invalid.
  EXPECT_TRUE(DecodeAll({0x7E, 0x7D, 0x41, 0, 0, 0, 0, 0x7E}, d).empty());
  // Fewer than the 4 CRC bytes.
  EXPECT_TRUE(DecodeAll({0x7E, 1, 2, 0x7E}, d).empty());
  // A valid frame over the limit.
  EXPECT_TRUE(DecodeAll(EncodeFrame(std::vector<uint8_t>(9, 1)), d).empty());
  EXPECT_EQ(d.dropped(), 3u);
  // The limit itself passes.
  EXPECT_EQ(DecodeAll(EncodeFrame(std::vector<uint8_t>(8, 1)), d).size(), 1u);
}

TEST(RpcFrameTest, RandomBodiesRoundTripThroughNoise) {
  std::mt19937 rng(1234);
  FrameDecoder d(300);
  for (int i = 0; i < 200; ++i) {
    std::vector<uint8_t> body(1 + rng() % 299);  // every real frame has a header byte
    for (auto& b : body) b = static_cast<uint8_t>(rng() % 4 == 0 ? 0x7E - (rng() & 1) : rng());
    std::vector<uint8_t> wire(rng() % 5, 0x7E);  // idle flags
    auto e = EncodeFrame(body);
    wire.insert(wire.end(), e.begin(), e.end());
    const auto frames = DecodeAll(wire, d);
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0], body);
  }
  EXPECT_EQ(d.dropped(), 0u);
}

}  // namespace
}  // namespace kiln::rpc
