#include "footprint/codegen_cost.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace kiln::footprint {
namespace {

constexpr int kCalibrationFunctions = 40;
constexpr int kMaxArity = 8;

/// Deterministic: the same calibration module on every machine.
struct Lcg {
  uint32_t state = 12345;
  uint32_t Next(uint32_t n) {
    state = state * 1664525u + 1013904223u;
    return (state >> 8) % n;
  }
};

std::vector<double> RunFeatures(const RunShape& s) {
  std::vector<double> f = {1, static_cast<double>(s.calls.size()), 0, 0, 0, 0, s.state_check ? 1.0 : 0.0};
  for (const CallSite& c : s.calls)
    f[2] += c.pool + 0.5 * c.repeated, f[3] += c.address, f[4] += c.io, f[5] += c.integer + 0.5 * c.repeated;
  return f;
}

/// Least squares by the normal equations (a handful of unknowns); a
/// feature no sample varies gets coefficient 0.
std::vector<double> LeastSquares(const std::vector<std::vector<double>>& x, const std::vector<double>& y) {
  const size_t n = x.empty() ? 0 : x[0].size();
  std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0.0));
  for (size_t r = 0; r < x.size(); ++r)
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < n; ++j) a[i][j] += x[r][i] * x[r][j];
      a[i][n] += x[r][i] * y[r];
    }
  for (size_t i = 0; i < n; ++i) a[i][i] += 1e-9;  // keeps an unused feature solvable
  for (size_t c = 0; c < n; ++c) {
    size_t pivot = c;
    for (size_t r = c + 1; r < n; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
    std::swap(a[c], a[pivot]);
    if (std::fabs(a[c][c]) < 1e-12) continue;
    for (size_t r = 0; r < n; ++r) {
      if (r == c) continue;
      const double k = a[r][c] / a[c][c];
      for (size_t j = c; j <= n; ++j) a[r][j] -= k * a[c][j];
    }
  }
  std::vector<double> out(n, 0.0);
  for (size_t i = 0; i < n; ++i) out[i] = std::fabs(a[i][i]) < 1e-12 ? 0.0 : a[i][n] / a[i][i];
  return out;
}

int StackArgs(const RunShape& s, int arg_registers) {
  int most = 0;
  for (const CallSite& c : s.calls) most = std::max(most, c.args() - arg_registers);
  return most;
}

}  // namespace

int64_t CodegenCost::RunTextBytes(const RunShape& shape) const {
  const std::vector<double> f = RunFeatures(shape);
  double bytes = 0;
  for (size_t i = 0; i < f.size() && i < run_text.size(); ++i) bytes += f[i] * run_text[i];
  return std::max<int64_t>(0, std::llround(bytes));
}

int64_t CodegenCost::ResetTextBytes(int loops) const {
  if (reset_text.size() < 2) return 0;
  return std::max<int64_t>(0, std::llround(reset_text[0] + reset_text[1] * loops));
}

int64_t CodegenCost::CallBytes(const CallSite& c) const {
  if (run_text.size() < 6) return 0;
  return std::llround(run_text[1] + run_text[2] * (c.pool + 0.5 * c.repeated) + run_text[3] * c.address +
                      run_text[4] * c.io + run_text[5] * (c.integer + 0.5 * c.repeated));
}

int64_t CodegenCost::RunFrameBytes(const RunShape& shape) const {
  if (frame_by_stack_args.empty()) return 0;
  const int64_t n = std::max(0, StackArgs(shape, arg_registers));
  // The largest of the 5 samples with as many stacked arguments and the
  // nearest number of calls (on a log scale): the values run() keeps across
  // calls decide its frame and vary between such samples, and a stack
  // estimate had better err high than overflow.
  const bool calibrated = n < static_cast<int64_t>(frame_by_stack_args.size());
  std::vector<std::pair<double, int64_t>> near;
  const double calls = std::log(static_cast<double>(std::max<size_t>(1, shape.calls.size())));
  int64_t alignment = 0;  // the frames' alignment: the gcd of the samples
  for (const auto& s : frame_samples) {
    alignment = std::gcd(alignment, s[2]);
    if (s[0] == n)
      near.emplace_back(std::fabs(std::log(static_cast<double>(std::max<int64_t>(1, s[1]))) - calls), s[2]);
  }
  if (calibrated && !near.empty()) {
    std::sort(near.begin(), near.end());
    near.resize(std::min<size_t>(near.size(), 5));
    int64_t frame = 0;
    for (const auto& [distance, f] : near) frame = std::max(frame, f);
    return frame;
  }
  if (calibrated) return frame_by_stack_args[static_cast<size_t>(n)];
  // Beyond the calibrated arities: 4 more bytes per stacked argument past
  // the last calibrated frame, kept to the frames' alignment (8 on
  // Cortex-M, 16 on RV32).
  const int64_t last = static_cast<int64_t>(frame_by_stack_args.size()) - 1;
  const int64_t extra = std::max<int64_t>(1, n - last) * 4;
  if (alignment <= 0) alignment = 8;
  return (frame_by_stack_args.back() + extra + alignment - 1) / alignment * alignment;
}

