// A LoweringContext for unit tests: records what a lowering asks for
// (constants, scratch, kernels, declarations, statements) so a test can
// assert on the parameters a lowering computed without running codegen.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kernels/lowering.h"

namespace kiln::test {

class RecordingLoweringContext : public LoweringContext {
 public:
  explicit RecordingLoweringContext(const Graph& graph) : graph_(graph) {}

  /// The schedule lowerings see (the reference unless a test sets another).
  Schedule schedule_choice;

  const Graph& graph() const override { return graph_; }
  const Schedule& schedule() const override { return schedule_choice; }
  std::string tensor(int id) override { return fmt::format("t{}", id); }
  std::string const_int_array(std::string_view stem, std::string_view,
                              std::span<const int64_t> values) override {
    std::string name = unique_name(stem);
    int_arrays[name] = std::vector<int64_t>(values.begin(), values.end());
    return name;
  }
  std::string const_float_array(std::string_view stem, std::span<const float> values) override {
    std::string name = unique_name(stem);
    float_arrays[name] = std::vector<float>(values.begin(), values.end());
    return name;
  }
  std::string scratch(int64_t bytes) override {
    scratch_bytes.push_back(bytes);
    return fmt::format("scratch{}", scratch_bytes.size() - 1);
  }
  void use_kernel(std::string_view variant) override { kernels.emplace_back(variant); }
  void declare(std::string decl) override { declarations.push_back(std::move(decl)); }
  void statement(std::string stmt) override { statements.push_back(std::move(stmt)); }
  std::string unique_name(std::string_view stem) override {
    return fmt::format("{}_{}", stem, counter_++);
  }

  std::map<std::string, std::vector<int64_t>> int_arrays;
  std::map<std::string, std::vector<float>> float_arrays;
  std::vector<int64_t> scratch_bytes;
  std::vector<std::string> kernels;
  std::vector<std::string> declarations;
  std::vector<std::string> statements;

 private:
  const Graph& graph_;
  int counter_ = 0;
};

}  // namespace kiln::test
