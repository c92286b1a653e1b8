#include "memory/first_fit.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace kiln {

bool LiveTogether(const Buffer& a, const Buffer& b) {
  return a.first_use <= b.last_use && b.first_use <= a.last_use;
}

int64_t AlignUp(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

int64_t LowestFreeOffset(const Buffer& buffer, const std::vector<const Buffer*>& placed) {
  // Each live placed buffer forbids an open interval (lo, hi) of starts.
  std::vector<std::pair<int64_t, int64_t>> forbidden;
  for (const Buffer* other : placed) {
    if (!LiveTogether(buffer, *other) || buffer.size == 0 || other->size == 0) continue;
    int64_t lo = other->offset - buffer.size, hi = other->offset + other->size;
    if (buffer.streams_from == other->name) lo = other->offset - buffer.stream_distance;  // we stream over it
    if (other->streams_from == buffer.name) hi = other->offset + other->stream_distance;  // it streams over us
    if (lo + 1 < hi) forbidden.emplace_back(lo, hi);
  }
  std::sort(forbidden.begin(), forbidden.end());
  int64_t candidate = 0;
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto& [lo, hi] : forbidden) {
      if (candidate > lo && candidate < hi) {
        candidate = AlignUp(hi, buffer.alignment);
        moved = true;
      }
    }
  }
  return candidate;
}

void PlaceInOrder(const std::vector<Buffer*>& order, StreamPairs pairs) {
  std::map<std::string, Buffer*> by_name, streamed_by;
  for (Buffer* b : order) by_name[b->name] = b;
  for (Buffer* b : order)
    if (!b->streams_from.empty()) streamed_by[b->streams_from] = b;
  std::vector<const Buffer*> placed;
  std::set<const Buffer*> done;
  for (Buffer* buffer : order) {
    if (done.count(buffer)) continue;
    Buffer *output = nullptr, *input = nullptr;
    if (pairs == StreamPairs::kTogether) {
      if (auto it = by_name.find(buffer->streams_from); it != by_name.end() && !done.count(it->second))
        output = buffer, input = it->second;
      else if (auto it = streamed_by.find(buffer->name); it != streamed_by.end() && !done.count(it->second))
        output = it->second, input = buffer;
    }
    if (output == nullptr) {
      buffer->offset = LowestFreeOffset(*buffer, placed);
      placed.push_back(buffer);
      done.insert(buffer);
      continue;
    }
    const int64_t shift = AlignUp(output->stream_distance, input->alignment);
    Buffer pair;
    pair.name = output->name + "+" + input->name;
    pair.size = std::max(output->size, shift + input->size);
    pair.alignment = std::max(output->alignment, input->alignment);
    pair.first_use = std::min(output->first_use, input->first_use);
    pair.last_use = std::max(output->last_use, input->last_use);
    output->offset = LowestFreeOffset(pair, placed);
    input->offset = output->offset + shift;
    for (Buffer* b : {output, input}) {
      placed.push_back(b);
      done.insert(b);
    }
  }
}

int64_t Extent(const std::vector<Buffer*>& buffers) {
  int64_t end = 0;
  for (const Buffer* b : buffers) end = std::max(end, b->offset + b->size);
  return end;
}

}  // namespace kiln
