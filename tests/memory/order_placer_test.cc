// First-fit in a given order (memory/order_placer.h): lowest offsets,
// conflicts, and declared overlaps through the overlap hook.
#include <gtest/gtest.h>

#include "memory/order_placer.h"
#include "memory/planner_test_util.h"

namespace kiln {
namespace {

using test::MakeBuffer;

std::vector<Buffer*> Pointers(std::vector<Buffer>& buffers) {
  std::vector<Buffer*> out;
  for (Buffer& b : buffers) out.push_back(&b);
  return out;
}

TEST(PlannerOrderPlacer, LowestFreeOffsetInOrder) {
  std::vector<Buffer> buffers = {MakeBuffer("a", 100, 0, 1), MakeBuffer("b", 50, 1, 2), MakeBuffer("c", 40, 2, 3),
                                 MakeBuffer("z", 0, 0, 3)};
  const FirstFit ff(Pointers(buffers));
  EXPECT_EQ(ff.conflicts(0), (std::vector<int>{1}));
  EXPECT_EQ(ff.conflicts(1), (std::vector<int>{0, 2}));
  EXPECT_TRUE(ff.conflicts(3).empty());  // zero size: no conflicts
  EXPECT_FALSE(ff.has_overlaps());
  std::vector<int64_t> offsets;
  const std::vector<int> order = {1, 0, 2, 3};
  EXPECT_EQ(ff.Place(order, &offsets), 164);
  EXPECT_EQ(offsets, (std::vector<int64_t>{64, 0, 64, 0}));  // b at 0, a above it, c where a was
  // Re-placing from position 2 keeps the prefix.
  offsets[2] = 999;
  EXPECT_EQ(ff.Place(order, &offsets, 2), 164);
  EXPECT_EQ(offsets[2], 64);
}

// "out" streams over "in": it may start 32 bytes (or more) below it.
int64_t OutOverIn(const Buffer& output, const Buffer& input) {
  return output.name == "out" && input.name == "in" ? 32 : -1;
}

TEST(PlannerOrderPlacer, DeclaredOverlapLetsTheOutputSitBelowItsInput) {
  std::vector<Buffer> buffers = {MakeBuffer("in", 128, 0, 1), MakeBuffer("out", 128, 1, 2)};
  const FirstFit ff(Pointers(buffers), &OutOverIn);
  EXPECT_TRUE(ff.has_overlaps());
  std::vector<int64_t> offsets;
  // Output first at 0: the input may start 32 above it, overlapping.
  EXPECT_EQ(ff.Place(std::vector<int>{1, 0}, &offsets), 160);
  EXPECT_EQ(offsets, (std::vector<int64_t>{32, 0}));
  // Input first at 0: the output may not start above it inside it, nor
  // less than 32 below it: it goes past its end.
  EXPECT_EQ(ff.Place(std::vector<int>{0, 1}, &offsets), 256);
  EXPECT_EQ(offsets, (std::vector<int64_t>{0, 128}));
  // Without the declaration they never overlap.
  const FirstFit plain(Pointers(buffers));
  EXPECT_EQ(plain.Place(std::vector<int>{1, 0}, &offsets), 256);
}

}  // namespace
}  // namespace kiln
