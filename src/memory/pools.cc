#include "memory/pools.h"

#include <cctype>
#include <charconv>

#include "memory/memory_plan.h"
#include "support/byte_size.h"

namespace kiln {
namespace {

bool IsIdentifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

}  // namespace

Expected<PoolSpec> ParsePoolSpec(std::string_view text) {
  PoolSpec spec;
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos)
    return MakeError("--pool '{}': expected NAME:SIZE[:ro][:align=N] (e.g. sram:65536, flash:1M:ro, sram:64K:align=32)",
                     text);
  spec.name = std::string(text.substr(0, colon));
  if (!IsIdentifier(spec.name))
    return MakeError("--pool '{}': the name '{}' must be a C identifier (letters, digits, '_')", text, spec.name);
  std::string_view size = text.substr(colon + 1);
  std::string_view options;
  if (const size_t more = size.find(':'); more != std::string_view::npos) {
    options = size.substr(more + 1);
    size = size.substr(0, more);
  }
  while (!options.empty()) {
    const size_t next = options.find(':');
    const std::string_view option = options.substr(0, next);
    options = next == std::string_view::npos ? std::string_view() : options.substr(next + 1);
    if (option == "ro") {
      spec.read_only = true;
      continue;
    }
    int64_t alignment = 0;
    if (option.starts_with("align=")) {
      const std::string_view digits = option.substr(6);
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), alignment);
      if (ec != std::errc() || end != digits.data() + digits.size() || alignment < 16 || alignment > 4096 ||
          (alignment & (alignment - 1)) != 0)
        return MakeError("--pool '{}': align= must be a power of two from 16 to 4096", text);
      spec.alignment = alignment;
      continue;
    }
    return MakeError("--pool '{}': unknown option '{}' (expected ro or align=N)", text, option);
  }
  auto capacity = ParseByteSize(size);
  if (!capacity.ok())
    return MakeError("--pool '{}': the size must be a positive number of bytes (K and M suffixes allowed)", text);
  spec.capacity = *capacity;
  return spec;
}

int64_t PoolAlignment(const PoolOptions& options, std::string_view pool) {
  for (const PoolSpec& p : options.pools)
    if (p.name == pool) return p.alignment;
  return kPoolAlignment;
}

Expected<std::pair<std::string, std::string>> ParsePin(std::string_view text) {
  const size_t eq = text.rfind('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
    return MakeError("--pin '{}': expected KEY=POOL (KEY: a tensor name, %<id>, op:CLASS or scratch)", text);
  std::string key(text.substr(0, eq));
  if (key == "op:") return MakeError("--pin '{}': op: needs an operator class, e.g. op:CONV_2D", text);
  return std::pair{key, std::string(text.substr(eq + 1))};
}

const std::string* FindPin(const std::map<std::string, std::string>& pins, const Buffer& b, std::string* key) {
  const bool scratch = b.kind == Buffer::Kind::kScratch;
  for (const std::string& k : {b.name, b.tensor_name, b.op.empty() ? std::string() : "op:" + b.op,
                               scratch ? std::string("scratch") : std::string()}) {
    if (k.empty()) continue;
    auto it = pins.find(k);
    if (it == pins.end()) continue;
    if (key != nullptr) *key = k;
    return &it->second;
  }
  return nullptr;
}

}  // namespace kiln
