#include "codegen/generate_c.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "codegen/feature_guards.h"
#include "codegen/fit_extra_ram.h"
#include "codegen/graph_module.h"
#include "codegen/module_header.h"
#include "ir/op_table.h"
#include "ir/print_graph.h"
#include "memory/liveness.h"
#include "memory/planners.h"
#include "support/utf8.h"
#include "target/targets.h"

#ifndef KILN_VERSION
#define KILN_VERSION "dev"
#endif

namespace kiln {
namespace {

/// The LoweringContext the real code generator hands to kernels. Names are
/// symbolic (t<id>, s<k>) until the memory plan binds them to addresses.
class CodegenContext : public LoweringContext {
 public:
  CodegenContext(const Graph& graph, std::string prefix, bool io_in_pools, bool specialise)
      : graph_(graph), prefix_(std::move(prefix)), io_in_pools_(io_in_pools), specialise_(specialise) {
    for (const Node& node : graph_.nodes)
      if (IsControlFlow(node)) rewritten_.insert(node.outputs.begin(), node.outputs.end());
  }

  void begin_node(int position, const Schedule* schedule, LoweredNode* out) {
    position_ = position;
    schedule_ = schedule;
    current_ = out;
  }

  const Graph& graph() const override { return graph_; }
  const Schedule& schedule() const override { return *schedule_; }

  std::string tensor(int id) override {
    const Tensor& t = graph_.tensor(id);
    if (t.is_constant) {
      used_constants_.insert(id);
      return ConstantName(id);
    }
    used_tensors_.insert(id);
    return fmt::format("t{}", id);
  }

  std::string const_int_array(std::string_view stem, std::string_view c_type,
                              std::span<const int64_t> values) override {
    const std::string name = unique_name(stem);
    DType dtype = DType::kInt32;
    if (c_type == "int8_t") dtype = DType::kInt8;
    else if (c_type == "uint8_t") dtype = DType::kUInt8;
    else if (c_type == "int16_t") dtype = DType::kInt16;
    else if (c_type == "int64_t") dtype = DType::kInt64;
    param_bytes_ += static_cast<int64_t>(values.size() * DTypeSize(dtype));
    std::vector<uint8_t>& bytes = param_arrays_[name];
    for (int64_t v : values)
      for (size_t b = 0; b < DTypeSize(dtype); ++b) bytes.push_back(static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * b)));
    current_->declarations.push_back(fmt::format("static const {} {}[{}] = {};", c_type, name,
                                                 std::max<size_t>(values.size(), 1),
                                                 values.empty() ? "{0}" : CIntInitializer(values, dtype)));
    return name;
  }

  std::string const_float_array(std::string_view stem, std::span<const float> values) override {
    const std::string name = unique_name(stem);
    std::string init = "{";
    for (size_t i = 0; i < values.size(); ++i) init += (i ? ", " : "") + CFloatLiteral(values[i]);
    init += values.empty() ? "0.0f}" : "}";
    param_bytes_ += static_cast<int64_t>(values.size() * 4);
    std::vector<uint8_t>& bytes = param_arrays_[name];
    bytes.resize(values.size() * 4);
    if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
    current_->declarations.push_back(fmt::format("static const float {}[{}] = {};", name,
                                                 std::max<size_t>(values.size(), 1), init));
    return name;
  }

  std::string scratch(int64_t bytes) override {
    requests_.scratch.push_back({position_, bytes});
    return fmt::format("s{}", requests_.scratch.size() - 1);
  }

  void streaming_access(const StreamingAccess& access) override { requests_.streams.push_back(access); }

