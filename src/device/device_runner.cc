#include "device/device_runner.h"

#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "device/device_core.h"
#include "mlf/runtime_objects.h"
#include "support/process.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

Status WriteText(const fs::path& path, std::string_view text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return out ? Status::Ok() : Status(MakeError("cannot write '{}'", path.string()));
}

}  // namespace

Expected<fs::path> BuildFirmware(const ModelLibrary& library, const Board& board, const fs::path& dir,
                                 uint32_t capture_bytes) {
  if (!library.files.count("device/kiln_device_main.c"))
    return MakeError("the archive has no device/ folder (it was made by an older Kiln): compile the model again");
  std::vector<std::string> argv = {board.cc};
  argv.insert(argv.end(), board.cflags.begin(), board.cflags.end());
  // KILN_PROFILE: per-operator ticks for PROFILE, two counter reads per operator.
  argv.insert(argv.end(),
              {"-std=c99", "-O2", "-DKILN_PROFILE", "-Icodegen/host/include", "-Iruntime/include", "-Idevice/include"});
  for (const auto& [path, contents] : library.files) KILN_RETURN_IF_ERROR(WriteText(dir / path, contents));
  // The runtime's kernels: the same objects in every firmware (runtime_objects.h).
  auto objects = RuntimeObjects(library.files, argv, dir);
  if (!objects.ok())
    return MakeError("building the firmware for {} failed: {} (is {} installed? scripts/install-deps.sh installs it)",
                     board.name, objects.message(), board.cc);
  for (const fs::path& object : *objects) argv.push_back(object.string());
  for (const auto& [path, contents] : library.files)
    if (path.starts_with("codegen/host/src/") && path.ends_with(".c")) argv.push_back(path);
  argv.insert(argv.end(), {"device/kiln_device_main.c", "device/rpc/server.c",
                           "device/platform/" + board.platform_file});
  argv.push_back(fmt::format("-DKILN_RPC_INSTRUCTIONS_PER_TICK={}", board.instructions_per_tick));
  if (capture_bytes > 0) {
    argv.push_back("device/rpc/capture.c");
    argv.push_back(fmt::format("-DKILN_RPC_CAPTURE_BYTES={}", capture_bytes));
  }
  argv.insert(argv.end(), board.ldflags.begin(), board.ldflags.end());
  argv.insert(argv.end(), {"-lm", "-o", "firmware.elf"});
  auto result = RunProcess(argv, dir);
  if (!result.ok())
    return MakeError("cannot run {} for board {}: {} (is it installed? scripts/install-deps.sh installs it)", board.cc,
                     board.name, result.message());
  if (result->exit_code != 0)
    return MakeError("building the firmware for {} failed:\n{}", board.name, result->output);
  return dir / "firmware.elf";
}

