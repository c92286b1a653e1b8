// Every planner on the buffers Kiln plans for every shared model: each plan
// passes the verifier, is no smaller than the lower bound, and takes under
// a second. Prints nothing; bench/planner_figures prints the figures.
#include <gtest/gtest.h>

#include <chrono>

#include "memory/planner_test_util.h"
#include "memory/planners.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> SharedModels() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(test::SharedDir() / "models" / "tflite", ec)) {
    if (fs::exists(entry.path() / "model.tflite")) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class PlannersOnSharedModels : public testing::TestWithParam<std::string> {};

TEST_P(PlannersOnSharedModels, VerifiedAboveTheBoundInUnderASecond) {
  auto buffers = test::ModelBuffers(test::SharedDir() / "models" / "tflite" / GetParam() / "model.tflite");
  ASSERT_TRUE(buffers.ok()) << buffers.message();
  ASSERT_FALSE(buffers->buffers.empty());
  for (const PlannerInfo& planner : AllPlanners()) {
    const auto start = std::chrono::steady_clock::now();
    auto plan = PlanMemory(*buffers, planner.name);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(plan.ok()) << planner.name << ": " << plan.message();
    EXPECT_TRUE(VerifyPlan(*plan).ok()) << planner.name;
    EXPECT_GE(plan->pool_size(kWorkspacePool), plan->lower_bound(kWorkspacePool)) << planner.name;
    EXPECT_LT(seconds, 1.0) << planner.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Models, PlannersOnSharedModels, testing::ValuesIn(SharedModels()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kiln
