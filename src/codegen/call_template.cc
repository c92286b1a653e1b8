#include "codegen/call_template.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "support/fnv1a.h"

namespace kiln {
namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// Rewrites C text token by token; values go to `out`.
class Rewriter {
 public:
  Rewriter(const IdentifierResolver& resolve, const std::map<std::string, std::string>& locals, CallTemplate* out)
      : resolve_(resolve), locals_(locals), out_(out) {}

  Expected<std::string> Rewrite(std::string_view text) {
    std::string result;
    size_t i = 0;
    while (i < text.size()) {
      const char ch = text[i];
      // The two spellings of a minimum integer (c99/c_syntax.h) are one value.
      if (ch == '(') {
        static const std::regex kMin32(R"(^\(-2147483647 - 1\))");
        static const std::regex kMin64(R"(^\(-INT64_C\(9223372036854775807\) - 1\))");
        std::cmatch m;
        const char* begin = text.data() + i;
        const char* end = text.data() + text.size();
        if (std::regex_search(begin, end, m, kMin32) || std::regex_search(begin, end, m, kMin64)) {
          const bool is64 = m.length(0) > 20;
          result += Slot(GraphValue{kGraphInt, 0,
                                    is64 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int32_t>::min(), ""});
          i += static_cast<size_t>(m.length(0));
          continue;
        }
      }
      // A unary minus belongs to the number after it, so that -1 and 1 make
      // the same source.
      bool negative = false;
      size_t start = i;
      if (ch == '-' && UnaryContext(result) && i + 1 < text.size()) {
        size_t j = i + 1;
        while (j < text.size() && text[j] == ' ') ++j;
        if (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) || text.compare(j, 8, "INFINITY") == 0 ||
                                text.compare(j, 8, "INT64_C(") == 0)) {
          negative = true;
          start = j;
        }
      }
      const char c0 = text[start];
      if (std::isdigit(static_cast<unsigned char>(c0)) || (c0 == '.' && start + 1 < text.size() &&
                                                          std::isdigit(static_cast<unsigned char>(text[start + 1])))) {
        size_t j = start;
        while (j < text.size() && (IsIdentChar(text[j]) || text[j] == '.' ||
                                   ((text[j] == '+' || text[j] == '-') && (text[j - 1] == 'e' || text[j - 1] == 'E') &&
                                    text.compare(start, 2, "0x") != 0)))
          ++j;
        const std::string number(text.substr(start, j - start));
        if (LastSignificant(result) == '[') {  // an array length stays C
          result += number;
        } else {
          KILN_ASSIGN_OR_RETURN(GraphValue v, ParseNumber(number, negative));
          result += Slot(v);
        }
        i = j;
        continue;
      }
      if (IsIdentStart(c0)) {
        size_t j = start;
        while (j < text.size() && IsIdentChar(text[j])) ++j;
        const std::string name(text.substr(start, j - start));
        if (name == "INT64_C" && j < text.size() && text[j] == '(') {
          const size_t close = text.find(')', j);
          if (close == std::string_view::npos) return MakeError("unbalanced INT64_C( in '{}'", text);
          KILN_ASSIGN_OR_RETURN(GraphValue v, ParseNumber(std::string(text.substr(j + 1, close - j - 1)), negative));
          result += Slot(v);
          i = close + 1;
          continue;
        }
        if (name == "INFINITY" || name == "NAN") {
          float f = name == "NAN" ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
          if (negative) f = -f;
          uint32_t bits;
          std::memcpy(&bits, &f, 4);
          result += Slot(GraphValue{kGraphF32, 0, bits, ""});
          i = j;
          continue;
        }
        const bool member = LastSignificant(result) == '.';
        if (!member) {
          if (auto local = locals_.find(name); local != locals_.end()) {
            result += local->second;
            i = j;
            continue;
          }
          if (name == "NULL") {
            result += Slot(GraphValue{kGraphNull, 0, 0, ""});
            i = j;
            continue;
          }
          if (std::optional<GraphValue> v = resolve_(name)) {
            result += Slot(*v);
            i = j;
            continue;
          }
        }
        result += name;
        i = j;
        continue;
      }
      if (ch == '"' || ch == '\'') return MakeError("a string or character literal in '{}'", text);
      result += ch;
      ++i;
    }
    return result;
  }

 private:
  static char LastSignificant(const std::string& s) {
    for (size_t k = s.size(); k > 0; --k)
      if (!std::isspace(static_cast<unsigned char>(s[k - 1]))) return s[k - 1];
    return '\0';
  }

  static bool UnaryContext(const std::string& s) {
    const char c = LastSignificant(s);
    return c == '\0' || c == '=' || c == ',' || c == '{' || c == '(' || c == '[';
  }

  static Expected<GraphValue> ParseNumber(const std::string& text, bool negative) {
    const bool hex = text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    const bool is_float = !hex && (text.find_first_of(".eE") != std::string::npos ||
                                   (!text.empty() && (text.back() == 'f' || text.back() == 'F')));
    if (is_float) {
      const bool single = text.back() == 'f' || text.back() == 'F';
      char* end = nullptr;
      const double d = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || (end != text.c_str() + text.size() - (single ? 1 : 0)))
        return MakeError("cannot read the number '{}'", text);
      if (single) {
        const float f = static_cast<float>(negative ? -d : d);
        uint32_t bits;
        std::memcpy(&bits, &f, 4);
        return GraphValue{kGraphF32, 0, bits, ""};
      }
      const double v = negative ? -d : d;
      int64_t bits;
      std::memcpy(&bits, &v, 8);
      return GraphValue{kGraphF64, 0, bits, ""};
    }
    size_t digits = text.size();
    while (digits > 0 && (text[digits - 1] == 'u' || text[digits - 1] == 'U' || text[digits - 1] == 'l' ||
                          text[digits - 1] == 'L'))
      --digits;
    char* end = nullptr;
    const std::string body = text.substr(0, digits);
    errno = 0;
    const unsigned long long u = std::strtoull(body.c_str(), &end, 0);
    if (end != body.c_str() + body.size() || errno != 0) return MakeError("cannot read the number '{}'", text);
    const int64_t v = static_cast<int64_t>(u);
    return GraphValue{kGraphInt, 0, negative ? -v : v, ""};
  }

  std::string Slot(const GraphValue& v) {
    const uint32_t k = static_cast<uint32_t>(out_->values.size());
    out_->values.push_back(v);
    switch (v.kind) {
      case kGraphInt: out_->classes += 'i'; return fmt::format("kiln_graph_int(c, {})", k);
      case kGraphF32: out_->classes += 'f'; return fmt::format("kiln_graph_f32(c, {})", k);
      case kGraphF64: out_->classes += 'd'; return fmt::format("kiln_graph_f64(c, {})", k);
      default: out_->classes += 'p'; return fmt::format("kiln_graph_ptr(c, {})", k);
    }
  }

  const IdentifierResolver& resolve_;
  const std::map<std::string, std::string>& locals_;
  CallTemplate* out_;
};

}  // namespace