  /// Only between planned tensors: a model input or output is the caller's
  /// memory (unless --io-in-pools), a variable tensor persists, a constant
  /// is in flash.
  bool alias(int output, int input) override {
    auto planned = [&](int id) {
      const Tensor& t = graph_.tensor(id);
      return !t.is_constant && !t.is_variable &&
             (io_in_pools_ ||
              (std::find(graph_.inputs.begin(), graph_.inputs.end(), id) == graph_.inputs.end() &&
               std::find(graph_.outputs.begin(), graph_.outputs.end(), id) == graph_.outputs.end()));
    };
    // A tensor that IF or WHILE writes more than once (a loop variable, an
    // IF's output) keeps bytes of its own: sharing them would let a later
    // write change the other tensor.
    if (!planned(output) || !planned(input) || rewritten_.count(output) || rewritten_.count(input)) return false;
    requests_.aliases[output] = input;
    return true;
  }

  void use_kernel(std::string_view variant) override { kernels_.insert(std::string(variant)); }
  void declare(std::string decl) override { current_->declarations.push_back(std::move(decl)); }
  void statement(std::string stmt) override { current_->statements.push_back(std::move(stmt)); }

  bool specialises_kernels() const override { return specialise_; }

  std::string shared_function(std::string_view inline_variant, std::string_view stem,
                              std::string_view definition) override {
    // A bound on the code (each is a kernel's copy) and on the one compile
    // that measures them for the footprint.
    constexpr size_t kMaxSharedFunctions = 64;
    if (auto known = shared_functions_.find(std::string(definition)); known != shared_functions_.end())
      return known->second;
    if (shared_functions_.size() >= kMaxSharedFunctions) return {};
    auto it = shared_functions_.try_emplace(std::string(definition)).first;
    it->second = unique_name(stem);
    std::string text(definition);
    const size_t at = text.find(kSharedFunctionName);
    if (at != std::string::npos) text.replace(at, kSharedFunctionName.size(), it->second);
    current_->declarations.push_back(std::move(text));
    inline_kernels_.insert(std::string(inline_variant));
    return it->second;
  }

  std::string unique_name(std::string_view stem) override {
    const std::string base = CIdentifier(stem, "v");
    const int n = name_counts_[base]++;
    return n == 0 ? base : fmt::format("{}_{}", base, n);
  }

  std::string ConstantName(int id) const { return fmt::format("{}_c{}", prefix_, id); }

  const std::set<int>& used_tensors() const { return used_tensors_; }
  const std::set<int>& used_constants() const { return used_constants_; }
  const MemoryRequests& memory_requests() const { return requests_; }
  const std::set<std::string>& kernels() const { return kernels_; }
  const std::set<std::string>& inline_kernels() const { return inline_kernels_; }
  int64_t param_bytes() const { return param_bytes_; }
  const std::map<std::string, std::vector<uint8_t>>& param_arrays() const { return param_arrays_; }

 private:
  const Graph& graph_;
  std::string prefix_;
  bool io_in_pools_;
  bool specialise_;
  std::set<int> rewritten_;  // written by IF or WHILE markers: never aliased
  int position_ = 0;
  const Schedule* schedule_ = nullptr;
  LoweredNode* current_ = nullptr;
  std::set<int> used_tensors_;
  std::set<int> used_constants_;
  MemoryRequests requests_;
  std::set<std::string> kernels_;
  std::set<std::string> inline_kernels_;                   // kiln/kernels/<variant>_inline.h included
  std::map<std::string, std::string> shared_functions_;  // definition -> name
  std::map<std::string, int> name_counts_;
  int64_t param_bytes_ = 0;
  std::map<std::string, std::vector<uint8_t>> param_arrays_;  // const_int_array/const_float_array, little-endian
};

std::vector<IoTensor> MakeIo(const Graph& graph, const std::vector<int>& ids, const char* fallback) {
  std::vector<IoTensor> out;
  std::set<std::string> taken;
  for (size_t k = 0; k < ids.size(); ++k) {
    const Tensor& t = graph.tensor(ids[k]);
    std::string c_name = CIdentifier(t.name, fmt::format("{}_{}", fallback, k));
    if (taken.count(c_name)) c_name = fmt::format("{}_{}", c_name, k);
    taken.insert(c_name);
    IoTensor io{ids[k], t.name, c_name, t.dtype, t.shape, t.quant, t.bytes(), "", -1};
    out.push_back(std::move(io));
  }
  return out;
}

