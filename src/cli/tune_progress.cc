#include "cli/tune_progress.h"

#include <string>

#include <fmt/format.h>

namespace kiln::cli {
namespace {

std::string Bar(int done, int total, int width) {
  const int filled = total > 0 ? done * width / total : width;
  return "[" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(width - filled), '.') + "]";
}

std::string Duration(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return s >= 60 ? fmt::format("{}m{:02}s", s / 60, s % 60) : fmt::format("{}s", s);
}

std::string BestText(const TaskOutcome& t) {
  if (t.best == nullptr) return "no valid candidate yet";
  std::string text = fmt::format("best {} {}", t.best->cost(), t.best->cycles != 0 ? "cycles" : "instructions");
  if (const auto change = t.change_percent()) text += fmt::format(" ({:+.1f}% against the default)", *change);
  return text;
}

}  // namespace

void TuneProgress::Planned(const std::vector<TaskOutcome>& tasks) {
  start_ = std::chrono::steady_clock::now();
  for (const TaskOutcome& t : tasks) {
    tasks_.push_back(&t);
    to_measure_ += t.planned - t.resumed;
  }
  if (terminal_)
    Redraw();
  else
    fmt::print(out_, "{} tasks, {} measurements to make\n", tasks.size(), to_measure_);
  std::fflush(out_);
}

void TuneProgress::Measured(const TaskOutcome& task, const TuningRecord& record) {
  ++measured_;
  measuring_seconds_ += record.seconds;
  if (terminal_) {
    Redraw();
  } else {
    const std::string figure = record.valid ? fmt::format("{} {}", record.cost(), record.cycles != 0 ? "cycles" : "instructions")
                                            : "invalid: " + record.error;
    fmt::print(out_, "[{}/{}] {} {}: {}; {}\n", measured_, to_measure_, task.task->layer, record.schedule_label(),
               figure, BestText(task));
  }
  std::fflush(out_);
}

void TuneProgress::Redraw() {
  std::string text;
  if (drawn_lines_ > 0) text += fmt::format("\x1b[{}A", drawn_lines_);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double per = measured_ > 0 ? measuring_seconds_ / measured_ / jobs_ : 0;
  text += fmt::format("\x1b[2K{} {}/{} measurements, {} elapsed, about {} left\n", Bar(measured_, to_measure_, 30),
                      measured_, to_measure_, Duration(elapsed), measured_ > 0 ? Duration(per * (to_measure_ - measured_)) : "?");
  for (const TaskOutcome* t : tasks_) {
    const int total = t->planned - t->resumed;
    text += fmt::format("\x1b[2K  {} {:>3}/{:<3} {:<44.44} {}\n", Bar(t->measured, total, 12), t->measured, total,
                        t->task->layer, BestText(*t));
  }
  drawn_lines_ = 1 + static_cast<int>(tasks_.size());
  std::fputs(text.c_str(), out_);
}

}  // namespace kiln::cli
