// `kiln ops`: the operators Kiln compiles, with the dtypes of each.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "frontend/onnx/onnx_op_table.h"
#include "frontend/tflite/builtin_names.h"
#include "ir/op_table.h"
#include "kernels/select_kernels.h"

namespace kiln::cli {

void RegisterOps(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("ops", "List the supported operators and their dtypes");
  cmd->callback([exit_code] {
    // Columns as wide as their longest entry, so that every row lines up.
    struct Row {
      std::string_view name, semantics;
      std::string dtypes;
    };
    std::vector<Row> rows;
    size_t name_width = std::string_view("OPERATOR").size(), dtypes_width = std::string_view("DTYPES").size();
    for (const OpInfo& op : AllOps()) {
      std::string dtypes = SupportedDTypes(op.kind);
      rows.push_back({op.name, op.semantics, dtypes.empty() ? "-" : std::move(dtypes)});
      name_width = std::max(name_width, rows.back().name.size());
      dtypes_width = std::max(dtypes_width, rows.back().dtypes.size());
    }
    fmt::print("{:<{}} {:<{}} {}\n", "OPERATOR", name_width, "DTYPES", dtypes_width, "SEMANTICS");
    for (const Row& row : rows)
      fmt::print("{:<{}} {:<{}} {}\n", row.name, name_width, row.dtypes, dtypes_width, row.semantics);
    fmt::print("\n{:<23} {}\n", "TFLITE OPERATOR", "IMPORTED AS");
    for (const tflite::TfliteAlias& alias : tflite::TfliteAliases())
      fmt::print("{:<23} {} ({})\n", alias.builtin, alias.imported_as, alias.how);
    fmt::print("\n{:<20} {}\n", "ONNX OPERATOR", "IMPORTED AS");
    for (const onnx_import::OnnxOpEntry& op : onnx_import::AllOnnxOps())
      fmt::print("{:<20} {}\n", op.name, op.lowers_to);
    fmt::print("\nA model using any other operator is refused at compile time, with the list of\n"
               "every operator Kiln cannot compile ('kiln inspect MODEL' shows them too).\n");
    *exit_code = kExitOk;
  });
}

}  // namespace kiln::cli