/// The constant reset() copies variable `id`'s initial value from.
std::string InitialValueName(const std::string& prefix, int id) { return fmt::format("{}_initial{}", prefix, id); }

std::string NodeComment(const Graph& graph, const Node& node) {
  std::string ins, outs;
  for (int id : node.inputs) ins += (ins.empty() ? "" : ", ") + (id == kNoTensor ? std::string("none") : fmt::format("%{}", id));
  for (int id : node.outputs) outs += (outs.empty() ? "" : ", ") + fmt::format("%{}", id);
  std::string attrs = PrintAttrs(node.attrs);
  (void)graph;
  return CommentSafe(fmt::format("#{} {}({}){}{}", node.index, NodeName(node), ins, outs.empty() ? "" : " -> " + outs,
                                 attrs.empty() ? "" : " " + attrs));
}

}  // namespace

Expected<KernelScheduleOptions> KernelScheduleOptionsFor(const CodegenOptions& options) {
  KernelScheduleOptions s;
  s.opt = options.opt;
  s.flash_budget_bytes = options.flash_budget;
  if (s.opt != "speed" && s.opt != "size") return MakeError("--opt is '{}', expected speed or size", s.opt);
  if (!options.target.empty()) {
    KILN_ASSIGN_OR_RETURN(s.target, FindTarget(options.target));
  }
  return s;
}

Expected<GeneratedCode> GenerateC(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                  const CodegenOptions& options) {
  KILN_ASSIGN_OR_RETURN(KernelScheduleOptions schedule_options, KernelScheduleOptionsFor(options));
  std::vector<Schedule> schedules = ChooseSchedules(graph, kernels, schedule_options);
  return GenerateCFittingRam(graph, kernels, schedule_options, schedules, options);
}

