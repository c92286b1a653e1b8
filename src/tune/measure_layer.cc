#include "tune/measure_layer.h"

#include <cstring>
#include <fstream>
#include <random>

#include <fmt/format.h>

#include "device/device_runner.h"
#include "driver/compile.h"
#include "support/fnv1a.h"
#include "support/temp_dir.h"

namespace kiln {

namespace fs = std::filesystem;

std::vector<std::vector<uint8_t>> LayerInputs(const TuningTask& task) {
  // mt19937_64's sequence is fixed by the C++ standard: the same bytes on
  // every machine and run.
  std::mt19937_64 random(Fnv1a64(task.key));
  std::vector<std::vector<uint8_t>> inputs;
  for (int id : task.layer_graph.inputs) {
    const Tensor& t = task.layer_graph.tensor(id);
    std::vector<uint8_t> bytes(static_cast<size_t>(t.bytes()));
    const size_t n = static_cast<size_t>(t.num_elements());
    for (size_t i = 0; i < n; ++i) {
      const uint64_t r = random();
      if (t.dtype == DType::kFloat32) {
        const float f = static_cast<float>(static_cast<double>(r >> 11) / 9007199254740992.0 * 2.0 - 1.0);
        std::memcpy(&bytes[i * 4], &f, 4);
      } else if (t.dtype == DType::kBool) {
        bytes[i] = static_cast<uint8_t>(r & 1);
      } else {
        std::memcpy(&bytes[i * DTypeSize(t.dtype)], &r, DTypeSize(t.dtype));
      }
    }
    inputs.push_back(std::move(bytes));
  }
  return inputs;
}

namespace {

Expected<LayerMeasurement> Measure(const TuningTask& task, const Schedule& schedule, const Board& board,
                                   const MeasureOptions& options) {
  CodegenOptions codegen;
  codegen.module_name = "layer";
  codegen.target = options.target;
  const ScheduleChoice forced = [&schedule](const Graph&, const std::vector<const KernelEntry*>&,
                                            const KernelScheduleOptions&) -> Expected<std::vector<Schedule>> {
    return std::vector<Schedule>{schedule};
  };
  // The inputs are compiled into the firmware as constants: the serial
  // link carries a few KB/s to the board, which would make sending a
  // layer's input take longer than running it (docs/tuning.md).
  Graph measured = task.layer_graph;
  const std::vector<std::vector<uint8_t>> inputs = LayerInputs(task);
  for (size_t k = 0; k < inputs.size(); ++k) {
    Tensor& t = measured.tensors[static_cast<size_t>(measured.inputs[k])];
    t.is_constant = true;
    t.data = inputs[k];
  }
  measured.inputs.clear();
  KILN_ASSIGN_OR_RETURN(ModelLibrary library, CompileGraph(measured, codegen, task.layer, forced));
  LayerMeasurement m;
  if (library.metadata.contains("footprint")) {
    m.flash_bytes = library.metadata["footprint"].value("flash_bytes", int64_t{0});
    m.ram_bytes = library.metadata["footprint"].value("ram_bytes", int64_t{0});
  }
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<TempDir> dir, TempDir::Create("kiln-tune"));
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<DeviceSession> session,
                        DeviceSession::Start(library, board,
                                             {.profile_cycles = true, .request_timeout = options.timeout}));
  KILN_ASSIGN_OR_RETURN(uint64_t ticks, session->Run({}, dir->path()));
  uint64_t digest = kFnv1a64Start;
  for (size_t k = 0; k < session->interface().outputs.size(); ++k) {
    std::ifstream in(dir->path() / fmt::format("output_{}.bin", k), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    digest = Fnv1a64(bytes, digest);
  }
  m.output_digest = fmt::format("{:016x}", digest);
  m.instructions = ticks * static_cast<uint64_t>(board.instructions_per_tick);
  if (session->profiles_cycles()) {
    // The profile counts the layer's own instructions exactly (the timer
    // counts whole ticks, and the run around it).
    KILN_ASSIGN_OR_RETURN(RunProfile profile, session->LastRunProfile());
    if (profile.operators.size() == 1) {
      m.instructions = profile.operators[0].instructions;
      m.cycles = profile.operators[0].Cycles();
    }
  }
  return m;
}

}  // namespace

LayerMeasurement MeasureLayer(const TuningTask& task, const Schedule& schedule, const Board& board,
                              const MeasureOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto measured = Measure(task, schedule, board, options);
  LayerMeasurement m;
  if (measured.ok())
    m = *measured;
  else
    m.error = measured.message();
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return m;
}

}  // namespace kiln
