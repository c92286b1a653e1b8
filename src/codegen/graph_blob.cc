#include "codegen/graph_blob.h"

#include <cstring>

#include "support/crc32.h"

namespace kiln {
namespace {

constexpr size_t kHeaderBytes = 72;  // KILN_GRAPH_HEADER_BYTES
constexpr size_t kAlignment = 16;    // KILN_GRAPH_ALIGNMENT

void PutU32(std::string& out, size_t at, uint64_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

void AppendU32(std::string& out, uint64_t v) {
  out.resize(out.size() + 4);
  PutU32(out, out.size() - 4, v);
}

void AppendU64(std::string& out, uint64_t v) {
  AppendU32(out, v & 0xffffffffu);
  AppendU32(out, v >> 32);
}

void Align(std::string& out) { out.resize((out.size() + kAlignment - 1) / kAlignment * kAlignment, '\0'); }

}  // namespace

Expected<std::string> WriteGraphBlob(const GraphBlobContents& c) {
  // Data objects first in the data region, each aligned, by name.
  std::map<std::string, uint64_t> data_offset;
  std::string data;
  for (const auto& [name, bytes] : c.data) {
    Align(data);
    data_offset[name] = data.size();
    data.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  size_t value_count = 0;
  for (const GraphOp& op : c.ops) value_count += op.values.size();

  std::string out(kHeaderBytes, '\0');
  std::memcpy(out.data(), "KILNGRPH", 8);
  PutU32(out, 8, 2);  // KILN_GRAPH_FORMAT_VERSION
  PutU32(out, 20, c.pool_sizes.size());
  PutU32(out, 24, c.ops.size());
  PutU32(out, 28, value_count);
  PutU32(out, 32, c.input_bytes.size());
  PutU32(out, 36, c.output_bytes.size());
  PutU32(out, 40, c.resets.size());

  PutU32(out, 44, out.size());
  for (uint32_t size : c.pool_sizes) AppendU32(out, size);
  PutU32(out, 48, out.size());
  uint64_t first = 0;
  for (const GraphOp& op : c.ops) {
    AppendU64(out, op.hash);
    AppendU32(out, first);
    AppendU32(out, op.values.size());
    first += op.values.size();
  }
  PutU32(out, 52, out.size());
  for (const GraphOp& op : c.ops)
    for (const GraphValue& v : op.values) {
      AppendU32(out, v.kind);
      AppendU32(out, v.index);
      uint64_t value = static_cast<uint64_t>(v.value);
      if (v.kind == kGraphData) {
        auto it = data_offset.find(v.data);
        if (it == data_offset.end()) return MakeError("graph blob: no data object '{}'", v.data);
        value = it->second;
      }
      AppendU64(out, value);
    }
  PutU32(out, 56, out.size());
  for (uint32_t b : c.input_bytes) AppendU32(out, b);
  for (uint32_t b : c.output_bytes) AppendU32(out, b);
  PutU32(out, 60, out.size());
  for (const GraphReset& r : c.resets) {
    AppendU32(out, r.pool);
    AppendU32(out, r.offset);
    AppendU32(out, r.size);
    if (r.data.empty()) {
      AppendU32(out, r.fill);
      continue;
    }
    // A copy: bit 31 set, the data object's offset below it.
    auto it = data_offset.find(r.data);
    if (it == data_offset.end()) return MakeError("graph blob: no data object '{}'", r.data);
    if (it->second >= 0x80000000u) return MakeError("graph blob: data object '{}' lies past 2 GiB", r.data);
    AppendU32(out, 0x80000000u | it->second);
  }
  Align(out);
  PutU32(out, 64, out.size());
  PutU32(out, 68, data.size());
  out += data;
  if (out.size() > 0xffffffffu) return MakeError("the graph blob would be {} bytes, over 4 GiB", out.size());
  PutU32(out, 12, out.size());
  PutU32(out, 16, Crc32(std::span(reinterpret_cast<const uint8_t*>(out.data()) + 20, out.size() - 20)));
  return out;
}

}  // namespace kiln