Expected<GeneratedCode> GenerateC(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                  const std::vector<Schedule>& schedules, const CodegenOptions& options) {
  if (schedules.size() != graph.nodes.size() || kernels.size() != graph.nodes.size())
    return MakeError("internal error: {} nodes, {} kernels, {} schedules", graph.nodes.size(), kernels.size(),
                     schedules.size());
  // The name is only ever used after "kiln_", so C keywords are fine.
  if (!IsCIdentifier("kiln_" + options.module_name))
    return MakeError("module name '{}' is not a C identifier", options.module_name);
  if (options.executor != "aot" && options.executor != "graph")
    return MakeError("--executor is '{}', expected aot or graph", options.executor);
  if (options.executor == "graph")
    for (const Node& node : graph.nodes)
      if (IsControlFlow(node))
        return MakeError("{} (operator #{}): the graph executor runs a list of kernel calls and has no control flow; "
                         "compile with --executor aot", NodeName(node), node.index);
  const std::string m = options.module_name;
  const std::string prefix = "kiln_" + m;
  const std::string macro = ModuleMacro(m);

  GeneratedCode out;
  out.module_name = m;
  out.executor = options.executor;
  out.inputs = MakeIo(graph, graph.inputs, "input");
  out.outputs = MakeIo(graph, graph.outputs, "output");
  for (int id : graph.inputs) {
    if (std::find(graph.outputs.begin(), graph.outputs.end(), id) != graph.outputs.end())
      return MakeError("tensor {} '{}' is both a model input and a model output", id, graph.tensor(id).name);
  }

  // 1. Lower every node.
  CodegenContext ctx(graph, prefix, options.io_in_pools, options.executor == "aot");
  std::vector<LoweredNode> lowered(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    ctx.begin_node(static_cast<int>(i), &schedules[i], &lowered[i]);
    KILN_RETURN_IF_ERROR(kernels[i]->lower(graph.nodes[i], ctx));
    out.node_kernels.emplace_back(kernels[i]->variant);
    out.node_schedules.push_back(schedules[i]);
  }
  out.kernels.assign(ctx.kernels().begin(), ctx.kernels().end());
  if (options.fault_node >= 0 && (!options.capture_tensors || options.fault_node >= static_cast<int>(graph.nodes.size())))
    return MakeError("--inject-fault {}: the model has operators 0 to {}, and a fault needs a capture build",
                     options.fault_node, static_cast<int>(graph.nodes.size()) - 1);
  out.fault_node = options.fault_node;
  if (options.capture_tensors) {
    // A run streams every capture once: operators inside an IF branch (which
    // may not run) or a WHILE loop (which may run many times) are not
    // captured, nor the markers; what they compute shows in what follows.
    int64_t offset = 0;
    int depth = 0;
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
      const Node& node = graph.nodes[i];
      if (IsControlFlow(node)) {
        const std::string part = node.attrs.get_string("part", "");
        depth += part == "begin" ? 1 : part == "end" ? -1 : 0;
      }
      for (size_t k = 0; k < node.outputs.size() && depth == 0 && !IsControlFlow(node); ++k) {
        const int id = graph.nodes[i].outputs[k];
        if (id == kNoTensor || graph.tensor(id).is_constant || graph.tensor(id).bytes() == 0) continue;
        ctx.tensor(id);  // its pointer is declared in run(), even if the kernel aliased it away
        out.captures.push_back({static_cast<int>(i), static_cast<int>(k), id, offset, graph.tensor(id).bytes()});
        offset += graph.tensor(id).bytes();
      }
    }
  }

  // 2. Plan memory.
  KILN_ASSIGN_OR_RETURN(out.plan, PlanMemory(ComputeBuffers(graph, ctx.memory_requests(), options.io_in_pools),
                                             options.planner, PlannerOptions{}, options.pools));
  std::map<int, const Buffer*> placed;  // tensor id -> its buffer (aliases resolved)
  for (const Buffer& b : out.plan.buffers)
    if (b.kind == Buffer::Kind::kTensor) placed[b.id] = &b;
  for (const auto& [alias, owner] : out.plan.aliases) placed[alias] = placed.at(owner);
  std::set<std::string> io_pools;  // pools holding inputs or outputs: not static, declared in the header
  if (options.io_in_pools) {
    for (std::vector<IoTensor>* io : {&out.inputs, &out.outputs})
      for (IoTensor& t : *io) {
        auto at = placed.find(t.tensor_id);
        if (at == placed.end())  // a constant the model lists as an input or output
          return MakeError("--io-in-pools: {} '{}' is a constant of the model, which no pool holds; compile it "
                           "without --io-in-pools",
                           io == &out.inputs ? "input" : "output", PrintableName(graph.tensor(t.tensor_id).name));
        const Buffer* b = at->second;
        t.pool = b->pool;
        t.offset = b->offset;
        io_pools.insert(t.pool);
      }
  }
  // Read-write pools are static arrays of the module; read-only ones
  // (flash) only bound the constants.
  std::map<std::string, int64_t> ram_pools;
  int64_t read_only_capacity = 0, state_bytes = 0;
  bool has_read_only = false;
  for (const auto& [pool, size] : out.plan.pool_sizes) ram_pools[pool] = size;
  for (const PoolSpec& p : options.pools.pools) {
    if (!p.read_only) continue;
    ram_pools.erase(p.name);
    has_read_only = true;
    read_only_capacity += p.capacity;
  }
  for (const Buffer& b : out.plan.buffers)
    if (b.kind == Buffer::Kind::kTensor && graph.tensor(b.id).is_variable) state_bytes += b.size;

  if (options.executor == "graph") {
    LoweredModule module{&graph, m, std::move(lowered), ctx.param_arrays(), {}, placed, {}, ram_pools, state_bytes};
    for (int id : ctx.used_constants()) module.constants[ctx.ConstantName(id)] = id;
    for (const Buffer& b : out.plan.buffers)
      if (b.kind == Buffer::Kind::kScratch) module.scratch[b.id] = &b;
    KILN_RETURN_IF_ERROR(EmitGraphModule(module, options, &out));
    return out;
  }

  // 3. Constants file: every constant tensor a kernel reads, in flash.
  std::string constants = fmt::format(
      "/* Constant tensors of model '{}' for Kiln module '{}'. Generated by Kiln {}; do not edit. */\n"
      "#include <math.h>\n#include <stdint.h>\n\n#include \"{}_constants.h\"\n",
      CommentSafe(graph.name), m, KILN_VERSION, prefix);
  std::string constants_h = fmt::format(
      "/* Declarations of the constant tensors of Kiln module '{}'. Generated; do not edit. */\n"
      "#ifndef {}_CONSTANTS_H_\n#define {}_CONSTANTS_H_\n\n#include <stdint.h>\n\n",
      m, macro, macro);
  for (int id : ctx.used_constants()) {
    const Tensor& t = graph.tensor(id);
    const std::string decl = fmt::format("const {} {}[{}]", DTypeCType(t.dtype), ctx.ConstantName(id),
                                         std::max<int64_t>(t.num_elements(), 1));
    out.constant_bytes += t.bytes();
    constants += fmt::format("\n/* %{} \"{}\": {} */\n{} = {};\n", id, CommentSafe(t.name),
                             PrintTensorType(t), decl,
                             t.num_elements() == 0 ? "{0}" : CTensorInitializer(t));
    constants_h += fmt::format("extern {};\n", decl);
  }
  // Variables that start from a value of different bytes: reset() copies it.
  for (const Buffer& b : out.plan.buffers) {
    if (b.kind != Buffer::Kind::kTensor || !graph.tensor(b.id).is_variable) continue;
    const Tensor& t = graph.tensor(b.id);
    if (VariableResetFill(t)) continue;
    Tensor bytes;
    bytes.dtype = DType::kUInt8;
    bytes.shape = {static_cast<int32_t>(t.initial_value.size())};
    bytes.data = t.initial_value;
    const std::string decl = fmt::format("const uint8_t {}[{}]", InitialValueName(prefix, b.id), bytes.data.size());
    out.constant_bytes += bytes.bytes();
    constants += fmt::format("\n/* the initial value of variable %{} \"{}\" */\n{} = {};\n", b.id,
                             CommentSafe(t.name), decl, CTensorInitializer(bytes));
    constants_h += fmt::format("extern {};\n", decl);
  }
  constants_h += fmt::format("\n#endif /* {}_CONSTANTS_H_ */\n", macro);
  out.constant_bytes += ctx.param_bytes();
  if (has_read_only && out.constant_bytes > read_only_capacity)
    return MakeError("the model's constants ({} bytes) do not fit the read-only pools ({} bytes)", out.constant_bytes,
                     read_only_capacity);

  // 4. The public header: the C interface of the model.
  out.headers[prefix + ".h"] =
      ModuleHeader({graph.name, m, ram_pools, state_bytes, out.constant_bytes, out.inputs, out.outputs,
                    options.io_in_pools, io_pools, ""});

  // 5. The source: parameters per node, pools, run().
  std::string c = fmt::format(
      "/* Kiln module '{}': the Ahead-of-Time executor of model '{}'.\n"
      " * Generated by Kiln {}; do not edit. */\n"
      "#include <stddef.h>\n#include <stdint.h>\n{}\n#include \"{}.h\"\n#include \"{}_constants.h\"\n"
      "#include \"kiln/runtime.h\"\n",
      m, CommentSafe(graph.name), KILN_VERSION, options.io_in_pools ? "#include <string.h>\n" : "", prefix, prefix);
  for (const std::string& k : out.kernels) c += fmt::format("#include \"kiln/kernels/{}.h\"\n", k);
  for (const std::string& k : ctx.inline_kernels()) c += fmt::format("#include \"kiln/kernels/{}_inline.h\"\n", k);
  c += fmt::format("\n#if KILN_RUNTIME_ABI_VERSION != {}\n#error \"this module needs Kiln runtime ABI version {}\"\n#endif\n",
                   1, 1);
  c += FeatureGuards(schedules, options.target, m);
  for (const auto& [pool, size] : ram_pools) {
    if (size == 0) continue;
    const int64_t alignment = PoolAlignment(options.pools, pool);
    c += fmt::format("\n/* Pool '{}': buffers placed by the '{}' planner. */\n"
                     "{}uint8_t {}_{}[{}] KILN_ALIGNED({});\n",
                     pool, out.plan.planner, io_pools.count(pool) ? "" : "static ", prefix, pool,
                     PoolSizeMacro(m, pool), alignment == kPoolAlignment ? std::string("KILN_POOL_ALIGNMENT")
                                                              : std::to_string(alignment));
  }
  if (state_bytes > 0) c += fmt::format("static int {}_state_ready = 0;\n", prefix);
  c += fmt::format(
      "\n/* With -DKILN_PROFILE, run() records each operator's ticks here. */\n"
      "#ifdef KILN_PROFILE\nuint64_t {0}_op_ticks[{1}];\n"
      "#define {2}_OP_BEGIN() (op_start = kiln_platform_ticks())\n"
      "#define {2}_OP_END(i) ({0}_op_ticks[i] = kiln_platform_ticks() - op_start)\n"
      "#else\n#define {2}_OP_BEGIN() ((void)0)\n#define {2}_OP_END(i) ((void)0)\n#endif\n",
      prefix, std::max<size_t>(graph.nodes.size(), 1), macro);
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    if (lowered[i].declarations.empty()) continue;
    c += fmt::format("\n/* {} */\n", NodeComment(graph, graph.nodes[i]));
    for (const std::string& d : lowered[i].declarations) c += d + "\n";
  }

  // reset(): variable tensors start where TFLite Micro's ResetVariableTensors
  // puts them.
  c += fmt::format("\nvoid {}_reset(void) {{\n", prefix);
  if (state_bytes > 0) {
    c += "  size_t i;\n";
    for (const Buffer& b : out.plan.buffers) {
      if (b.kind != Buffer::Kind::kTensor || !graph.tensor(b.id).is_variable) continue;
      const std::optional<uint8_t> fill = VariableResetFill(graph.tensor(b.id));
      const std::string value = fill ? fmt::format("(uint8_t){}", *fill) : InitialValueName(prefix, b.id) + "[i]";
      c += fmt::format("  for (i = 0; i < {}; ++i) {}_{}[{} + i] = {}; /* %{} */\n", b.size, prefix, b.pool,
                       b.offset, value, b.id);
    }
    c += fmt::format("  {}_state_ready = 1;\n", prefix);
  }
  c += "}\n";

  auto pool_address = [&](const std::string& pool, int64_t offset) {
    return fmt::format("{}_{} + {}", prefix, pool, offset);
  };
  if (options.io_in_pools) {
    c += fmt::format("\nvoid {0}_map_io(struct {0}_inputs* inputs, struct {0}_outputs* outputs) {{\n", prefix);
    c += "  if (inputs != NULL) {\n";
    for (const IoTensor& io : out.inputs)
      c += fmt::format("    inputs->{} = (const {}*)({});\n", io.c_name, DTypeCType(io.dtype),
                       pool_address(io.pool, io.offset));
    c += "  }\n  if (outputs != NULL) {\n";
    for (const IoTensor& io : out.outputs)
      c += fmt::format("    outputs->{} = ({}*)({});\n", io.c_name, DTypeCType(io.dtype),
                       pool_address(io.pool, io.offset));
    c += "  }\n}\n";
  }

  c += fmt::format("\nint32_t {}_run(struct {}_inputs* inputs, struct {}_outputs* outputs) {{\n", prefix,
                   prefix, prefix);
  c += "  if (inputs == NULL || outputs == NULL) return KILN_ERROR_NULL_ARGUMENT;\n";
  if (state_bytes > 0) c += fmt::format("  if (!{}_state_ready) {}_reset();\n", prefix, prefix);
  {
    std::map<int, std::string> io_names;
    std::set<int> is_input(graph.inputs.begin(), graph.inputs.end());
    for (const IoTensor& io : out.inputs) io_names[io.tensor_id] = "inputs->" + io.c_name;
    for (const IoTensor& io : out.outputs) io_names[io.tensor_id] = "outputs->" + io.c_name;
    for (int id : ctx.used_tensors()) {
      const Tensor& t = graph.tensor(id);
      const std::string ctype(DTypeCType(t.dtype));
      if (auto it = io_names.find(id); it != io_names.end() && !options.io_in_pools) {
        c += fmt::format("  {}{}* const t{} = {};\n", is_input.count(id) ? "const " : "", ctype, id, it->second);
      } else {
        const Buffer* b = placed.at(id);
        c += fmt::format("  {}* const t{} = ({}*)({});\n", ctype, id, ctype, pool_address(b->pool, b->offset));
      }
    }
    // Inputs the caller keeps elsewhere are copied in (their buffers are
    // live from the first step, so nothing has overwritten them yet).
    if (options.io_in_pools)
      for (const IoTensor& io : out.inputs)
        c += fmt::format("  if ((const void*)inputs->{0} != (const void*)({1})) memcpy({1}, inputs->{0}, {2});\n",
                         io.c_name, pool_address(io.pool, io.offset), io.bytes);
    for (const Buffer& b : out.plan.buffers) {
      if (b.kind == Buffer::Kind::kScratch)
        c += fmt::format("  void* const s{} = (void*)({}_{} + {});\n", b.id, prefix, b.pool, b.offset);
    }
  }
  c += "#ifdef KILN_PROFILE\n  uint64_t op_start = 0;\n#endif\n";
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    c += fmt::format("\n  /* {} */\n  {}_OP_BEGIN();\n", NodeComment(graph, graph.nodes[i]), macro);
    // Every line of a statement indented, a block's closing brace too: a "}"
    // at the line's start ends run() (the footprint parser relies on it).
    // A control-flow marker's last statement opens or closes a block: it
    // goes after OP_END, so that every OP_BEGIN the run passes meets its OP_END.
    const std::vector<std::string>& statements = lowered[i].statements;
    const size_t inside = IsControlFlow(graph.nodes[i]) && !statements.empty() ? statements.size() - 1
                                                                                 : statements.size();
    for (size_t s = 0; s < inside; ++s) {
      c += "  ";
      for (char ch : statements[s]) c += ch == '\n' ? std::string("\n  ") : std::string(1, ch);
      c += "\n";
    }
    c += fmt::format("  {}_OP_END({});\n", macro, i);
    if (inside < statements.size()) c += "  " + statements.back() + "\n";
    bool faulted = false;  // the fault goes into the node's first captured output
    for (const CapturedTensor& t : out.captures) {
      if (t.node != static_cast<int>(i)) continue;
      if (options.fault_node == t.node && !std::exchange(faulted, true))
        c += fmt::format("  ((uint8_t*)t{})[0] ^= 1u; /* kiln debug --inject-fault {} */\n", t.tensor_id, i);
      c += fmt::format("  kiln_capture_tensor({}u, {}u, t{}, {}u);\n", t.node, t.output, t.tensor_id, t.bytes);
    }
  }
  if (options.io_in_pools) {
    c += "\n";
    for (const IoTensor& io : out.outputs)
      c += fmt::format("  if ((void*)outputs->{0} != (void*)({1})) memcpy(outputs->{0}, {1}, {2});\n", io.c_name,
                       pool_address(io.pool, io.offset), io.bytes);
  }
  c += "  return KILN_OK;\n}\n";

  out.sources[prefix + ".c"] = c;
  out.sources[prefix + "_constants.c"] = constants;
  out.headers[prefix + "_constants.h"] = constants_h;
  return out;
}

}  // namespace kiln
