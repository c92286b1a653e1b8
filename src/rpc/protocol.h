// The device protocol's constants on the host side: message types, status
// codes and sizes. They mirror runtime/include/kiln/rpc/server.h (the
// device side, C99); tests/rpc/ checks that the two agree. Specified in
// docs/rpc-protocol.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kiln::rpc {

/// The protocol version this host speaks; INFO must report the same.
inline constexpr uint16_t kProtocolVersion = 1;

inline constexpr uint8_t kFlag = 0x7E;        ///< frame delimiter
inline constexpr uint8_t kEscape = 0x7D;      ///< escape byte
inline constexpr uint8_t kEscapeXor = 0x20;   ///< applied to an escaped byte
inline constexpr size_t kRequestHeader = 3;   ///< type u8, seq u16
inline constexpr size_t kResponseHeader = 6;  ///< type u8, seq u16, status u8, session u16
inline constexpr size_t kCrcSize = 4;
inline constexpr uint8_t kResponseBit = 0x80;
/// SET_INPUT's payload before the data: input index u8, byte offset u32.
inline constexpr size_t kSetInputHeader = 5;
/// Payload limit the host assumes before INFO told it the device's.
inline constexpr size_t kMinMaxPayload = 64;
/// Largest frame body the host decoder accepts (bounds memory on garbage).
inline constexpr size_t kHostMaxBody = kResponseHeader + 65535 + kCrcSize;

/// Request message types; a response carries type | kResponseBit.
enum class MsgType : uint8_t {
  kInfo = 0x01,
  kTensorInfo = 0x02,
  kSetInput = 0x03,
  kRun = 0x04,
  kGetOutput = 0x05,
  kTime = 0x06,
  kProfile = 0x07,
  kReset = 0x08,
  kStack = 0x09,
  kCore = 0x0A,
  kCapture = 0x0B,      ///< debug builds: the window of the tensor stream runs keep
  kCaptureRead = 0x0C,  ///< debug builds: bytes of the kept window
};

/// CORE's architecture byte (runtime/include/kiln/rpc/server.h).
enum class CoreArch : uint8_t {
  kUnknown = 0,
  kArmM = 1,   ///< CPUID, ID_ISAR0, ID_ISAR3, MVFR0, MVFR1
  kRiscV = 2,  ///< misa, mvendorid, marchid, mimpid
};

/// Response status codes.
enum class RpcStatus : uint8_t {
  kOk = 0,
  kUnknownType = 1,
  kBadRequest = 2,
  kOutOfRange = 3,
  kNotAvailable = 4,
  kModelError = 5,
  kNoSession = 6,
};

/// "INFO", "RUN", ... for error messages.
std::string_view MsgTypeName(MsgType type);
/// "ok", "unknown message type", ... for error messages.
std::string_view RpcStatusName(uint8_t status);

}  // namespace kiln::rpc
