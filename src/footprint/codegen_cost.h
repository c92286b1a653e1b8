// The cost model of a model's own generated code (run() and reset()),
// calibrated once per target and toolchain: Kiln writes synthetic run()
// functions shaped like the generator's (pool pointers, constant and
// parameter addresses, io pointers, literals, one call per operator),
// compiles them with the target's compiler, and fits bytes per call and per
// argument kind by least squares. A model's footprint then needs no
// compiler run: its run() is described by its call sites.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiln::footprint {

/// One kernel call in run(), by the kinds of its arguments.
struct CallSite {
  std::string callee;
  int pool = 0;     ///< pointers into a pool (tensors, scratch)
  int address = 0;  ///< addresses of constants and parameter structs
  int io = 0;       ///< the caller's input/output pointers
  int integer = 0;  ///< literals and NULL
  /// Pool pointers whose address an earlier argument of run() passed
  /// already (scratch at one offset for many operators, a tensor where an
  /// earlier one was): the compiler keeps or rebuilds it for less than a
  /// new address, charged halfway between a pool pointer and a literal.
  int repeated = 0;
  /// Functions the callee calls through pointers in its parameter structs.
  std::vector<std::string> indirect_callees;
  int args() const { return pool + address + io + integer + repeated; }
};

/// What run() and reset() of a module consist of.
struct RunShape {
  std::vector<CallSite> calls;
  bool state_check = false;  ///< run() resets variable tensors on the first call
  int reset_loops = 0;       ///< reset(): one fill loop per variable tensor
};

struct CodegenCost {
  /// bytes = run_text[0] + [1]*calls + [2]*pool + [3]*address + [4]*io + [5]*integer + [6]*state_check
  std::vector<double> run_text;
  /// bytes = reset_text[0] + [1]*loops
  std::vector<double> reset_text;
  /// run()'s frame by the most arguments one call passes on the stack.
  std::vector<int64_t> frame_by_stack_args;
  /// The calibration samples' {stack arguments, calls, frame}: run()'s
  /// frame grows with the values kept across calls, so a model's frame is
  /// the largest of the samples closest to it in calls.
  std::vector<std::array<int64_t, 3>> frame_samples;
  int arg_registers = 4;
  /// Library symbols reset()'s fill loops become calls to (memset).
  std::vector<std::string> reset_externals;

  int64_t RunTextBytes(const RunShape& shape) const;
  int64_t ResetTextBytes(int loops) const;
  /// The part of run()'s text one call site accounts for.
  int64_t CallBytes(const CallSite& call) const;
  int64_t RunFrameBytes(const RunShape& shape) const;

  nlohmann::json ToJson() const;
  static CodegenCost FromJson(const nlohmann::json& j);
};

/// The synthetic calibration module: functions kiln_cal_run_<k> (shapes
/// in *shapes) and kiln_cal_reset_<k> with k fill loops, k < shapes->size().
std::string CalibrationSource(std::vector<RunShape>* shapes);
/// Empty definitions of the callees the calibration module calls.
std::string CalibrationCallees();

/// Fits the cost model to the measured sizes: run_bytes[k] and frames[k]
/// of kiln_cal_run_<k>, reset_bytes[k] of kiln_cal_reset_<k>.
CodegenCost FitCodegenCost(const std::vector<RunShape>& shapes, const std::vector<double>& run_bytes,
                           const std::vector<int64_t>& frames, const std::vector<double>& reset_bytes,
                           int arg_registers);

}  // namespace kiln::footprint
