// The records file of kiln tune (src/tune/tuning_records.cc) and how
// `--records` applies it (apply_records.cc): round trip, a cut-off last
// line, malformed and foreign records, and the choice: the lowest valid
// cost of one board, never an invalid record, never more flash than the
// default spent.
#include <gtest/gtest.h>

#include <fstream>

#include "driver/compile.h"
#include "kernels/select_kernels.h"
#include "target/targets.h"
#include "test_support.h"
#include "tune/apply_records.h"
#include "tune/tuning_records.h"
#include "tune/tuning_task.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

TuningRecord Record(const std::string& task, const std::string& schedule, std::map<std::string, int64_t> knobs,
                    uint64_t cycles, bool valid = true) {
  TuningRecord r;
  r.kiln_version = "0.1.0";
  r.target = "cortex-m4";
  r.board = "qemu-cortex-m4";
  r.compiler = "arm-none-eabi-gcc 12.2.1";
  r.task = task;
  r.schedule = schedule;
  r.knobs = std::move(knobs);
  r.valid = valid;
  if (!valid) r.error = "output bytes differ";
  r.instructions = cycles / 2;
  r.cycles = cycles;
  r.output_digest = "0123456789abcdef";
  return r;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(TuningRecords, RoundTripOneLineEach) {
  const fs::path file = test::TempDir("records") / "r.jsonl";
  auto none = ReadTuningRecords(file);
  ASSERT_TRUE(none.ok()) << none.message();
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE(AppendTuningRecord(file, Record("00000000000000aa", "gemm_dsp", {{"widen_rows", 1}}, 1000)).ok());
  ASSERT_TRUE(AppendTuningRecord(file, Record("00000000000000aa", "reference", {}, 9000, false)).ok());
  const std::string text = ReadText(file);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  auto read = ReadTuningRecords(file);
  ASSERT_TRUE(read.ok()) << read.message();
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].schedule_label(), "gemm_dsp(widen_rows=1)");
  EXPECT_EQ((*read)[0].cost(), 1000u);
  EXPECT_TRUE((*read)[0].valid);
  EXPECT_FALSE((*read)[1].valid);
  EXPECT_EQ((*read)[1].error, "output bytes differ");
  EXPECT_EQ((*read)[0].measurement_key(), Record("00000000000000aa", "gemm_dsp", {{"widen_rows", 1}}, 5).measurement_key());
}

TEST(TuningRecords, AnUnfinishedLastLineIsSkippedAndAnythingElseMalformedIsAnError) {
  const fs::path dir = test::TempDir("records");
  const std::string good = RecordJson(Record("00000000000000aa", "gemm", {}, 10)).dump();
  {
    std::ofstream(dir / "cut.jsonl") << good << "\n" << good.substr(0, good.size() / 2);
    std::string warning;
    auto read = ReadTuningRecords(dir / "cut.jsonl", &warning);
    ASSERT_TRUE(read.ok()) << read.message();
    EXPECT_EQ(read->size(), 1u);
    EXPECT_NE(warning.find("cut.jsonl:2: an unfinished last record"), std::string::npos) << warning;
  }
  struct Case {
    std::string second_line, error;
  };
  nlohmann::json other_version = RecordJson(Record("00000000000000aa", "gemm", {}, 10));
  other_version["version"] = 2;
  nlohmann::json wrong_type = RecordJson(Record("00000000000000aa", "gemm", {}, 10));
  wrong_type["cycles"] = "many";
  nlohmann::json missing = RecordJson(Record("00000000000000aa", "gemm", {}, 10));
  missing.erase("task");
  for (const Case& c : std::vector<Case>{{"{not json", "bad.jsonl:2: not a JSON record"},
                                         {other_version.dump(), "bad.jsonl:2: records of version 2"},
                                         {wrong_type.dump(), "bad.jsonl:2 does not have the expected shape"},
                                         {missing.dump(), "bad.jsonl:2 does not have the expected shape"},
                                         {"[1,2]", "bad.jsonl:2"}}) {
    std::ofstream(dir / "bad.jsonl") << good << "\n" << c.second_line << "\n";
    auto read = ReadTuningRecords(dir / "bad.jsonl");
    ASSERT_FALSE(read.ok()) << c.second_line;
    EXPECT_NE(read.message().find(c.error), std::string::npos) << read.message();
  }
}

struct Model {
  Graph graph;
  std::vector<const KernelEntry*> kernels;
  KernelScheduleOptions options;
  std::vector<TuningTask> tasks;
};

Model Load(const std::string& name, int64_t flash_budget = 0) {
  Model m;
  auto graph = ImportModelFile(test::SharedDir() / "models" / "tflite" / name / "model.tflite");
  EXPECT_TRUE(graph.ok()) << graph.message();
  m.graph = graph.value();
  auto kernels = SelectKernels(m.graph);
  EXPECT_TRUE(kernels.ok()) << kernels.message();
  m.kernels = kernels.value();
  auto target = FindTarget("cortex-m4");
  m.options.target = target.value();
  m.options.flash_budget_bytes = flash_budget;
  m.tasks = ExtractTasks(m.graph, m.kernels, m.options);
  return m;
}