Expected<std::unique_ptr<DeviceSession>> DeviceSession::Start(const ModelLibrary& library, const Board& board,
                                                              DeviceSessionOptions options) {
  std::unique_ptr<DeviceSession> session(new DeviceSession());
  KILN_ASSIGN_OR_RETURN(session->dir_, TempDir::Create("kiln-device"));
  const fs::path& dir = session->dir_->path();
  KILN_ASSIGN_OR_RETURN(session->interface_, ReadInterface(library.metadata));
  KILN_RETURN_IF_ERROR(CheckBoardRunsBuild(session->interface_, board));
  KILN_ASSIGN_OR_RETURN(fs::path elf, BuildFirmware(library, board, dir, options.capture_bytes));
  std::vector<std::string> qemu = board.qemu;
  qemu.insert(qemu.end(), {"-kernel", elf.string()});
  if (options.profile_cycles && !board.cycle_model.empty()) {
    // BuildFirmware defines KILN_PROFILE: the timer hook brackets each operator.
    KILN_ASSIGN_OR_RETURN(session->trace_, QemuTrace::Start(dir, session->interface_.module_name));
    for (std::string& arg : session->trace_->QemuArguments()) qemu.push_back(std::move(arg));
  }
  const fs::path monitor_socket = dir / "qmp.sock";
  if (options.board_reset)
    for (std::string& arg : QemuMonitor::QemuArguments(monitor_socket)) qemu.push_back(std::move(arg));
  KILN_ASSIGN_OR_RETURN(session->transport_, ProcessTransport::Start(qemu, dir / "qemu-stderr.log"));
  // Few attempts: the link is a reliable pipe.
  rpc::SessionOptions rpc_options;
  rpc_options.timeout = options.request_timeout;
  rpc_options.attempts = 2;
  session->client_ = std::make_unique<rpc::DeviceClient>(*session->transport_, rpc_options);
  auto info = session->client_->Info();
  if (!info.ok()) {
    std::ifstream log(dir / "qemu-stderr.log");
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    return MakeError("the board {} did not answer: {}{}", board.name, info.message(),
                     text.empty() ? "" : "\nemulator output:\n" + text);
  }
  KILN_RETURN_IF_ERROR(session->client_->CheckInterface(session->interface_));
  KILN_RETURN_IF_ERROR(CheckDeviceRunsBuild(*session->client_, session->interface_));
  // QEMU answered, so its monitor has been listening since it started.
  if (options.board_reset) {
    KILN_ASSIGN_OR_RETURN(session->monitor_, QemuMonitor::Connect(monitor_socket, std::chrono::milliseconds(5000)));
  }
  return session;
}

Status DeviceSession::SetInputs(const std::vector<fs::path>& inputs) {
  KILN_RETURN_IF_ERROR(CheckInputFiles(interface_, inputs));
  for (size_t k = 0; k < inputs.size(); ++k) {
    std::ifstream in(inputs[k], std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    KILN_RETURN_IF_ERROR(client_->SetInput(k, bytes));
  }
  return Status::Ok();
}

Expected<uint64_t> DeviceSession::Run(const std::vector<fs::path>& inputs, const fs::path& output_dir) {
  KILN_RETURN_IF_ERROR(SetInputs(inputs));
  if (trace_) runs_before_last_run_ = trace_->completed_runs();
  KILN_ASSIGN_OR_RETURN(rpc::RunResult run, client_->Run());
  std::vector<std::vector<uint8_t>> outputs;
  for (size_t k = 0; k < interface_.outputs.size(); ++k) {
    KILN_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, client_->GetOutput(k));
    outputs.push_back(std::move(bytes));
  }
  std::error_code ec;
  fs::create_directories(output_dir, ec);
  if (ec) return MakeError("cannot create output directory '{}': {}", output_dir.string(), ec.message());
  for (size_t k = 0; k < outputs.size(); ++k) {
    const fs::path final_path = output_dir / fmt::format("output_{}.bin", k);
    const fs::path partial = final_path.string() + ".partial";
    KILN_RETURN_IF_ERROR(WriteText(partial, std::string_view(reinterpret_cast<const char*>(outputs[k].data()),
                                                             outputs[k].size())));
    fs::rename(partial, final_path, ec);
    if (ec) return MakeError("cannot write '{}': {}", final_path.string(), ec.message());
  }
  return run.ticks;
}

Expected<std::vector<uint8_t>> DeviceSession::Capture(const std::vector<fs::path>& inputs) {
  if (!interface_.capture_build) return MakeError("this build has no capture hooks (kiln debug makes one)");
  KILN_RETURN_IF_ERROR(SetInputs(inputs));
  return client_->CaptureInference(static_cast<uint32_t>(interface_.stream_bytes));
}

Status DeviceSession::ResetBoard() {
  if (!monitor_) return MakeError("this session cannot reset the board: start it with board_reset");
  return monitor_->SystemReset();
}

Expected<RunProfile> DeviceSession::LastRunProfile() {
  if (!trace_) return MakeError("this session does not profile its runs");
  return trace_->WaitForRun(runs_before_last_run_);
}

}  // namespace kiln
