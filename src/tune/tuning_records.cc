#include "tune/tuning_records.h"

#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "kernels/schedule.h"
#include "support/json_boundary.h"

namespace kiln {

std::string TuningRecord::schedule_label() const { return ScheduleLabel(schedule, knobs); }

std::string TuningRecord::measurement_key() const {
  return fmt::format("{}|{}|{}|{}|{}|{}", kiln_version, target, board, compiler, task, schedule_label());
}

nlohmann::json RecordJson(const TuningRecord& r) {
  nlohmann::json j = {{"version", kTuningRecordsVersion},
                      {"kiln", r.kiln_version},
                      {"target", r.target},
                      {"board", r.board},
                      {"compiler", r.compiler},
                      {"task", r.task},
                      {"layer", r.layer},
                      {"schedule", {{"name", r.schedule}, {"knobs", r.knobs}}},
                      {"valid", r.valid},
                      {"instructions", r.instructions},
                      {"cycles", r.cycles},
                      {"flash_bytes", r.flash_bytes},
                      {"ram_bytes", r.ram_bytes},
                      {"output_digest", r.output_digest},
                      {"seconds", r.seconds},
                      {"strategy", r.strategy}};
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

namespace {

Expected<TuningRecord> ParseRecord(const nlohmann::json& j, const std::string& where) {
  KILN_RETURN_IF_ERROR(CheckFloatsInRange(j, where));
  return ReadingJson(where, [&]() -> Expected<TuningRecord> {
    if (!j.is_object()) return MakeError("{}: not a JSON object", where);
    const int version = j.at("version").get<int>();
    if (version != kTuningRecordsVersion)
      return MakeError("{}: records of version {}, this kiln reads version {}", where, version,
                       kTuningRecordsVersion);
    TuningRecord r;
    r.kiln_version = j.at("kiln").get<std::string>();
    r.target = j.at("target").get<std::string>();
    r.board = j.at("board").get<std::string>();
    r.compiler = j.at("compiler").get<std::string>();
    r.task = j.at("task").get<std::string>();
    r.layer = j.value("layer", "");
    r.schedule = j.at("schedule").at("name").get<std::string>();
    r.knobs = j.at("schedule").at("knobs").get<std::map<std::string, int64_t>>();
    r.valid = j.at("valid").get<bool>();
    r.error = j.value("error", "");
    r.instructions = j.at("instructions").get<uint64_t>();
    r.cycles = j.at("cycles").get<uint64_t>();
    r.flash_bytes = j.at("flash_bytes").get<int64_t>();
    r.ram_bytes = j.at("ram_bytes").get<int64_t>();
    r.output_digest = j.at("output_digest").get<std::string>();
    r.seconds = j.value("seconds", 0.0);
    r.strategy = j.value("strategy", "");
    return r;
  });
}

}  // namespace

Expected<std::vector<TuningRecord>> ReadTuningRecords(const std::filesystem::path& path, std::string* warning) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::vector<TuningRecord>{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cannot read tuning records '{}'", path.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseTuningRecords(text, path.string(), warning);
}

Expected<std::vector<TuningRecord>> ParseTuningRecords(std::string_view text, const std::string& name,
                                                       std::string* warning) {
  std::vector<TuningRecord> records;
  size_t start = 0;
  for (int line_number = 1; start < text.size(); ++line_number) {
    const size_t end = text.find('\n', start);
    const bool last_unterminated = end == std::string::npos;
    const std::string line(text.substr(start, last_unterminated ? std::string::npos : end - start));
    start = last_unterminated ? text.size() : end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = fmt::format("{}:{}", name, line_number);
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      // Every record is written as one line ending in a newline: a last
      // line without one was being written when its writer stopped.
      if (last_unterminated) {
        if (warning != nullptr) *warning = fmt::format("{}: an unfinished last record, skipped", where);
        break;
      }
      return MakeError("{}: not a JSON record", where);
    }
    KILN_ASSIGN_OR_RETURN(TuningRecord r, ParseRecord(j, where));
    records.push_back(std::move(r));
  }
  return records;
}

Status AppendTuningRecord(const std::filesystem::path& path, const TuningRecord& record) {
  const std::string line = RecordJson(record).dump() + "\n";
  std::FILE* f = std::fopen(path.c_str(), "ab");
  if (f == nullptr) return MakeError("cannot append to tuning records '{}'", path.string());
  const bool written = std::fwrite(line.data(), 1, line.size(), f) == line.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) return MakeError("cannot append to tuning records '{}'", path.string());
  return Status::Ok();
}

}  // namespace kiln