nlohmann::json CodegenCost::ToJson() const {
  return {{"run_text", run_text}, {"reset_text", reset_text}, {"frame_by_stack_args", frame_by_stack_args},
          {"arg_registers", arg_registers}, {"reset_externals", reset_externals},
          {"frame_samples", frame_samples}};
}

CodegenCost CodegenCost::FromJson(const nlohmann::json& j) {
  CodegenCost c;
  c.run_text = j.at("run_text").get<std::vector<double>>();
  c.reset_text = j.at("reset_text").get<std::vector<double>>();
  c.frame_by_stack_args = j.at("frame_by_stack_args").get<std::vector<int64_t>>();
  c.arg_registers = j.at("arg_registers").get<int>();
  c.reset_externals = j.at("reset_externals").get<std::vector<std::string>>();
  c.frame_samples = j.at("frame_samples").get<std::vector<std::array<int64_t, 3>>>();
  return c;
}

std::string CalibrationSource(std::vector<RunShape>* shapes) {
  Lcg rng;
  std::string c =
      "/* Kiln footprint calibration: synthetic run() functions shaped like the generator's. */\n"
      "#include <stddef.h>\n#include <stdint.h>\n\n"
      "typedef struct { int32_t v[6]; const int32_t* m; } kiln_cal_params_t;\n"
      "struct kiln_cal_inputs { const int8_t* in0; const int8_t* in1; };\n"
      "struct kiln_cal_outputs { int8_t* out0; int8_t* out1; };\n"
      "static uint8_t kiln_cal_pool[200000] __attribute__((aligned(16)));\n"
      "static int kiln_cal_ready = 0;\n";
  for (int a = 1; a <= kMaxArity; ++a) {
    std::string params;
    for (int i = 0; i < a; ++i) params += fmt::format("{}const void*", i ? ", " : "");
    c += fmt::format("void kiln_cal_f{}({});\n", a, params);
  }
  for (int k = 0; k < 160; ++k) {
    c += fmt::format("extern const int8_t kiln_cal_c{}[64];\n", k);
    c += fmt::format("static const kiln_cal_params_t kiln_cal_p{} = {{{{{}, 2, 3, 4, 5, 6}}, 0}};\n", k, k);
  }
  int next_const = 0, next_param = 0;
  shapes->clear();
  for (int k = 0; k < kCalibrationFunctions; ++k) {
    RunShape shape;
    shape.state_check = rng.Next(4) == 0;
    shape.reset_loops = k % 6;
    const int calls = 1 + static_cast<int>(rng.Next(k < 20 ? 8 : 40));
    const int tensors = 2 + 3 * calls;
    std::string body = "  if (inputs == NULL || outputs == NULL) return 1;\n";
    if (shape.state_check) body += fmt::format("  if (!kiln_cal_ready) kiln_cal_reset_{}();\n", k);
    for (int t = 0; t < tensors; ++t)
      body += fmt::format("  int8_t* const t{} = (int8_t*)(kiln_cal_pool + {});\n", t, 16 * rng.Next(12000));
    body += "  const int8_t* const x0 = inputs->in0;\n  int8_t* const y0 = outputs->out0;\n";
    // Like the generator's: each call reads the previous call's output
    // (the model input first), passes its parameters, constants, literals
    // and scratch, and writes a new tensor (the model output last).
    std::string calls_text;
    int previous = -1, fresh = 0;
    for (int i = 0; i < calls; ++i) {
      CallSite site;
      const int arity = 2 + static_cast<int>(rng.Next(kMaxArity - 1));
      std::vector<std::string> args;
      args.push_back(fmt::format("&kiln_cal_p{}", next_param++ % 160));
      ++site.address;
      if (previous < 0) {
        args.push_back("x0");
        ++site.io;
      } else {
        args.push_back(fmt::format("t{}", previous));
        ++site.pool;
      }
      while (static_cast<int>(args.size()) < arity - 1) {
        const uint32_t kind = rng.Next(6);
        if (kind < 3) {
          args.push_back(fmt::format("kiln_cal_c{}", next_const++ % 160));
          ++site.address;
        } else if (kind < 4) {
          args.push_back(fmt::format("t{}", fresh++ % tensors));  // scratch or a second input
          ++site.pool;
        } else {
          args.push_back(rng.Next(3) == 0 ? "NULL" : fmt::format("(const void*){}", 1 + rng.Next(5000)));
          ++site.integer;
        }
      }
      if (i + 1 == calls) {
        args.push_back("y0");
        ++site.io;
      } else {
        previous = fresh++ % tensors;
        args.push_back(fmt::format("t{}", previous));
        ++site.pool;
      }
      std::string list;
      for (size_t a = 0; a < args.size(); ++a) list += (a ? ", " : "") + args[a];
      calls_text += fmt::format("  kiln_cal_f{}({});\n", static_cast<int>(args.size()), list);
      site.callee = fmt::format("kiln_cal_f{}", args.size());
      shape.calls.push_back(site);
    }
    std::string reset = fmt::format("void kiln_cal_reset_{}(void) {{\n", k);
    if (shape.reset_loops > 0) reset += "  size_t i;\n";
    for (int l = 0; l < shape.reset_loops; ++l)
      reset += fmt::format("  for (i = 0; i < {}; ++i) kiln_cal_pool[{} + i] = (uint8_t){};\n", 16 + rng.Next(400),
                           16 * rng.Next(12000), rng.Next(256));
    reset += "  kiln_cal_ready = 1;\n}\n";
    c += "\n" + reset;
    c += fmt::format(
        "int32_t kiln_cal_run_{}(struct kiln_cal_inputs* inputs, struct kiln_cal_outputs* outputs) {{\n{}{}"
        "  return 0;\n}}\n",
        k, body, calls_text);
    shapes->push_back(shape);
  }
  return c;
}

