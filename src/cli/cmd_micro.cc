// `kiln micro ...`: work with a device project made from a Project API
// template (docs/project-api.md): list templates, create a project from a
// model, build, flash, run once, time. Kiln is only the client: every
// platform lives in a template folder, bundled or given by --template-dir.
#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/compile_options.h"
#include "cli/cycle_report.h"
#include "device/boards.h"
#include "device/device_core.h"
#include "device/link_map.h"
#include "device/qemu_trace.h"
#include "driver/compile.h"
#include "project/project_api.h"
#include "project/project_transport.h"
#include "rpc/device_client.h"
#include "support/json_boundary.h"
#include "support/temp_dir.h"

namespace kiln::cli {
namespace {

namespace fs = std::filesystem;

/// What create-project records in the project, so later commands know the
/// template, its options and the model's interface.
constexpr const char* kProjectRecord = "kiln-project.json";

struct MicroArgs {
  std::vector<std::string> template_dirs;
  std::string template_name;
  std::vector<std::string> options;  // NAME=VALUE
  std::string project;
  std::string model;
  std::vector<std::string> inputs;
  std::string output_dir = ".";
  int runs = 10;
  bool per_op = false;
  double clock_mhz = kDefaultClockMhz;
  std::string format = "table";
  /// create-project from a model file: how to compile it.
  CodegenOptions codegen;
};

Expected<TemplateInfo> FindTemplate(const std::vector<std::string>& extra_dirs, const std::string& name) {
  std::vector<fs::path> dirs = BundledTemplateDirs();
  for (const std::string& d : extra_dirs) dirs.emplace_back(d);
  KILN_ASSIGN_OR_RETURN(std::vector<TemplateInfo> templates, FindTemplates(dirs));
  return SelectTemplate(templates, name);
}

struct Project {
  TemplateInfo tmpl;
  nlohmann::json options;
  nlohmann::json metadata;
};

Expected<Project> LoadProject(const std::string& dir) {
  std::ifstream in(fs::path(dir) / kProjectRecord);
  if (!in) return MakeError("'{}' is not a Kiln project (no {}): make one with 'kiln micro create-project'", dir, kProjectRecord);
  nlohmann::json record = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (record.is_discarded() || !record.is_object())
    return MakeError("{}/{} is not valid JSON", dir, kProjectRecord);
  KILN_RETURN_IF_ERROR(CheckFloatsInRange(record, fmt::format("{}/{}", dir, kProjectRecord)));
  return ReadingJson(fmt::format("{}/{}", dir, kProjectRecord), [&]() -> Expected<Project> {
    std::vector<std::string> dirs = record.value("template_dirs", std::vector<std::string>{});
    KILN_ASSIGN_OR_RETURN(TemplateInfo tmpl, FindTemplate(dirs, record.value("template", "")));
    return Project{tmpl, record.value("options", nlohmann::json::object()), record.value("metadata", nlohmann::json())};
  });
}

int Fail(const std::string& message) { return ReportError(message); }

int Templates(const MicroArgs& a) {
  std::vector<fs::path> dirs = BundledTemplateDirs();
  for (const std::string& d : a.template_dirs) dirs.emplace_back(d);
  auto templates = FindTemplates(dirs);
  if (!templates.ok()) return Fail(templates.message());
  for (const TemplateInfo& t : *templates) {
    fmt::print("{:<18} {}\n{:<18} ({})\n", t.name, t.description, "", t.dir.string());
    for (const OptionSpec& o : t.options)
      fmt::print("{:<20} --option {}=<{}>  {}{}\n", "", o.name, OptionTypeName(o.type), o.help,
                 o.required ? " (required)" : fmt::format(" (default {})", o.default_value.dump()));
  }
  return kExitOk;
}

int CreateProject(const MicroArgs& a) {
  auto tmpl = FindTemplate(a.template_dirs, a.template_name);
  if (!tmpl.ok()) return Fail(tmpl.message());
  auto options = ResolveOptionStrings(*tmpl, a.options);
  if (!options.ok()) return Fail(options.message());
  // A model compiles for the template's board processor unless --target says
  // otherwise (an MLF archive is taken as it was compiled).
  // A template that is a board: the model must fit its processor.
  auto found = FindBoard(tmpl->name);
  const Board* board = found.ok() ? *found : nullptr;
  CodegenOptions codegen = a.codegen;
  if (board != nullptr) UseBoardDefaults(*board, codegen.target, codegen.flash_budget);
  auto library = LoadRunnable(a.model, codegen);
  if (!library.ok()) return Fail(fmt::format("{}: {}", a.model, library.message()));
  if (board != nullptr) {
    auto mi = ReadInterface(library->metadata);
    Status fits = mi.ok() ? CheckBoardRunsBuild(*mi, *board) : mi.status();
    if (!fits.ok()) return Fail(fmt::format("{}: {}", a.model, fits.message()));
  }
  const fs::path staging = fs::temp_directory_path() / fmt::format("kiln-project-{}.tar", static_cast<long>(getpid()));
  Status written = WriteTarArchive(staging, library->files);
  if (!written.ok()) return Fail(written.message());
  auto client = ProjectApiClient::Start(*tmpl);
  Status generated = client.ok() ? client->GenerateProject(staging, a.project, *options) : client.status();
  std::error_code ec;
  fs::remove(staging, ec);
  if (!generated.ok()) return Fail(fmt::format("template {}: {}", tmpl->name, generated.message()));
  nlohmann::json record = {{"template", tmpl->name},
                           {"template_dirs", a.template_dirs},
                           {"options", *options},
                           {"metadata", library->metadata}};
  std::ofstream(fs::path(a.project) / kProjectRecord) << record.dump(2) << "\n";
  fmt::print("created project {} from template {}\n", a.project, tmpl->name);
  return kExitOk;
}

int BuildOrFlash(const MicroArgs& a, bool flash) {
  auto project = LoadProject(a.project);
  if (!project.ok()) return Fail(project.message());
  auto client = ProjectApiClient::Start(project->tmpl);
  if (!client.ok()) return Fail(client.message());
  if (flash) {
    Status s = client->Flash(a.project, project->options);
    if (!s.ok()) return Fail(fmt::format("flash: {}", s.message()));
    fmt::print("flashed {}\n", a.project);
  } else {
    auto log = client->Build(a.project, project->options);
    if (!log.ok()) return Fail(fmt::format("build: {}", log.message()));
    fmt::print("built {}\n", a.project);
  }
  return kExitOk;
}

/// Opens the project's transport and a device protocol session on it.
struct DeviceLink {
  ProjectApiClient client;
  std::unique_ptr<ProjectTransport> transport;
  std::unique_ptr<rpc::DeviceClient> device;
  ModelInterface interface;
  nlohmann::json metadata;
};

/// Opens the device of a flashed project: INFO, the model's interface, and
/// (unless `check_core` is false, for `micro info`) the core's features
/// against the model's target.
Expected<std::unique_ptr<DeviceLink>> OpenDevice(const std::string& project_dir, const fs::path& execution_log = {},
                                                 bool check_core = true) {
  KILN_ASSIGN_OR_RETURN(Project project, LoadProject(project_dir));
  if (!project.tmpl.device_protocol)
    return MakeError("template '{}' carries the model's raw bytes, not Kiln's device protocol, so kiln micro cannot "
                     "drive it: run the project's own program (its README says how), or use a board template",
                     project.tmpl.name);
  KILN_ASSIGN_OR_RETURN(ModelInterface mi, ReadInterface(project.metadata));
  KILN_ASSIGN_OR_RETURN(ProjectApiClient client, ProjectApiClient::Start(project.tmpl));
  KILN_RETURN_IF_ERROR(client.OpenTransport(project_dir, project.options, execution_log));
  auto link = std::make_unique<DeviceLink>(DeviceLink{std::move(client), nullptr, nullptr, mi, project.metadata});
  link->transport = std::make_unique<ProjectTransport>(link->client);
  rpc::SessionOptions options;
  options.timeout = std::chrono::milliseconds(60000);
  options.attempts = 2;
  link->device = std::make_unique<rpc::DeviceClient>(*link->transport, options);
  KILN_RETURN_IF_ERROR(link->device->Info().status());
  KILN_RETURN_IF_ERROR(link->device->CheckInterface(mi));
  if (check_core) KILN_RETURN_IF_ERROR(CheckDeviceRunsBuild(*link->device, mi));
  return link;
}

int Run(const MicroArgs& a) {
  auto link = OpenDevice(a.project);
  if (!link.ok()) return Fail(link.message());
  DeviceLink& d = **link;
  Status checked = CheckInputFiles(d.interface, std::vector<fs::path>(a.inputs.begin(), a.inputs.end()));
  if (!checked.ok()) return Fail(checked.message());
  for (size_t k = 0; k < a.inputs.size(); ++k) {
    std::ifstream in(a.inputs[k], std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Status s = d.device->SetInput(k, bytes);
    if (!s.ok()) return Fail(s.message());
  }
  auto run = d.device->Run();
  if (!run.ok()) return Fail(run.message());
  std::error_code ec;
  fs::create_directories(a.output_dir, ec);
  for (size_t k = 0; k < d.interface.outputs.size(); ++k) {
    auto bytes = d.device->GetOutput(k);
    if (!bytes.ok()) return Fail(bytes.message());
    const fs::path path = fs::path(a.output_dir) / fmt::format("output_{}.bin", k);
    std::ofstream(path.string() + ".partial", std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
    fs::rename(path.string() + ".partial", path, ec);
    if (ec) return Fail(fmt::format("cannot write '{}': {}", path.string(), ec.message()));
    fmt::print("wrote {}\n", path.string());
  }
  const auto& info = d.device->info();
  fmt::print("one inference: {} ticks of {}\n", run->ticks, info.timer_unit);
  (void)d.client.CloseTransport();
  return kExitOk;
}

/// Each operator's instructions (or ticks) in the last run, and its share.
void PrintOperatorProfile(const nlohmann::json& metadata, const std::vector<uint64_t>& ticks, uint64_t run_ticks,
                          const rpc::DeviceInfo& info) {
  const uint64_t scale = info.instructions_per_tick > 0 ? info.instructions_per_tick : 1;
  const std::string unit = info.instructions_per_tick > 0 ? "instructions" : "ticks";
  fmt::print("per operator, last run ({}):\n", unit);
  fmt::print("{:>4}  {:<22} {:<28} {:>14} {:>7}\n", "#", "operator", "kernel", unit, "share");
  uint64_t sum = 0;
  for (uint64_t t : ticks) sum += t;
  for (size_t k = 0; k < ticks.size(); ++k) {
    fmt::print("{:>4}  {:<22} {:<28} {:>14} {:>6.1f}%\n", k, OperatorField(metadata, k, "op"),
               OperatorField(metadata, k, "kernel"),
               ticks[k] * scale, run_ticks > 0 ? 100.0 * static_cast<double>(ticks[k]) / run_ticks : 0.0);
  }
  fmt::print("operators: {} {} of the run's {} ({:.1f}%; the rest is run()'s own code and the timer reads)\n",
             sum * scale, unit, run_ticks * scale,
             run_ticks > 0 ? 100.0 * static_cast<double>(sum) / run_ticks : 0.0);
}

/// On one of Kiln's QEMU boards with a cycle model (a bundled template
/// with a board.json): one more inference of module `module_name`, with
/// QEMU's execution log streamed to Kiln, and its estimated cycles.
Status PrintCycles(const MicroArgs& a, const Board& board, const std::string& module_name) {
  KILN_ASSIGN_OR_RETURN(const std::unique_ptr<TempDir> dir, TempDir::Create("kiln-cycles"));
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<QemuTrace> trace, QemuTrace::Start(dir->path(), module_name));
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<DeviceLink> link, OpenDevice(a.project, trace->pipe()));
  const uint64_t before = trace->completed_runs();
  KILN_RETURN_IF_ERROR(link->device->Run().status());
  auto profile = trace->WaitForRun(before);
  (void)link->client.CloseTransport();  // QEMU stops before the pipe's reader
  if (!profile.ok()) return profile.status();
  PrintCycleEstimate(board.name, *profile, a.clock_mhz);
  if (a.per_op && !profile->operators.empty()) PrintOperatorCycles(link->metadata, *profile, a.clock_mhz);
  return Status::Ok();
}

int Time(const MicroArgs& a) {
  if (a.runs < 1) return Fail("--runs must be at least 1");
  auto link = OpenDevice(a.project);
  if (!link.ok()) return Fail(link.message());
  DeviceLink& d = **link;
  const auto& info = d.device->info();
  if (a.per_op && !info.profile_available)
    return Fail(fmt::format("'{}' was built without per-operator hooks: create it with '--option profile=true' "
                            "(or build it with 'make PROFILE=1'), then build it again",
                            a.project));
  auto total = d.device->Time(static_cast<uint32_t>(a.runs), std::chrono::milliseconds(600000));
  if (!total.ok()) return Fail(total.message());
  const double per_run = static_cast<double>(*total) / a.runs;
  if (info.instructions_per_tick > 0)
    fmt::print("{} runs: {:.0f} instructions per inference (timer: {} ticks of {}; QEMU -icount: instructions, "
               "not cycles)\n",
               a.runs, per_run * info.instructions_per_tick, *total, info.timer_unit);
  else
    fmt::print("{} runs: {:.1f} ticks of {} per inference\n", a.runs, per_run, info.timer_unit);
  if (auto stack = d.device->Stack(); stack.ok())
    fmt::print("stack of run(): {}{} bytes (deepest of the runs, by stack painting)\n",
               stack->at_least() ? "at least " : "", stack->high_water_bytes);
  // On a board with a cycle model the traced run below gives each
  // operator's instructions and cycles; elsewhere the device's timer does.
  const std::string template_name = d.client.template_info().name;
  auto board = FindBoard(template_name);
  const bool cycle_model = board.ok() && !(*board)->cycle_model.empty();
  if (a.per_op && !cycle_model) {
    // One more, separately: PROFILE holds the operators of the last run.
    auto run = d.device->Run();
    if (!run.ok()) return Fail(run.message());
    auto ticks = d.device->Profile();
    if (!ticks.ok()) return Fail(ticks.message());
    PrintOperatorProfile(d.metadata, *ticks, run->ticks, info);
  }
  (void)d.client.CloseTransport();
  if (cycle_model) {
    // The timing above stands without it: a failed estimate is a warning,
    // unless --per-op asked for the per-operator table it provides.
    Status cycles = PrintCycles(a, **board, d.interface.module_name);
    if (!cycles.ok() && a.per_op) return Fail(fmt::format("estimating cycles: {}", cycles.message()));
    if (!cycles.ok()) fmt::print(stderr, "kiln: warning: no cycle estimate: {}\n", cycles.message());
  }
  return kExitOk;
}

/// `micro info`: what the flashed device says about itself (the model it
/// runs, its protocol limits, its core and ISA features) and whether the
/// model's target fits that core.
int Info(const MicroArgs& a) {
  auto link = OpenDevice(a.project, {}, /*check_core=*/false);
  if (!link.ok()) return Fail(link.message());
  DeviceLink& d = **link;
  const rpc::DeviceInfo& info = d.device->info();
  auto core = d.device->Core();
  if (!core.ok()) return Fail(core.message());
  fmt::print("template:   {}\n", d.client.template_info().name);
  fmt::print("model:      {} (module {}), {} operators, workspace {} bytes, state {} bytes\n", info.model_name,
             info.module_name, info.operator_count, info.workspace_bytes, info.state_bytes);
  fmt::print("protocol:   version {}, payload up to {} bytes, timer: {}\n", info.protocol_version, info.max_payload,
             info.timer_unit);
  Status fits = Status::Ok();
  if (!core->reported) {
    fmt::print("core:       not reported (firmware from before the CORE request)\n");
  } else {
    const CoreReport report = DecodeCore(*core);
    fmt::print("core:       {}\n", report.name);
    fmt::print("features:   {}\n", report.features.empty() ? "-" : fmt::format("{}", fmt::join(report.features, " ")));
    fmt::print("registers:  {}\n", report.registers);
    fits = CheckBuildFitsDevice(d.interface, report);
  }
  if (!d.interface.target.empty())
    fmt::print("build:      --target {} ({}): {}\n", d.interface.target,
               d.interface.target_features.empty() ? "no ISA features"
                                                   : fmt::format("{}", fmt::join(d.interface.target_features, " ")),
               fits.ok() ? "fits this core" : "does NOT fit this core");
  (void)d.client.CloseTransport();
  return fits.ok() ? kExitOk : Fail(fits.message());
}

/// The parts of a firmware image, by the MLF folder an object was built
/// from. The graph executor's blob (kiln_<m>_graph.c) is the model's
/// constants: weights, and the parameters AoT code holds in its own.
std::string FirmwarePart(const std::string& object) {
  if (object.find("/codegen/") != std::string::npos)
    return object.find("_constants.") != std::string::npos || object.find("_graph.") != std::string::npos
               ? "model constants"
               : "model code";
  if (object.find("/runtime/") != std::string::npos) return "runtime kernels";
  if (object.find("/device/") != std::string::npos) return "device server";
  return "C library and startup";
}

int Size(const MicroArgs& a) {
  auto project = LoadProject(a.project);
  if (!project.ok()) return Fail(project.message());
  if (project->tmpl.link_map.empty())
    return Fail(fmt::format("template '{}' does not say where its link map is (\"link_map\" in template.json)",
                            project->tmpl.name));
  const fs::path map_path = fs::path(a.project) / project->tmpl.link_map;
  std::ifstream in(map_path);
  if (!in) return Fail(fmt::format("'{}' is not built (no {}): run 'kiln micro build' first", a.project,
                                   map_path.string()));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto sections = ParseLinkMap(text);
  if (!sections.ok()) return Fail(fmt::format("{}: {}", map_path.string(), sections.message()));

  struct Sizes {
    uint64_t text = 0, rodata = 0, data = 0, bss = 0;
    uint64_t flash() const { return text + rodata + data; }
    uint64_t ram() const { return data + bss; }
  };
  const std::vector<std::string> parts = {"model code", "model constants", "runtime kernels", "device server",
                                          "C library and startup"};
  std::map<std::string, Sizes> by_part;
  for (const LinkedSection& s : *sections) {
    Sizes& z = by_part[FirmwarePart(s.object)];
    switch (ClassifySection(s.input_section)) {
      case SectionClass::kText: z.text += s.size; break;
      case SectionClass::kRodata: z.rodata += s.size; break;
      case SectionClass::kData: z.data += s.size; break;
      case SectionClass::kBss: z.bss += s.size; break;
      case SectionClass::kOther: break;
    }
  }
  Sizes total, model_and_runtime;
  nlohmann::json j = {{"link_map", map_path.string()}, {"parts", nlohmann::json::array()}};
  auto row = [](const std::string& name, const Sizes& z) {
    fmt::print("{:<24} {:>9} {:>9} {:>8} {:>8} {:>9} {:>8}\n", name, z.text, z.rodata, z.data, z.bss, z.flash(),
               z.ram());
  };
  if (a.format != "json") {
    fmt::print("{} as linked ({}; sections kept by --gc-sections), bytes:\n", a.project, project->tmpl.link_map);
    fmt::print("{:<24} {:>9} {:>9} {:>8} {:>8} {:>9} {:>8}\n", "part", "text", "rodata", "data", "bss", "flash",
               "ram");
  }
  for (const std::string& part : parts) {
    const Sizes z = by_part[part];
    auto add = [&z](Sizes& sum) {
      sum.text += z.text, sum.rodata += z.rodata, sum.data += z.data, sum.bss += z.bss;
    };
    add(total);
    if (part != "device server" && part != "C library and startup") add(model_and_runtime);
    if (a.format == "json")
      j["parts"].push_back({{"part", part}, {"text", z.text}, {"rodata", z.rodata}, {"data", z.data},
                            {"bss", z.bss}, {"flash_bytes", z.flash()}, {"ram_bytes", z.ram()}});
    else
      row(part, z);
  }
  if (a.format == "json") {
    j["model_and_runtime"] = {{"flash_bytes", model_and_runtime.flash()}, {"ram_bytes", model_and_runtime.ram()}};
    j["flash_bytes"] = total.flash();
    j["ram_bytes"] = total.ram();
    fmt::print("{}\n", j.dump(2));
  } else {
    row("model + runtime", model_and_runtime);
    row("total", total);
    fmt::print("(RAM here is static data and bss; the stack is measured by 'kiln micro time')\n");
  }
  return kExitOk;
}

}  // namespace

void RegisterMicro(CLI::App& app, int* exit_code) {
  CLI::App* micro = app.add_subcommand("micro", "Device projects from Project API templates: create, build, flash, run, time");
  micro->require_subcommand(1);
  static MicroArgs a;
  auto dirs = [](CLI::App* c) {
    c->add_option("--template-dir", a.template_dirs, "Another folder of templates (searched before the bundled ones)");
  };

  CLI::App* templates = micro->add_subcommand("templates", "List the templates found, with their options");
  dirs(templates);
  templates->callback([exit_code] { *exit_code = Templates(a); });

  CLI::App* create = micro->add_subcommand("create-project", "Generate a project from a model (.tflite or MLF .tar)");
  create->add_option("project", a.project, "Project folder to create")->required();
  create->add_option("model", a.model, "TFLite model or MLF archive")->required();
  create->add_option("--template", a.template_name, "Template name (see 'kiln micro templates')")->required();
  create->add_option("--option", a.options, "Template option NAME=VALUE (repeatable)");
  AddCodegenOptions(create, &a.codegen);
  dirs(create);
  create->callback([exit_code] { *exit_code = CreateProject(a); });

  CLI::App* build = micro->add_subcommand("build", "Build a project (the template runs its own make/cmake)");
  build->add_option("project", a.project, "Project folder")->required();
  build->callback([exit_code] { *exit_code = BuildOrFlash(a, /*flash=*/false); });

  CLI::App* flash = micro->add_subcommand("flash", "Flash a built project to its device");
  flash->add_option("project", a.project, "Project folder")->required();
  flash->callback([exit_code] { *exit_code = BuildOrFlash(a, /*flash=*/true); });

  CLI::App* run = micro->add_subcommand("run", "Run the model once on the device; write output_<k>.bin");
  run->add_option("project", a.project, "Project folder")->required();
  run->add_option("-i,--input", a.inputs, "Raw input tensor bytes, one file per model input, in order");
  run->add_option("-O,--output-dir", a.output_dir, "Directory for output_<k>.bin")->capture_default_str();
  run->callback([exit_code] { *exit_code = Run(a); });

  CLI::App* time = micro->add_subcommand("time", "Time inferences on the device (instructions under QEMU -icount)");
  time->add_option("project", a.project, "Project folder")->required();
  time->add_option("--runs", a.runs, "Inferences to time")->capture_default_str();
  time->add_flag("--per-op", a.per_op, "Also print each operator's share (needs a project built with profile=true)");
  time->add_option("--clock-mhz", a.clock_mhz, "Clock the estimated cycles are turned into ms at (QEMU boards)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  time->callback([exit_code] { *exit_code = Time(a); });

  CLI::App* info = micro->add_subcommand(
      "info", "What the flashed device reports: its model, protocol limits, core and ISA features");
  info->add_option("project", a.project, "Project folder")->required();
  info->callback([exit_code] { *exit_code = Info(a); });

  CLI::App* size = micro->add_subcommand("size", "Flash and RAM of the built firmware, per part, from its link map");
  size->add_option("project", a.project, "Project folder")->required();
  size->add_option("--format", a.format, "table or json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  size->callback([exit_code] { *exit_code = Size(a); });
}

}  // namespace kiln::cli
