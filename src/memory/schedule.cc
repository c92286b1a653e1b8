// Memory-aware execution order (see schedule.h).
//
// A state is the set S of nodes already run (closed under predecessors).
// The activations live after S are those touched both by a node in S and
// by one outside it: they depend on S only, not on the order S ran in. So
// running node v from S costs
//   mem(S, v) = bytes(live(S) + tensors touched by v) + scratch(v)
// and the lowest peak from S to the end is
//   g(S) = min over ready v of max(mem(S, v), g(S + v)),   g(all) = 0.
// The exact search enumerates the reachable states level by level (level k
// = sets of k nodes), computes g backwards, then walks forwards taking at
// each step the smallest ready node position that still reaches g(empty).
// That walk yields the lexicographically smallest optimal order, which is
// the original order whenever the original is optimal. Cost: O(states *
// ready nodes * (nodes + tensor uses)); states are few for chain-like
// graphs, up to 2^n for n parallel nodes, hence the cap and the beam.
#include "memory/schedule.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "ir/op_table.h"

namespace kiln {
namespace {

using Set = std::vector<uint64_t>;

struct SetHash {
  size_t operator()(const Set& s) const {
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (uint64_t w : s) h = (h ^ w) * 0xff51afd7ed558ccdULL + (h >> 29);
    return static_cast<size_t>(h);
  }
};

bool Has(const Set& s, int v) { return (s[static_cast<size_t>(v) / 64] >> (v % 64)) & 1U; }
void Add(Set& s, int v) { s[static_cast<size_t>(v) / 64] |= uint64_t{1} << (v % 64); }

/// The graph reduced to what scheduling needs.
struct Problem {
  int n = 0;
  std::vector<std::vector<int>> preds;    // per node: nodes that must run before it
  std::vector<std::vector<int>> touches;  // per node: counted tensors it touches (unique)
  std::vector<int> touchers;              // per counted tensor: how many nodes touch it
  std::vector<int64_t> bytes;             // per counted tensor
  std::vector<int64_t> scratch;           // per node

  Problem(const Graph& graph, const std::vector<int64_t>& node_scratch) {
    n = static_cast<int>(graph.nodes.size());
    preds.resize(static_cast<size_t>(n));
    touches.resize(static_cast<size_t>(n));
    scratch.assign(static_cast<size_t>(n), 0);
    for (size_t v = 0; v < node_scratch.size() && v < scratch.size(); ++v) scratch[v] = node_scratch[v];
    auto is_io = [&](int id) {
      return std::find(graph.inputs.begin(), graph.inputs.end(), id) != graph.inputs.end() ||
             std::find(graph.outputs.begin(), graph.outputs.end(), id) != graph.outputs.end();
    };
    // Per tensor, its writers and readers in the original order.
    const size_t t_count = graph.tensors.size();
    std::vector<std::vector<int>> writers(t_count), users(t_count);
    for (int v = 0; v < n; ++v) {
      const Node& node = graph.nodes[static_cast<size_t>(v)];
      for (int id : node.outputs) {
        if (id != kNoTensor) writers[static_cast<size_t>(id)].push_back(v);
      }
      for (const auto* list : {&node.inputs, &node.outputs}) {
        for (int id : *list) {
          if (id == kNoTensor) continue;
          auto& u = users[static_cast<size_t>(id)];
          if (u.empty() || u.back() != v) u.push_back(v);
        }
      }
    }
    std::vector<int> counted(t_count, -1);
    for (size_t id = 0; id < t_count; ++id) {
      const Tensor& t = graph.tensors[id];
      const auto& u = users[id];
      if (u.empty()) continue;
      if (t.is_variable || writers[id].size() > 1) {
        // State, or written twice: keep every touching node in its place
        // relative to the others.
        for (size_t k = 1; k < u.size(); ++k) preds[static_cast<size_t>(u[k])].push_back(u[k - 1]);
      } else if (writers[id].size() == 1) {
        // Data: the writer before every reader.
        for (int r : u) {
          if (r != writers[id][0]) preds[static_cast<size_t>(r)].push_back(writers[id][0]);
        }
      }
      if (t.is_constant || t.is_variable || is_io(static_cast<int>(id))) continue;
      counted[id] = static_cast<int>(bytes.size());
      bytes.push_back(t.bytes());
      touchers.push_back(static_cast<int>(u.size()));
      for (int v : u) touches[static_cast<size_t>(v)].push_back(counted[id]);
    }
    for (auto& p : preds) {
      std::sort(p.begin(), p.end());
      p.erase(std::unique(p.begin(), p.end()), p.end());
    }
  }

  Set Empty() const { return Set(static_cast<size_t>((n + 63) / 64), 0); }

