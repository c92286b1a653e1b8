// Small pieces of C99 syntax that every generator of C in Kiln needs (the
// kernels' lowering, the model's code, the device protocol glue, the MLF
// checks): identifiers made from arbitrary tensor names, literals that
// round-trip exactly, and array initializers laid out for reading. It sits
// below all of them and knows only the IR's types.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ir/graph.h"

namespace kiln {

/// A valid C identifier from any text: non-alphanumerics become '_', a
/// leading digit or a C keyword gets a '_' prefix; empty becomes `fallback`.
std::string CIdentifier(std::string_view text, std::string_view fallback);

/// True when `name` is a valid C identifier (used to validate --module-name).
bool IsCIdentifier(std::string_view name);

/// Text safe inside a /* */ comment.
std::string CommentSafe(std::string_view text);

/// A C string literal holding exactly the bytes of `text` (names come from
/// model files: quotes, backslashes, '?' and every byte outside printable
/// ASCII are escaped).
std::string CStringLiteral(std::string_view text);

/// An integer literal of the given C type that is exact on every target
/// (e.g. INT32_MIN is written as (-2147483647 - 1)).
std::string CIntLiteral(int64_t value, DType dtype);

/// A float literal that round-trips to the same float ("1.5f", "INFINITY").
std::string CFloatLiteral(float value);
/// A double literal that round-trips to the same double ("1.5", "INFINITY").
std::string CDoubleLiteral(double value);

/// "{\n  1, 2, 3,\n  ...}" with `per_line` values a line.
std::string CIntInitializer(std::span<const int64_t> values, DType dtype, int per_line = 16);

/// The initializer for a constant tensor's data.
std::string CTensorInitializer(const Tensor& tensor);

/// One designated initializer of a struct: {"field", "C value"}.
using CField = std::pair<std::string, std::string>;

/// "{\n    .a = 1,\n    ...\n}": a struct's designated initializers.
std::string CStructInitializer(const std::vector<CField>& fields);

/// "static const <type> <name> = {\n    .a = 1,\n    ...\n};": how every
/// lowering declares a kernel's params.
std::string StaticConstStruct(std::string_view type, std::string_view name, const std::vector<CField>& fields);

}  // namespace kiln
