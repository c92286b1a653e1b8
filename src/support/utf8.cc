#include "support/utf8.h"

#include <fmt/format.h>

namespace kiln {

size_t Utf8SequenceLength(std::string_view text, size_t i, uint32_t* code_out) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  size_t length = 0;
  uint32_t code = 0;
  if (lead < 0x80) {
    length = 1, code = lead;
  } else {
    if (lead >= 0xC2 && lead <= 0xDF) length = 2, code = lead & 0x1F;
    else if (lead >= 0xE0 && lead <= 0xEF) length = 3, code = lead & 0x0F;
    else if (lead >= 0xF0 && lead <= 0xF4) length = 4, code = lead & 0x07;
    else return 0;
    if (i + length > text.size()) return 0;
    for (size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return 0;
      code = (code << 6) | (byte(i + k) & 0x3F);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000)) return 0;  // overlong
    if (code >= 0xD800 && code <= 0xDFFF) return 0;
    if (code > 0x10FFFF) return 0;
  }
  if (code_out != nullptr) *code_out = code;
  return length;
}

std::string PrintableName(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    uint32_t code = 0;
    const size_t length = Utf8SequenceLength(text, i, &code);
    // U+FFFE and U+FFFF are not characters (XML refuses them).
    if (length == 0 || b < 0x20 || b == 0x7F || code == 0xFFFE || code == 0xFFFF) {
      out += fmt::format("\\x{:02x}", b);
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string PrintableExcerpt(std::string_view text, size_t max_bytes) {
  return text.size() > max_bytes ? PrintableName(text.substr(0, max_bytes)) + "..." : PrintableName(text);
}

}  // namespace kiln