  bool Ready(const Set& s, int v) const {
    if (Has(s, v)) return false;
    for (int p : preds[static_cast<size_t>(v)]) {
      if (!Has(s, p)) return false;
    }
    return true;
  }

  /// Per counted tensor: how many of its touchers are in `s`.
  void Counts(const Set& s, std::vector<int>* counts) const {
    counts->assign(bytes.size(), 0);
    for (int v = 0; v < n; ++v) {
      if (!Has(s, v)) continue;
      for (int t : touches[static_cast<size_t>(v)]) ++(*counts)[static_cast<size_t>(t)];
    }
  }

  bool Live(const std::vector<int>& counts, int t) const {
    const int c = counts[static_cast<size_t>(t)];
    return c > 0 && c < touchers[static_cast<size_t>(t)];
  }

  int64_t LiveBytes(const std::vector<int>& counts) const {
    int64_t total = 0;
    for (size_t t = 0; t < bytes.size(); ++t) {
      if (Live(counts, static_cast<int>(t))) total += bytes[t];
    }
    return total;
  }

  /// Bytes live after node v ran, from the set whose counts are given.
  int64_t LiveAfter(const std::vector<int>& counts, int64_t live_bytes, int v) const {
    int64_t total = live_bytes;
    for (int t : touches[static_cast<size_t>(v)]) {
      const int c = counts[static_cast<size_t>(t)];
      const int64_t size = bytes[static_cast<size_t>(t)];
      if (c > 0 && c < touchers[static_cast<size_t>(t)]) total -= size;
      if (c + 1 < touchers[static_cast<size_t>(t)]) total += size;
    }
    return total;
  }

