// UTF-8 well-formedness, for the places that take arbitrary bytes from a
// model file and must print or write valid text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kiln {

/// Length (1 to 4) of the well-formed UTF-8 sequence at text[i], or 0 when
/// it is not one (overlong forms, surrogates and code points past U+10FFFF
/// included). `code`, when given, receives the code point.
size_t Utf8SequenceLength(std::string_view text, size_t i, uint32_t* code = nullptr);

}  // namespace kiln
