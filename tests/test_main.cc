// The main of kiln_tests. scripts/test.sh installs every tool the tests use,
// so a skipped test hides a broken setup or a regression: any skip (a
// GTEST_SKIP anywhere, in a test, a fixture or a suite) is turned into a
// failure of that test. ctest would otherwise count a skip as a pass.
#include <gtest/gtest.h>

namespace {

class SkipIsAFailure : public testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const testing::TestInfo& info) override {
    // Listeners may raise failures in OnTestEnd; it then counts against
    // this test, and the printers (called after us) report it as FAILED.
    if (info.result() != nullptr && info.result()->Skipped())
      ADD_FAILURE() << info.test_suite_name() << "." << info.name()
                    << " was skipped; a skip is a failure in Kiln's tests (docs/testing.md)";
  }
};

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  // Appended after the default printer: OnTestEnd runs in reverse order,
  // so the failure is in place before the test's result is printed.
  testing::UnitTest::GetInstance()->listeners().Append(new SkipIsAFailure);
  return RUN_ALL_TESTS();
}
