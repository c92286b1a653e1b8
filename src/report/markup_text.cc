#include "report/markup_text.h"

#include <fmt/format.h>

#include "support/utf8.h"

namespace kiln::report {
std::string EscapeMarkup(std::string_view text) {
  // Names read as they do everywhere else (PrintableName: bad bytes and
  // control characters as \xNN), markup keeps its whitespace, and the five
  // characters XML reserves become entities.
  std::string out;
  out.reserve(text.size());
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    const bool whitespace = i < text.size() && (text[i] == '\t' || text[i] == '\n' || text[i] == '\r');
    if (i < text.size() && !whitespace) continue;
    for (const char c : PrintableName(text.substr(start, i - start))) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
      }
    }
    if (whitespace) out += text[i];
    start = i + 1;
  }
  return out;
}

std::string GroupDigits(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -static_cast<uint64_t>(value) : static_cast<uint64_t>(value));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string ShortBytes(int64_t bytes) {
  const double magnitude = bytes < 0 ? -static_cast<double>(bytes) : static_cast<double>(bytes);
  if (magnitude < 10 * 1024) return GroupDigits(bytes) + " B";
  if (magnitude < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.2f} MiB", static_cast<double>(bytes) / (1024 * 1024));
}

}  // namespace kiln::report
