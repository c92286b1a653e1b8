#include "kernels/specialise.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace kiln {
namespace {

/// The runtime kernels whose body is inline (kiln/kernels/<variant>_inline.h).
constexpr std::string_view kInlineBodies[] = {
    "gemm_s8", "gemm_s8_dsp",  "depthwise_conv2d_s8_planar_dsp",  "depthwise_conv2d_s8_dsp", "conv2d_s8_direct_dsp",
    "pool2d_s8_dsp", "gemm_s8_rv32", "gemm_s8_tiled", "depthwise_conv2d_s8_tiled", "conv2d_s8_im2col_tiled", "depthwise_conv2d_s8_planar_rv32",
    "conv2d_s8_direct_rv32"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

/// `list` split at its commas outside braces and parentheses, empty parts
/// (a trailing comma) left out.
std::vector<std::string_view> SplitTopLevel(std::string_view list) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= list.size(); ++i) {
    const char c = i < list.size() ? list[i] : ',';
    if (c == '{' || c == '(') ++depth;
    if (c == '}' || c == ')') --depth;
    if (c == ',' && depth == 0) {
      const std::string_view part = Trim(list.substr(start, i - start));
      if (!part.empty()) parts.push_back(part);
      start = i + 1;
    }
  }
  return parts;
}

bool IsNumberLiteral(std::string_view v) {
  if (!v.empty() && v.front() == '-') v.remove_prefix(1);
  return !v.empty() && std::isdigit(static_cast<unsigned char>(v.front()));
}

/// "-12", "2304": an argument that is nothing but an integer.
bool IsIntegerLiteral(std::string_view v) {
  if (!v.empty() && v.front() == '-') v.remove_prefix(1);
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

/// `value` (a field's initializer) as the shaped function writes it: a
/// number stays, a struct is shaped field by field, anything else is the
/// same field of the layer's params, `access`. A struct's fields are
/// `prefix` + their name.
std::string ShapeValue(std::string_view value, const std::string& access, const std::string& prefix) {
  value = Trim(value);
  if (value.empty() || value.front() != '{') return IsNumberLiteral(value) ? std::string(value) : access;
  std::string out = "{";
  const char* separator = " ";
  for (std::string_view field : SplitTopLevel(value.substr(1, value.size() - 2))) {
    const size_t eq = field.find('=');
    const std::string name(Trim(field.substr(1, eq - 1)));  // after the '.'
    out += fmt::format("{}.{} = {}", separator, name,
                       ShapeValue(field.substr(eq + 1), prefix + name, prefix + name + "."));
    separator = ", ";
  }
  return out + " }";
}

/// "const int8_t* input" -> "input".
std::string_view ParameterName(std::string_view parameter) {
  size_t begin = parameter.size();
  while (begin > 0 && (std::isalnum(static_cast<unsigned char>(parameter[begin - 1])) || parameter[begin - 1] == '_'))
    --begin;
  return parameter.substr(begin);
}

/// What the shaped function passes its inline body: each parameter by name,
/// except where the call's argument is a number (a gemm's row count), which
/// is compiled in like the params' sizes: a batch-1 fully connected layer
/// then loses the blocked-rows loop, its code and its stack frame.
/// `unused` gets a "(void)name;" line per parameter compiled in.
std::string InlineArguments(const KernelCall& call, std::string& unused) {
  std::string out;
  const std::vector<std::string_view> parameters = SplitTopLevel(call.parameters);
  for (size_t i = 0; i < parameters.size(); ++i) {
    const std::string_view name = ParameterName(parameters[i]);
    const bool literal = i < call.arguments.size() && IsIntegerLiteral(call.arguments[i]);
    if (literal) unused += fmt::format("  (void){};\n", name);
    out += fmt::format("{}{}", out.empty() ? "" : ", ", literal ? call.arguments[i] : std::string(name));
  }
  return out;
}

}  // namespace

std::string ShapeInitializer(std::string_view initializer, std::string_view source) {
  return ShapeValue(initializer, std::string(source), std::string(source));
}

void EmitKernelCall(LoweringContext& ctx, const KernelCall& call) {
  const std::string params = ctx.unique_name(call.params_stem);
  ctx.declare(fmt::format("static const {} {} = {};", call.params_type, params, call.initializer));
  std::string function = call.entry;
  const bool inline_body = std::find(std::begin(kInlineBodies), std::end(kInlineBodies), call.variant) !=
                           std::end(kInlineBodies);
  if (ctx.specialises_kernels() && inline_body) {
    const std::string shaped = ShapeInitializer(call.initializer, "params->");
    std::string unused = shaped.find("params->") == std::string::npos ? "  (void)params;\n" : "";
    const std::string arguments = InlineArguments(call, unused);
    const std::string shared = ctx.shared_function(
        call.variant, call.entry + "_shaped",
        fmt::format("/* {0} with the layer's shape compiled in (kernels/specialise.h). */\n"
                    "{7}{1}(const {2}* params, {3}) {{\n"
                    "  const {2} shaped = {4};\n{5}"
                    "  {0}_inline(&shaped, {6});\n}}",
                    call.entry, kSharedFunctionName, call.params_type, call.parameters, shaped, unused, arguments,
                    kShapedFunctionHead));
    if (!shared.empty()) function = shared;
  }
  std::string arguments;
  for (const std::string& a : call.arguments) arguments += ", " + a;
  ctx.statement(fmt::format("{}(&{}{});", function, params, arguments));
}

}  // namespace kiln