std::string CalibrationCallees() {
  std::string c = "/* Callees of the calibration module. */\n";
  for (int a = 1; a <= kMaxArity; ++a) {
    std::string params;
    for (int i = 0; i < a; ++i) params += fmt::format("{}const void* a{}", i ? ", " : "", i);
    c += fmt::format("void kiln_cal_f{}({}) {{ (void)a0; }}\n", a, params);
  }
  c += "#include <stdint.h>\n";
  for (int k = 0; k < 160; ++k) c += fmt::format("const int8_t kiln_cal_c{}[64] = {{{}}};\n", k, k);
  return c;
}

CodegenCost FitCodegenCost(const std::vector<RunShape>& shapes, const std::vector<double>& run_bytes,
                           const std::vector<int64_t>& frames, const std::vector<double>& reset_bytes,
                           int arg_registers) {
  CodegenCost cost;
  cost.arg_registers = arg_registers;
  std::vector<std::vector<double>> x, xr;
  for (const RunShape& s : shapes) {
    x.push_back(RunFeatures(s));
    xr.push_back({1.0, static_cast<double>(s.reset_loops)});
  }
  cost.run_text = LeastSquares(x, run_bytes);
  cost.reset_text = LeastSquares(xr, reset_bytes);
  // The median frame per number of stacked arguments: run()'s frame
  // grows with the values it keeps across calls, which the samples vary.
  std::vector<std::vector<int64_t>> by_args;
  for (size_t k = 0; k < shapes.size(); ++k) {
    const size_t n = static_cast<size_t>(std::max(0, StackArgs(shapes[k], arg_registers)));
    if (by_args.size() <= n) by_args.resize(n + 1);
    by_args[n].push_back(frames[k]);
    cost.frame_samples.push_back({static_cast<int64_t>(n), static_cast<int64_t>(shapes[k].calls.size()), frames[k]});
  }
  for (std::vector<int64_t>& v : by_args) {
    std::sort(v.begin(), v.end());
    cost.frame_by_stack_args.push_back(v.empty() ? 0 : v[v.size() / 2]);
  }
  // An arity no sample had: the next smaller one's frame.
  for (size_t n = 1; n < cost.frame_by_stack_args.size(); ++n)
    cost.frame_by_stack_args[n] = std::max(cost.frame_by_stack_args[n], cost.frame_by_stack_args[n - 1]);
  return cost;
}

}  // namespace kiln::footprint
