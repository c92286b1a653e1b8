// Text helpers shared by the SVG and HTML renderers: escaping names from a
// model for XML/HTML, and byte counts as people read them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kiln::report {

/// Escapes text for XML and HTML, in element content and in quoted
/// attributes alike. Names come from model files, so anything may be in
/// them: bytes that are not UTF-8, control characters and the characters
/// XML forbids are written as "\xNN", as PrintableName (support/utf8.h)
/// writes them everywhere else; tab, newline and carriage return stay.
std::string EscapeMarkup(std::string_view text);

/// "37,632": an exact count with thousands separators.
std::string GroupDigits(int64_t value);

/// "37,632 B" below 10 KiB, else "36.8 KiB" or "1.50 MiB": for labels.
std::string ShortBytes(int64_t bytes);

}  // namespace kiln::report
