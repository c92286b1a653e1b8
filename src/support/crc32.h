// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, zlib's crc32): the
// device protocol's frames and the graph executor's blobs carry it.
#pragma once

#include <cstdint>
#include <span>

namespace kiln {

/// CRC-32 of `data`, continued from `crc` (start with 0).
uint32_t Crc32(std::span<const uint8_t> data, uint32_t crc = 0);

}  // namespace kiln
