// UTF-8 well-formedness, for the places that take arbitrary bytes from a
// model file and must print or write valid text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kiln {

/// Length (1 to 4) of the well-formed UTF-8 sequence at text[i], or 0 when
/// it is not one (overlong forms, surrogates and code points past U+10FFFF
/// included). `code`, when given, receives the code point.
size_t Utf8SequenceLength(std::string_view text, size_t i, uint32_t* code = nullptr);

/// `text` with every byte that is not part of a valid UTF-8 sequence, every
/// control character and the noncharacters U+FFFE and U+FFFF written as
/// the four characters "\xNN" per byte.
/// Printable text, including multi-byte UTF-8, is unchanged. Every name
/// from outside (a model, an archive) is printed or written through it.
std::string PrintableName(std::string_view text);

/// The first `max_bytes` of `text` (then "..."), through PrintableName:
/// for quoting what another program sent in a message.
std::string PrintableExcerpt(std::string_view text, size_t max_bytes = 200);

}  // namespace kiln
