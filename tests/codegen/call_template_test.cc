// The graph executor's calls: a node's lowered C becomes text that is the
// same for every model making the same kernel call, with each number,
// buffer and constant read from the blob (codegen/call_template.h).
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <cstring>
#include <limits>

#include "codegen/call_template.h"

namespace kiln {
namespace {

using testing::HasSubstr;

/// t<id> are buffers in pool 0 at offset 16*id, s<k> scratch in pool 1,
/// "weights" a data object; everything else is C.
std::optional<GraphValue> Resolve(std::string_view name) {
  if (name.size() > 1 && name[0] == 't' && std::isdigit(static_cast<unsigned char>(name[1])))
    return GraphValue{kGraphPool, 0, 16 * std::stoll(std::string(name.substr(1))), ""};
  if (name == "s0") return GraphValue{kGraphPool, 1, 0, ""};
  if (name == "weights" || name == "multipliers") return GraphValue{kGraphData, 0, 0, std::string(name)};
  return std::nullopt;
}

bool IsDataArray(std::string_view name) { return name == "multipliers"; }

CallTemplate Make(const std::vector<std::string>& decls, const std::vector<std::string>& statements) {
  auto call = MakeCallTemplate(decls, statements, IsDataArray, Resolve);
  EXPECT_TRUE(call.ok()) << call.message();
  return call.ok() ? *call : CallTemplate{};
}

TEST(CallTemplate, NumbersBuffersAndConstantsBecomeValues) {
  const CallTemplate call =
      Make({"static const int32_t multipliers[2] = {\n  7, -8\n};",
            "static const kiln_x_params_t params = {\n    .window = { .h = 96, .zero_point = -128 },\n"
            "    .scale = 0.5f,\n    .ratio = 2.5,\n    .min = (-2147483647 - 1),\n    .big = INT64_C(-5),\n"
            "    .weights = weights,\n    .bias = NULL,\n    .multipliers = multipliers,\n"
            "    .gemm = kiln_gemm_s8,\n    .inf = -INFINITY,\n};"},
           {"kiln_x(&params, t1, 2304, t2, (int32_t*)(s0));"});
  EXPECT_EQ(call.classes, "iifdiipppfpipp");
  ASSERT_EQ(call.values.size(), 14u);
  EXPECT_EQ(call.values[0].value, 96);
  EXPECT_EQ(call.values[1].value, -128);  // the minus is part of the value
  float half;
  const uint32_t bits = static_cast<uint32_t>(call.values[2].value);
  std::memcpy(&half, &bits, 4);
  EXPECT_EQ(half, 0.5f);
  EXPECT_EQ(call.values[4].value, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(call.values[5].value, -5);
  EXPECT_EQ(call.values[6].kind, kGraphData);
  EXPECT_EQ(call.values[6].data, "weights");
  EXPECT_EQ(call.values[7].kind, kGraphNull);
  EXPECT_EQ(call.values[8].data, "multipliers");
  EXPECT_EQ(call.values[10].value, 16);    // t1
  EXPECT_EQ(call.values[11].value, 2304);  // a literal argument
  EXPECT_EQ(call.values[13].index, 1u);    // s0, in pool 1
  // Kernel functions, types, member names and the params struct stay C.
  EXPECT_THAT(call.body, HasSubstr("const kiln_x_params_t p0 = {"));
  EXPECT_THAT(call.body, HasSubstr(".gemm = kiln_gemm_s8,"));
  EXPECT_THAT(call.body, HasSubstr(".window = { .h = kiln_graph_int(c, 0), .zero_point = kiln_graph_int(c, 1) }"));
  EXPECT_THAT(call.body, HasSubstr("kiln_x(&p0, kiln_graph_ptr(c, 10), kiln_graph_int(c, 11), kiln_graph_ptr(c, 12), "
                                   "(int32_t*)(kiln_graph_ptr(c, 13)));"));
  EXPECT_THAT(call.body, testing::Not(HasSubstr("multipliers[2]")));  // data, not C
}

TEST(CallTemplate, OtherValuesMakeTheSameCall) {
  const CallTemplate a = Make({"static const k_t p = { .a = 3, .b = -1, .w = weights };"}, {"k(&p, t1, t2);"});
  const CallTemplate b = Make({"static const k_t p = { .a = -70, .b = 9, .w = NULL };"}, {"k(&p, t9, t4);"});
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.classes, b.classes);
  EXPECT_EQ(CallHash(a), CallHash(b));
  const CallTemplate other = Make({"static const k_t p = { .a = 3, .b = -1, .w = weights };"}, {"k2(&p, t1, t2);"});
  EXPECT_NE(CallHash(a), CallHash(other));
}

TEST(CallTemplate, ArrayLengthsAndLocalsStayC) {
  const CallTemplate call = Make({"static const k_t p = { .n = 3 };"},
                                 {"{\n  const void* const inputs[3] = {t1, t2, t3};\n  kiln_concat(&p, inputs, t4);\n}",
                                  "if (kiln_gather(&p, t1, t2) != KILN_OK) return KILN_ERROR_INDEX_OUT_OF_RANGE;"});
  EXPECT_THAT(call.body, HasSubstr("const void* const inputs[3] = {kiln_graph_ptr(c, 1)"));
  EXPECT_THAT(call.body, HasSubstr("kiln_concat(&p0, inputs, kiln_graph_ptr(c, 4));"));
  EXPECT_THAT(call.body, HasSubstr("!= KILN_OK) return KILN_ERROR_INDEX_OUT_OF_RANGE;"));
}

TEST(CallTemplate, RefusesWhatItCannotRewrite) {
  auto odd = MakeCallTemplate({"int x;"}, {}, IsDataArray, Resolve);
  ASSERT_FALSE(odd.ok());
  EXPECT_THAT(odd.message(), HasSubstr("a declaration the graph executor cannot take"));
  auto text = MakeCallTemplate({}, {"printf(\"%d\", 1);"}, IsDataArray, Resolve);
  ASSERT_FALSE(text.ok());
  EXPECT_THAT(text.message(), HasSubstr("string"));
}

}  // namespace
}  // namespace kiln
