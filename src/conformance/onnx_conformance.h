// `kiln conformance onnx`: runs ONNX's own backend test cases through Kiln
// (import, compile, build for the host, run, compare) and classifies each
// case as passed, failed or unsupported.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "conformance/onnx_test_case.h"
#include "support/status.h"

namespace kiln::conformance {

/// Debian's libonnx-testdata.
inline constexpr const char* kDefaultDataDir = "/usr/share/libonnx-testdata/data";
/// The suites CI runs.
inline const std::vector<std::string> kDefaultSuites = {"node", "pytorch-converted", "pytorch-operator", "simple"};

/// Float comparison as ONNX's backend test runner does it (numpy's
/// assert_allclose): |actual - expected| <= atol + rtol * |expected|.
struct Tolerance {
  double rtol = 1e-3;
  double atol = 1e-7;
};

enum class CaseResult { kPassed, kFailed, kUnsupported };
std::string_view CaseResultName(CaseResult result);

struct CaseOutcome {
  std::string name;
  CaseResult result = CaseResult::kFailed;
  /// Why it failed, or the unsupported operator's reason.
  std::string detail;
  /// For unsupported cases: the ONNX operator at fault ("Cast", "Conv").
  std::string op;
  double seconds = 0;
};

struct SuiteReport {
  std::string name;
  std::vector<CaseOutcome> cases;
  double seconds = 0;
  int Count(CaseResult r) const;
};

struct ConformanceOptions {
  std::filesystem::path data_dir = kDefaultDataDir;
  /// Only cases whose name contains this text (empty: all).
  std::string filter;
  /// Cases run concurrently (each builds and runs a host executable).
  int jobs = 2;
  Tolerance tolerance;
  /// `--executor`: which executor the models are compiled for (aot, graph).
  std::string executor = "aot";
};

/// Runs one case end to end. Never throws; every problem is an outcome.
CaseOutcome RunCase(const TestCase& test_case, const Tolerance& tolerance, const std::string& executor = "aot");

/// Runs every (filtered) case of `<data_dir>/<suite>`.
Expected<SuiteReport> RunSuite(const std::string& suite, const ConformanceOptions& options);

}  // namespace kiln::conformance
