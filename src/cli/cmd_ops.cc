// `kiln ops`: the operators Kiln compiles, with the dtypes of each.
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
    fmt::print("{:<23} {:<36} {}\n", "OPERATOR", "DTYPES", "SEMANTICS");
    for (const OpInfo& op : AllOps()) {
      std::string dtypes = SupportedDTypes(op.kind);
      fmt::print("{:<23} {:<36} {}\n", op.name, dtypes.empty() ? "-" : dtypes, op.semantics);
    }
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
