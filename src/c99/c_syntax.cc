#include "c99/c_syntax.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

namespace kiln {
namespace {

constexpr std::array<std::string_view, 37> kCKeywords = {
    "auto",     "break",    "case",     "char",   "const",    "continue", "default", "do",
    "double",   "else",     "enum",     "extern", "float",    "for",      "goto",    "if",
    "inline",   "int",      "long",     "register", "restrict", "return", "short",   "signed",
    "sizeof",   "static",   "struct",   "switch", "typedef",  "union",    "unsigned", "void",
    "volatile", "while",    "_Bool",    "_Complex", "_Imaginary"};

bool IsKeyword(std::string_view s) {
  for (std::string_view k : kCKeywords) {
    if (k == s) return true;
  }
  return false;
}

}  // namespace

std::string CIdentifier(std::string_view text, std::string_view fallback) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  // Collapse runs of '_' that punctuation produced, for readability.
  std::string collapsed;
  for (char c : out) {
    if (c == '_' && !collapsed.empty() && collapsed.back() == '_') continue;
    collapsed += c;
  }
  while (!collapsed.empty() && collapsed.back() == '_') collapsed.pop_back();
  if (collapsed.empty()) return std::string(fallback);
  if (std::isdigit(static_cast<unsigned char>(collapsed[0])) || IsKeyword(collapsed))
    collapsed = "_" + collapsed;
  return collapsed;
}

bool IsCIdentifier(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return !IsKeyword(name);
}

std::string CommentSafe(std::string_view text) {
  std::string out(text);
  for (size_t pos; (pos = out.find("*/")) != std::string::npos;) out.replace(pos, 2, "*_/");
  for (size_t pos; (pos = out.find("/*")) != std::string::npos;) out.replace(pos, 2, "/_*");
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

std::string CStringLiteral(std::string_view text) {
  std::string out(1, '"');
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c >= 0x20 && c < 0x7F && c != '?') {  // '?' would risk trigraphs
      out.push_back(static_cast<char>(c));
    } else {
      out.append(fmt::format("\\{:03o}", c));
    }
  }
  out.push_back('"');
  return out;
}

std::string CIntLiteral(int64_t value, DType dtype) {
  if (dtype == DType::kInt64) {
    if (value == INT64_MIN) return "(-INT64_C(9223372036854775807) - 1)";
    return fmt::format("INT64_C({})", value);
  }
  if (value == INT32_MIN) return "(-2147483647 - 1)";
  return std::to_string(value);
}

std::string CFloatLiteral(float value) {
  if (std::isnan(value)) return "NAN";
  if (std::isinf(value)) return value > 0 ? "INFINITY" : "-INFINITY";
  std::string s = fmt::format("{:.9g}", value);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

std::string CDoubleLiteral(double value) {
  if (std::isnan(value)) return "NAN";
  if (std::isinf(value)) return value > 0 ? "INFINITY" : "-INFINITY";
  std::string s = fmt::format("{:.17g}", value);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string CIntInitializer(std::span<const int64_t> values, DType dtype, int per_line) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i % static_cast<size_t>(per_line) == 0) out += "\n  ";
    out += CIntLiteral(values[i], dtype);
    if (i + 1 < values.size()) out += (i + 1) % static_cast<size_t>(per_line) == 0 ? "," : ", ";
  }
  return out + "\n}";
}

std::string CTensorInitializer(const Tensor& t) {
  const int64_t n = t.num_elements();
  if (t.dtype == DType::kFloat32 || t.dtype == DType::kFloat64) {
    std::string out = "{";
    for (int64_t i = 0; i < n; ++i) {
      if (i % 8 == 0) out += "\n  ";
      if (t.dtype == DType::kFloat32) {
        out += CFloatLiteral(t.float_at(i));
      } else {
        double d;
        std::memcpy(&d, t.data.data() + i * 8, 8);
        out += CDoubleLiteral(d);
      }
      if (i + 1 < n) out += (i + 1) % 8 == 0 ? "," : ", ";
    }
    return out + "\n}";
  }
  std::vector<int64_t> values(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) values[static_cast<size_t>(i)] = t.int_at(i);
  return CIntInitializer(values, t.dtype, t.dtype == DType::kInt8 || t.dtype == DType::kUInt8 ? 20 : 12);
}

std::string CStructInitializer(const std::vector<CField>& fields) {
  std::string s = "{\n";
  for (const CField& f : fields) s += fmt::format("    .{} = {},\n", f.first, f.second);
  return s + "}";
}

std::string StaticConstStruct(std::string_view type, std::string_view name, const std::vector<CField>& fields) {
  return fmt::format("static const {} {} = {};", type, name, CStructInitializer(fields));
}

}  // namespace kiln