Expected<CallTemplate> MakeCallTemplate(const std::vector<std::string>& declarations,
                                        const std::vector<std::string>& statements,
                                        const std::function<bool(std::string_view)>& is_data_array,
                                        const IdentifierResolver& resolve) {
  static const std::regex kStruct(R"(^static const ([A-Za-z_][A-Za-z0-9_]*) ([A-Za-z_][A-Za-z0-9_]*) = ([\s\S]*);\s*$)");
  static const std::regex kArray(R"(^static const [A-Za-z_][A-Za-z0-9_]* ([A-Za-z_][A-Za-z0-9_]*)\[)");
  CallTemplate call;
  std::map<std::string, std::string> locals;  // params struct -> its local in the entry point
  Rewriter rewriter(resolve, locals, &call);
  call.body = "  (void)c;\n";
  for (const std::string& decl : declarations) {
    std::smatch m;
    if (std::regex_search(decl, m, kArray) && is_data_array(m[1].str())) continue;
    if (!std::regex_match(decl, m, kStruct)) return MakeError("a declaration the graph executor cannot take: {}", decl);
    KILN_ASSIGN_OR_RETURN(std::string init, rewriter.Rewrite(m[3].str()));
    const std::string local = fmt::format("p{}", locals.size());
    call.body += fmt::format("  const {} {} = {};\n", m[1].str(), local, init);
    locals[m[2].str()] = local;
  }
  for (const std::string& s : statements) {
    KILN_ASSIGN_OR_RETURN(std::string text, rewriter.Rewrite(s));
    call.body += "  " + text + "\n";
  }
  call.body += "  return KILN_OK;\n";
  return call;
}

uint64_t CallHash(const CallTemplate& call) {
  return Fnv1a64(call.classes, Fnv1a64("|", Fnv1a64(call.body)));
}

}  // namespace kiln