  /// Bytes live while node v runs after the set whose counts are given.
  int64_t Mem(const std::vector<int>& counts, int64_t live_bytes, int v) const {
    int64_t total = live_bytes + scratch[static_cast<size_t>(v)];
    for (int t : touches[static_cast<size_t>(v)]) {
      if (!Live(counts, t)) total += bytes[static_cast<size_t>(t)];
    }
    return total;
  }
};

struct Edge {
  int node;
  int64_t mem;
  size_t next;  // index of the state in the next level
};

/// Exact search; false when the states exceed the cap.
bool ExactOrder(const Problem& p, int64_t max_states, std::vector<int>* order, int64_t* peak) {
  std::vector<std::vector<Set>> levels(1, {p.Empty()});
  std::vector<std::vector<std::vector<Edge>>> edges;
  int64_t total = 1;
  std::vector<int> counts;
  for (int k = 0; k < p.n; ++k) {
    std::vector<Set> next;
    std::unordered_map<Set, size_t, SetHash> index;
    std::vector<std::vector<Edge>> level_edges(levels[static_cast<size_t>(k)].size());
    for (size_t i = 0; i < levels[static_cast<size_t>(k)].size(); ++i) {
      const Set& s = levels[static_cast<size_t>(k)][i];
      p.Counts(s, &counts);
      const int64_t live = p.LiveBytes(counts);
      for (int v = 0; v < p.n; ++v) {
        if (!p.Ready(s, v)) continue;
        Set t = s;
        Add(t, v);
        auto [it, inserted] = index.emplace(t, next.size());
        if (inserted) {
          next.push_back(std::move(t));
          if (++total > max_states) return false;
        }
        level_edges[i].push_back({v, p.Mem(counts, live, v), it->second});
      }
    }
    edges.push_back(std::move(level_edges));
    levels.push_back(std::move(next));
  }
  // g backwards.
  std::vector<int64_t> g_next(levels.back().size(), 0);
  std::vector<std::vector<int64_t>> g(levels.size());
  g.back() = g_next;
  for (size_t k = static_cast<size_t>(p.n); k-- > 0;) {
    g[k].assign(levels[k].size(), INT64_MAX);
    for (size_t i = 0; i < levels[k].size(); ++i) {
      for (const Edge& e : edges[k][i]) g[k][i] = std::min(g[k][i], std::max(e.mem, g[k + 1][e.next]));
    }
  }
  *peak = p.n == 0 ? 0 : g[0][0];
  // Forwards: the smallest node that keeps the optimum reachable.
  order->clear();
  size_t i = 0;
  for (size_t k = 0; k < static_cast<size_t>(p.n); ++k) {
    for (const Edge& e : edges[k][i]) {  // edges are in increasing node order
      if (std::max(e.mem, g[k + 1][e.next]) <= *peak) {
        order->push_back(e.node);
        i = e.next;
        break;
      }
    }
  }
  return true;
}

/// Beam search: per level, the `width` states of lowest (peak so far, live
/// bytes), ties in generation order.
std::vector<int> BeamOrder(const Problem& p, int width, int64_t* peak) {
  struct State {
    Set set;
    int64_t peak;
    int64_t live;
    size_t parent;
    int node;
  };
  std::vector<std::vector<State>> levels(1, {{p.Empty(), 0, 0, 0, -1}});
  std::vector<int> counts;
  struct Child {
    int64_t peak;
    int64_t live;
    size_t parent;
    int node;
  };
  const size_t keep = static_cast<size_t>(std::max(1, width));
  for (int k = 0; k < p.n; ++k) {
    // Every child as a small record first; sets are built only for those
    // kept. A set reached twice has the same live bytes, so the first in
    // (peak, live, generation) order is the one to keep.
    std::vector<Child> children;
    const auto& level = levels.back();
    for (size_t i = 0; i < level.size(); ++i) {
      const State& s = level[i];
      p.Counts(s.set, &counts);
      for (int v = 0; v < p.n; ++v) {
        if (!p.Ready(s.set, v)) continue;
        children.push_back({std::max(s.peak, p.Mem(counts, s.live, v)), p.LiveAfter(counts, s.live, v), i, v});
      }
    }
    std::stable_sort(children.begin(), children.end(), [](const Child& a, const Child& b) {
      return a.peak != b.peak ? a.peak < b.peak : a.live < b.live;
    });
    std::vector<State> next;
    std::unordered_map<Set, size_t, SetHash> seen;
    for (const Child& c : children) {
      if (next.size() == keep) break;
      Set set = level[c.parent].set;
      Add(set, c.node);
      if (!seen.emplace(set, next.size()).second) continue;
      next.push_back({std::move(set), c.peak, c.live, c.parent, c.node});
    }
    levels.push_back(std::move(next));
  }
  std::vector<int> order(static_cast<size_t>(p.n));
  size_t i = 0;
  for (size_t k = levels.size() - 1; k > 0; --k) {
    order[k - 1] = levels[k][i].node;
    i = levels[k][i].parent;
  }
  *peak = levels.back().empty() ? 0 : levels.back()[0].peak;
  return order;
}

std::string OrderText(const Graph& graph, const std::vector<int>& order) {
  std::string text;
  for (int v : order) text += fmt::format("{}#{}", text.empty() ? "" : " ", graph.nodes[static_cast<size_t>(v)].index);
  return text;
}

}  // namespace

int64_t PeakActivationBytes(const Graph& graph, const std::vector<int>& order,
                            const std::vector<int64_t>& node_scratch) {
  const Problem p(graph, node_scratch);
  Set s = p.Empty();
  std::vector<int> counts;
  int64_t peak = 0;
  for (int v : order) {
    p.Counts(s, &counts);
    peak = std::max(peak, p.Mem(counts, p.LiveBytes(counts), v));
    Add(s, v);
  }
  return peak;
}

std::vector<int> ChooseExecutionOrder(const Graph& graph, const ScheduleOptions& options, ScheduleReport* report) {
  const Problem p(graph, options.node_scratch);
  std::vector<int> original(static_cast<size_t>(p.n));
  std::iota(original.begin(), original.end(), 0);
  const int64_t before = PeakActivationBytes(graph, original, options.node_scratch);
  // IF and WHILE bracket their subgraphs' operators by position, not by a
  // tensor the others read: such a graph runs in the importer's order.
  if (std::any_of(graph.nodes.begin(), graph.nodes.end(), IsControlFlow)) {
    if (report != nullptr) {
      report->order = original;
      report->peak_before = report->peak_after = before;
      report->method = "kept";
      report->summary = fmt::format(
          "execution order: kept the original order (IF or WHILE), peak {} bytes of activations", before);
    }
    return original;
  }

  std::vector<int> order;
  int64_t after = 0;
  const bool exact = ExactOrder(p, options.max_exact_states, &order, &after);
  std::string method = "exact";
  if (!exact) {
    order = BeamOrder(p, options.beam_width, &after);
    method = fmt::format("beam search (width {})", options.beam_width);
  }
  if (after >= before) {  // not strictly better: keep the original
    order = original;
    after = before;
  }
  if (report != nullptr) {
    report->order = order;
    report->peak_before = before;
    report->peak_after = after;
    report->exact = exact;
    report->method = method;
    if (order == original) {
      report->summary = fmt::format("execution order: kept the original order, peak {} bytes of activations{}",
                                    before, exact ? " (the lowest of any order)" : "");
    } else {
      report->summary = fmt::format("execution order ({}): peak {} -> {} bytes of activations, order {}", method,
                                    before, after, OrderText(graph, order));
    }
  }
  return order;
}

void ApplyExecutionOrder(Graph& graph, const std::vector<int>& order) {
  std::vector<Node> nodes;
  nodes.reserve(order.size());
  for (int v : order) nodes.push_back(std::move(graph.nodes[static_cast<size_t>(v)]));
  graph.nodes = std::move(nodes);
}

}  // namespace kiln
