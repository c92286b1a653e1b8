// `kiln conformance onnx [--suite S]... [--filter TEXT] [--format text|json] [-j N]`:
// runs ONNX's backend test data through Kiln (src/conformance/) and prints
// one line per suite. Exits 1 when any case Kiln claims to support fails.
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "conformance/onnx_conformance.h"

namespace kiln::cli {
namespace {

struct ConformanceArgs {
  std::vector<std::string> suites;
  std::string filter;
  std::string format = "text";
  std::string data_dir = conformance::kDefaultDataDir;
  int jobs = 2;
  bool verbose = false;
  std::string executor = "aot";
};

std::string ToleranceText(const conformance::Tolerance& t) {
  return fmt::format("float outputs pass when |kiln - expected| <= {:g} + {:g} * |expected| "
                     "(atol, rtol of ONNX's backend test runner); integer outputs must match exactly",
                     t.atol, t.rtol);
}

int Run(const ConformanceArgs& a) {
  conformance::ConformanceOptions options;
  options.data_dir = a.data_dir;
  options.filter = a.filter;
  options.jobs = a.jobs;
  options.executor = a.executor;
  const std::vector<std::string> suites = a.suites.empty() ? conformance::kDefaultSuites : a.suites;
  std::vector<conformance::SuiteReport> reports;
  for (const std::string& suite : suites) {
    auto report = conformance::RunSuite(suite, options);
    if (!report.ok()) return ReportError(report.message());
    reports.push_back(std::move(*report));
  }
  int failed = 0;
  for (const auto& r : reports) failed += r.Count(conformance::CaseResult::kFailed);

  if (a.format == "json") {
    nlohmann::json j;
    j["tolerance"] = {{"rtol", options.tolerance.rtol}, {"atol", options.tolerance.atol},
                      {"rule", ToleranceText(options.tolerance)}};
    for (const auto& r : reports) {
      nlohmann::json s = {{"suite", r.name},
                          {"passed", r.Count(conformance::CaseResult::kPassed)},
                          {"failed", r.Count(conformance::CaseResult::kFailed)},
                          {"unsupported", r.Count(conformance::CaseResult::kUnsupported)},
                          {"total", r.cases.size()},
                          {"seconds", r.seconds}};
      for (const auto& c : r.cases) {
        nlohmann::json cj = {{"name", c.name}, {"result", conformance::CaseResultName(c.result)},
                             {"seconds", c.seconds}};
        if (!c.detail.empty()) cj["detail"] = c.detail;
        if (!c.op.empty()) cj["op"] = c.op;
        s["cases"].push_back(std::move(cj));
      }
      j["suites"].push_back(std::move(s));
    }
    fmt::print("{}\n", j.dump(2));
    return failed == 0 ? kExitOk : kExitUserError;
  }

  fmt::print("tolerance: {}\n", ToleranceText(options.tolerance));
  std::map<std::string, int> unsupported_ops;
  for (const auto& r : reports) {
    for (const auto& c : r.cases) {
      if (c.result == conformance::CaseResult::kFailed)
        fmt::print("FAILED {}/{}: {}\n", r.name, c.name, c.detail);
      else if (a.verbose)
        fmt::print("{} {}/{}{}\n", c.result == conformance::CaseResult::kPassed ? "passed" : "unsupported", r.name,
                   c.name, c.detail.empty() ? "" : ": " + c.op + ": " + c.detail);
      if (c.result == conformance::CaseResult::kUnsupported) ++unsupported_ops[c.op];
    }
  }
  std::vector<std::pair<int, std::string>> top;
  for (const auto& [op, n] : unsupported_ops) top.emplace_back(-n, op);
  std::sort(top.begin(), top.end());
  if (!top.empty()) {
    std::string list;
    for (size_t i = 0; i < top.size() && i < 12; ++i) list += fmt::format("{}{} ({})", i ? ", " : "", top[i].second, -top[i].first);
    fmt::print("most unsupported cases by operator: {}\n", list);
  }
  for (const auto& r : reports)
    fmt::print("{}: {} passed, {} failed, {} unsupported of {} ({:.1f} s)\n", r.name,
               r.Count(conformance::CaseResult::kPassed), r.Count(conformance::CaseResult::kFailed),
               r.Count(conformance::CaseResult::kUnsupported), r.cases.size(), r.seconds);
  return failed == 0 ? kExitOk : kExitUserError;
}

}  // namespace

void RegisterConformance(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("conformance", "Run a framework's conformance test data through Kiln");
  cmd->require_subcommand(1);
  static ConformanceArgs a;
  CLI::App* onnx = cmd->add_subcommand("onnx", "ONNX backend test data (Debian's libonnx-testdata)");
  onnx->add_option("--suite", a.suites, "Suite (repeatable): node, pytorch-converted, pytorch-operator, simple (default: all four)");
  onnx->add_option("--filter", a.filter, "Only cases whose name contains this text");
  onnx->add_option("--format", a.format, "Output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  onnx->add_option("--data-dir", a.data_dir, "Folder holding the suites")->capture_default_str();
  onnx->add_option("-j,--jobs", a.jobs, "Cases run in parallel")->check(CLI::Range(1, 256))->capture_default_str();
  onnx->add_flag("-v,--verbose", a.verbose, "Print every case, not only the failures");
  onnx->add_option("--executor", a.executor, "Compile each model for this executor (aot, graph)")
      ->check(CLI::IsMember({"aot", "graph"}))
      ->capture_default_str();
  onnx->callback([exit_code] { *exit_code = Run(a); });
}

}  // namespace kiln::cli
