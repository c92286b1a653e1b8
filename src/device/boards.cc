#include "device/boards.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "project/template.h"
#include "target/targets.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

/// The value of `--defsym=__flash_size=N` among the linker flags (0 if none).
int64_t FlashSize(const std::vector<std::string>& ldflags) {
  static constexpr std::string_view kSymbol = "__flash_size=";
  for (const std::string& flag : ldflags) {
    const size_t at = flag.find(kSymbol);
    if (at == std::string::npos) continue;
    const std::string value = flag.substr(at + kSymbol.size());
    char* end = nullptr;
    const long long bytes = std::strtoll(value.c_str(), &end, 0);
    return end != value.c_str() && bytes > 0 ? bytes : 0;
  }
  return 0;
}

Expected<Board> ReadBoard(const fs::path& file) {
  std::ifstream in(file);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return MakeError("'{}' is not a JSON object", file.string());
  Board b;
  try {
    b.name = file.parent_path().filename().string();
    b.description = j.at("description").get<std::string>();
    b.target = j.at("target").get<std::string>();
    b.cc = j.at("cc").get<std::string>();
    b.cflags = j.at("cflags").get<std::vector<std::string>>();
    b.ldflags = j.at("ldflags").get<std::vector<std::string>>();
    b.flash_bytes = FlashSize(b.ldflags);
    if (b.flash_bytes == 0)
      return MakeError("'{}': the ldflags define no __flash_size (the board's flash, in bytes)", file.string());
    b.platform_file = j.at("platform").get<std::string>();
    b.instructions_per_tick = j.at("instructions_per_tick").get<int>();
    b.cycle_model = j.value("cycle_model", "");
    if (!b.cycle_model.empty() && b.cycle_model != "cortex-m4")
      return MakeError("'{}': unknown cycle_model '{}' (Kiln has one for cortex-m4)", file.string(), b.cycle_model);
    b.qemu = {j.at("qemu").get<std::string>()};
    b.qemu_package = j.at("qemu_package").get<std::string>();
    for (const auto& arg : j.at("qemu_args")) b.qemu.push_back(arg.get<std::string>());
  } catch (const nlohmann::json::exception& e) {
    return MakeError("'{}': {}", file.string(), e.what());
  }
  return b;
}

struct BoardTable {
  std::vector<Board> boards;
  std::vector<std::string> errors;  ///< board.json files that could not be read
};

const BoardTable& Boards() {
  static const BoardTable table = [] {
    BoardTable t;
    std::error_code ec;
    for (const fs::path& dir : BundledTemplateDirs()) {
      for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const fs::path file = entry.path() / "board.json";
        if (!fs::is_regular_file(file, ec)) continue;
        auto board = ReadBoard(file);
        if (board.ok()) t.boards.push_back(*board);
        else t.errors.push_back(board.message());
      }
    }
    std::sort(t.boards.begin(), t.boards.end(), [](const Board& a, const Board& b) { return a.name < b.name; });
    return t;
  }();
  return table;
}

}  // namespace

void UseBoardDefaults(const Board& board, std::string& target, int64_t& flash_budget) {
  if (target.empty()) target = board.target;
  if (flash_budget != 0) return;
  auto found = FindTarget(target);
  flash_budget = found.ok() ? std::min(board.flash_bytes, (*found)->typical_flash_bytes) : board.flash_bytes;
}

std::span<const Board> AllBoards() { return Boards().boards; }

Expected<const Board*> FindBoard(std::string_view name) {
  const BoardTable& t = Boards();
  for (const Board& b : t.boards) {
    if (b.name == name) return &b;
  }
  std::string known;
  for (const Board& b : t.boards) known += (known.empty() ? "" : ", ") + b.name;
  std::string problems;
  for (const std::string& e : t.errors) problems += "\n  unreadable board: " + e;
  if (t.boards.empty())
    return MakeError("unknown board '{}': no bundled board templates found beside kiln (install it with cmake "
                     "--install, or set KILN_TEMPLATES_DIR to Kiln's templates/ folder){}",
                     name, problems);
  return MakeError("unknown board '{}'; the boards are: {}{}", name, known, problems);
}

}  // namespace kiln
