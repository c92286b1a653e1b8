// `kiln inspect MODEL`: what is in a model, and what Kiln can compile of it.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_options.h"
#include "driver/compile.h"
#include "ir/op_table.h"
#include "ir/print_graph.h"
#include "kernels/select_kernels.h"

namespace kiln::cli {
namespace {

std::string Refs(const std::vector<int>& ids) {
  std::string s;
  for (int id : ids) s += (s.empty() ? "" : " ") + (id == kNoTensor ? std::string("-") : fmt::format("%{}", id));
  return s;
}

int Inspect(const std::string& path, bool print_ir, const std::vector<std::string>& shapes) {
  auto import = ParseImportOptions(shapes);
  if (!import.ok()) return ReportError(import.message());
  auto graph = ImportModelFile(path, *import);
  if (!graph.ok()) return ReportError(fmt::format("{}: {}", path, graph.message()));
  const Graph& g = *graph;
  if (print_ir) {
    fmt::print("{}", PrintGraph(g));
    return kExitOk;
  }
  fmt::print("model {}: {} operators, {} tensors\n", path, g.nodes.size(), g.tensors.size());
  auto io = [&](const char* title, const std::vector<int>& ids) {
    fmt::print("{}:\n", title);
    for (size_t k = 0; k < ids.size(); ++k) {
      const Tensor& t = g.tensor(ids[k]);
      fmt::print("  [{}] %{} \"{}\" {} ({} bytes)\n", k, ids[k], t.name, PrintTensorType(t), t.bytes());
    }
  };
  io("inputs", g.inputs);
  io("outputs", g.outputs);

  // Problems by node position (an ONNX node may lower to several IR nodes
  // that share its index).
  std::map<size_t, std::string> problems;
  std::map<int, std::string> unsupported;
  for (const UnsupportedNode& u : FindUnsupported(g)) unsupported[u.index] = u.reason;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& node = g.nodes[i];
    const KernelEntry* kernel = FindKernel(g, node);
    if (node.op == OpKind::kUnsupported || kernel == nullptr) {
      problems[i] = unsupported.count(node.index) ? unsupported[node.index] : "operator not supported";
      continue;
    }
    // NCHW nodes of a partly supported ONNX model never reached the layout
    // pass; their kernels check the NHWC form only.
    if (node.attrs.has("layout")) continue;
    Status s = kernel->check(g, node);
    if (!s.ok()) problems[i] = s.message();
  }
  fmt::print("operators:\n");
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& node = g.nodes[i];
    const std::string attrs = PrintAttrs(node.attrs);
    std::string verdict;
    if (auto it = problems.find(i); it != problems.end()) verdict = "CANNOT COMPILE: " + it->second;
    else verdict = "kernel " + std::string(FindKernel(g, node)->variant);
    fmt::print("  #{} {}({}) -> ({}) {}\n      {}\n", node.index, NodeName(node), Refs(node.inputs),
               Refs(node.outputs), attrs, verdict);
  }
  fmt::print("tensors:\n");
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const Tensor& t = g.tensors[i];
    fmt::print("  %{} {}{} \"{}\"\n", i, t.is_constant ? "const " : (t.is_variable ? "var " : ""),
               PrintTensorType(t), t.name);
  }
  if (problems.empty()) {
    fmt::print("\nKiln can compile every operator of this model.\n");
  } else {
    fmt::print("\nKiln cannot compile {} operator(s) of this model:\n", problems.size());
    for (const auto& [pos, reason] : problems) {
      const Node& node = g.nodes[pos];
      fmt::print("  #{} {}: {}\n", node.index, NodeName(node), reason);
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterInspect(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Show a model's tensors, shapes, dtypes, quantization and operators, and name every "
                 "operator Kiln cannot compile");
  static std::string path;
  static bool print_ir = false;
  static std::vector<std::string> shapes;
  cmd->add_option("model", path, "TFLite (.tflite) or ONNX (.onnx) model")->required();
  cmd->add_flag("--ir", print_ir, "Print Kiln's IR text form instead");
  AddImportOptions(cmd, &shapes);
  cmd->callback([exit_code] { *exit_code = Inspect(path, print_ir, shapes); });
}

}  // namespace kiln::cli