/// The schedule `ApplyTuningRecords` leaves on the task's node.
Schedule Applied(const Model& m, const TuningTask& task, const std::vector<TuningRecord>& records) {
  std::vector<Schedule> schedules = ChooseSchedules(m.graph, m.kernels, m.options);
  auto applied = ApplyTuningRecords(m.graph, m.kernels, m.options, records, "r.jsonl", &schedules);
  EXPECT_TRUE(applied.ok()) << applied.message();
  return schedules[static_cast<size_t>(task.nodes[0])];
}

TEST(ApplyTuningRecords, TheLowestValidCostOfOneBoardWins) {
  const Model m = Load("micro_speech_quantized");
  ASSERT_FALSE(m.tasks.empty());
  // The fully connected layer: candidates gemm and gemm_dsp, among others.
  const TuningTask* fc = nullptr;
  for (const TuningTask& t : m.tasks)
    if (t.layer.rfind("FULLY_CONNECTED", 0) == 0) fc = &t;
  ASSERT_NE(fc, nullptr);
  const Schedule& def = fc->space[fc->default_choice];
  const std::string key = fc->key;
  const Schedule gemm = fc->space[1];
  ASSERT_NE(gemm.label(), def.label());

  // No record: the default stands, unmarked.
  EXPECT_TRUE(Applied(m, *fc, {}).tuned_task.empty());
  // A faster valid record wins, and names its task and file; its figure is the measurement.
  Schedule s = Applied(m, *fc, {Record(key, def.name, def.knobs, 500), Record(key, gemm.name, gemm.knobs, 400)});
  EXPECT_EQ(s.label(), gemm.label());
  EXPECT_EQ(s.tuned_task, key);
  EXPECT_EQ(s.tuning_records, "r.jsonl");
  EXPECT_EQ(s.expected_instructions, 200);
  // An invalid record is never chosen, however fast.
  s = Applied(m, *fc, {Record(key, def.name, def.knobs, 500), Record(key, gemm.name, gemm.knobs, 1, false)});
  EXPECT_EQ(s.label(), def.label());
  // Another target's records, and a knob value outside the space, are not this layer's.
  TuningRecord m7 = Record(key, gemm.name, gemm.knobs, 1);
  m7.target = "cortex-m7";
  TuningRecord odd = Record(key, gemm.name, {{"narrow_requant", 7}}, 1);
  s = Applied(m, *fc, {Record(key, def.name, def.knobs, 500), m7, odd});
  EXPECT_EQ(s.label(), def.label());
  // Costs of two boards do not compare: the board that measured last counts.
  TuningRecord elsewhere = Record(key, gemm.name, gemm.knobs, 1);
  elsewhere.board = "another-board";
  s = Applied(m, *fc, {elsewhere, Record(key, def.name, def.knobs, 500), Record(key, gemm.name, gemm.knobs, 600)});
  EXPECT_EQ(s.label(), def.label());
}

TEST(ApplyTuningRecords, NeverSpendsFlashTheDefaultDidNot) {
  // person_detect's first layer: direct_dsp widens its weights to int16
  // (extra flash); with a budget too small for that, the default adds
  // none, and a faster direct_dsp record must not be applied.
  const Model m = Load("person_detect", 300 * 1024);
  const std::vector<Schedule> defaults = ChooseSchedules(m.graph, m.kernels, m.options);
  int checked = 0;
  for (const TuningTask& task : m.tasks) {
    const Schedule& def = defaults[static_cast<size_t>(task.nodes[0])];
    for (const Schedule& s : task.space) {
      if (s.extra_flash_bytes <= def.extra_flash_bytes) continue;
      const Schedule applied =
          Applied(m, task, {Record(task.key, def.name, def.knobs, 500), Record(task.key, s.name, s.knobs, 1)});
      EXPECT_EQ(applied.label(), def.label()) << task.layer << ": " << s.label();
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(ApplyTuningRecords, NeedsATargetAndOptSpeed) {
  Model m = Load("micro_speech_quantized");
  std::vector<Schedule> schedules = ChooseSchedules(m.graph, m.kernels, m.options);
  m.options.opt = "size";
  EXPECT_FALSE(ApplyTuningRecords(m.graph, m.kernels, m.options, {}, "r", &schedules).ok());
  m.options.opt = "speed";
  m.options.target = nullptr;
  EXPECT_FALSE(ApplyTuningRecords(m.graph, m.kernels, m.options, {}, "r", &schedules).ok());
}

}  // namespace
}  // namespace kiln
