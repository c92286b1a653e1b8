// `kiln doctor [--board B] [--target T]`: whether this machine has what
// each board and target needs, with versions, and the apt-get line for
// what is missing (src/doctor/, docs/install.md). Exit 0 when everything
// asked about is ready.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "doctor/doctor.h"
#include "target/targets.h"

namespace kiln::cli {
namespace {

void PrintText(const std::vector<doctor::Subject>& subjects) {
  size_t ready = 0;
  for (const doctor::Subject& s : subjects) {
    std::vector<std::string> missing;
    for (const doctor::Requirement& r : s.needs)
      if (!r.present) missing.push_back(r.tool);
    ready += s.ready();
    const std::string title = s.kind == "host" ? "host" : s.kind + " " + s.name;
    fmt::print("{}: {}  ({})\n", title, s.ready() ? "ready" : fmt::format("MISSING {}", fmt::join(missing, ", ")),
               s.description);
    for (const doctor::Requirement& r : s.needs) {
      const std::string package = r.package.empty() ? "" : fmt::format("  [{}]", r.package);
      fmt::print("  {:<17} {:<24} {}{}\n", r.role, r.tool, r.present ? r.version : "missing: " + r.problem,
                 package);
    }
  }
  const std::vector<std::string> packages = doctor::MissingPackages(subjects);
  if (ready == subjects.size()) {
    fmt::print("\n{} of {} ready.\n", ready, subjects.size());
    return;
  }
  fmt::print("\n{} of {} not ready.", subjects.size() - ready, subjects.size());
  if (!packages.empty()) fmt::print(" To install what is missing:\n  apt-get install {}", fmt::join(packages, " "));
  fmt::print("\n");
}

void PrintJson(const std::vector<doctor::Subject>& subjects) {
  nlohmann::json out = {{"ready", true}, {"subjects", nlohmann::json::array()}};
  for (const doctor::Subject& s : subjects) {
    nlohmann::json needs = nlohmann::json::array();
    for (const doctor::Requirement& r : s.needs)
      needs.push_back({{"role", r.role}, {"tool", r.tool}, {"package", r.package}, {"present", r.present},
                       {"version", r.version}, {"problem", r.problem}});
    out["subjects"].push_back({{"kind", s.kind}, {"name", s.name}, {"description", s.description},
                               {"ready", s.ready()}, {"needs", needs}});
    if (!s.ready()) out["ready"] = false;
  }
  out["apt_get_install"] = doctor::MissingPackages(subjects);
  // Tool output in a problem may hold any bytes: replace what is not UTF-8.
  fmt::print("{}\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

void RegisterDoctor(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "doctor", "Check that the compilers, C libraries and emulators the boards and targets need are installed");
  static doctor::Request request;
  static std::string format = "text";
  cmd->add_flag("--host", request.host, "Check the host (kiln run without --device, the host template)");
  cmd->add_option("--board", request.boards, "Check this board (repeatable; see 'kiln micro templates')");
  cmd->add_option("--target", request.targets, "Check this target (repeatable)")->check(CLI::IsMember(TargetNames()));
  cmd->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->footer("With no --host, --board or --target: the host, every board and every target. Exit 0 when all of "
              "them are ready, 1 otherwise.");
  cmd->callback([exit_code] {
    auto subjects = doctor::Examine(request);
    if (!subjects.ok()) {
      *exit_code = ReportError(subjects.message());
      return;
    }
    if (format == "json") PrintJson(*subjects);
    else PrintText(*subjects);
    const bool ready = std::all_of(subjects->begin(), subjects->end(), [](const auto& s) { return s.ready(); });
    *exit_code = ready ? kExitOk : kExitUserError;
  });
}

}  // namespace kiln::cli
