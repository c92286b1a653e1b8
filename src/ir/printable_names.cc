#include "ir/printable_names.h"

#include <fmt/format.h>

namespace kiln {
namespace {

/// Length of the valid UTF-8 sequence starting at text[i], or 0.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  size_t length = 0;
  uint32_t min_code = 0;
  if (b0 < 0x80) return 1;
  if ((b0 & 0xE0) == 0xC0) length = 2, min_code = 0x80;
  else if ((b0 & 0xF0) == 0xE0) length = 3, min_code = 0x800;
  else if ((b0 & 0xF8) == 0xF0) length = 4, min_code = 0x10000;
  else return 0;
  if (i + length > text.size()) return 0;
  uint32_t code = b0 & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid.
  if (code < min_code || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return 0;
  return length;
}

}  // namespace

std::string PrintableName(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0 || b < 0x20 || b == 0x7F) {
      out += fmt::format("\\x{:02x}", b);
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

void MakeNamesPrintable(Graph* graph) {
  graph->name = PrintableName(graph->name);
  for (Tensor& t : graph->tensors) t.name = PrintableName(t.name);
  for (Node& n : graph->nodes) {
    n.source_op = PrintableName(n.source_op);  // a custom operator's name
    for (auto& [name, value] : n.attrs.values)
      if (auto* text = std::get_if<std::string>(&value)) *text = PrintableName(*text);
  }
}

}  // namespace kiln
