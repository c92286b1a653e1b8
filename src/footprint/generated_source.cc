#include "footprint/generated_source.h"

#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace kiln::footprint {
namespace {

uint64_t ScalarBytes(const std::string& type) {
  static const std::map<std::string, uint64_t> sizes = {
      {"int8_t", 1},  {"uint8_t", 1},  {"char", 1},     {"int16_t", 2}, {"uint16_t", 2},
      {"int32_t", 4}, {"uint32_t", 4}, {"int", 4},      {"float", 4},   {"int64_t", 8},
      {"uint64_t", 8}, {"double", 8}};
  auto it = sizes.find(type);
  return it == sizes.end() ? 0 : it->second;
}

std::vector<std::string> SplitArgs(const std::string& list) {
  std::vector<std::string> args;
  int depth = 0;
  std::string cur;
  for (char c : list) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      args.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) args.push_back(cur);
  for (std::string& a : args) {
    a.erase(0, a.find_first_not_of(' '));
    a.erase(a.find_last_not_of(' ') + 1);
    // A cast in front: "(const int8_t*)t3" -> "t3".
    while (a.starts_with("(") && a.find(')') != std::string::npos && a.find(')') + 1 < a.size())
      a = a.substr(a.find(')') + 1);
  }
  return args;
}

}  // namespace

Expected<GeneratedModule> ParseGeneratedModule(const std::string& module, const std::string& source,
                                               const std::string& constants_source,
                                               const std::map<std::string, uint64_t>& struct_bytes) {
  GeneratedModule out;
  const std::string prefix = "kiln_" + module;
  // Constant arrays: "static const int32_t dwconv_shift[8] = {" and "const int8_t kiln_default_c14[1024] = {".
  static const std::regex array_decl(R"(^(?:static )?const (\w+) (\w+)\[(\d+)\] =)");
  static const std::regex struct_decl(R"(^static const (kiln_\w+_params_t) (\w+) =)");
  // ".field = name" or ".field = (const int8_t*)name", several to a line in
  // a nested or one-line initializer.
  static const std::regex member_ref(R"(\.\w+ = (?:\([^)]*\))?(\w+))");
  std::string current_struct;
  // The arrays and runtime functions a parameter struct's line points to.
  auto add_refs = [&](const std::string& line) {
    for (auto it = std::sregex_iterator(line.begin(), line.end(), member_ref); it != std::sregex_iterator(); ++it) {
      const std::string name = (*it)[1].str();
      if (out.constants.count(name) != 0)
        out.constants[current_struct].refs.push_back(name);
      else if (name.starts_with("kiln_"))
        out.constants[current_struct].functions.push_back(name);
    }
  };
  for (const std::string* text : {&source, &constants_source}) {
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);) {
      std::smatch m;
      // Most lines are the constants' numbers: a regex on each costs more
      // than the rest of the compile, so only a declaration's first word
      // lets one run.
      const bool declaration = line.starts_with("const ") || line.starts_with("static const ");
      if (declaration && std::regex_search(line, m, array_decl)) {
        const uint64_t size = ScalarBytes(m[1].str());
        if (size == 0) return MakeError("generated code declares a constant of unknown type '{}'", m[1].str());
        out.constants[m[2].str()].bytes = size * std::stoull(m[3].str());
        current_struct.clear();
      } else if (declaration && std::regex_search(line, m, struct_decl)) {
        auto it = struct_bytes.find(m[1].str());
        if (it == struct_bytes.end())
          return MakeError("the size table does not know the parameter struct '{}'", m[1].str());
        current_struct = m[2].str();
        out.constants[current_struct].bytes = it->second;
        add_refs(line);
        if (line.ends_with("};")) current_struct.clear();  // a one-line initializer
      } else if (!current_struct.empty() && line.starts_with("};")) {
        current_struct.clear();
      } else if (!current_struct.empty() && line.find(" = ") != std::string::npos) {
        add_refs(line);
      } else if (line.starts_with("static int " + prefix + "_state_ready")) {
        out.static_bytes += 4;
      }
    }
  }

  // run(): tensor pointers, then one block per operator between OP_BEGIN and OP_END.
  const size_t run_at = source.find("int32_t " + prefix + "_run(");
  if (run_at == std::string::npos) return MakeError("generated code has no {}_run()", prefix);
  const size_t reset_at = source.find("void " + prefix + "_reset(void)");
  if (reset_at != std::string::npos) {
    std::istringstream in(source.substr(reset_at, run_at > reset_at ? run_at - reset_at : std::string::npos));
    for (std::string line; std::getline(in, line);)
      if (line.starts_with("  for (i = 0;")) ++out.shape.reset_loops;
  }
  static const std::regex pool_ptr(R"(^  (?:const )?\w+\* const ([ts]\d+) = \(\w+\*\)\((.*)\);)");
  static const std::regex io_ptr(R"(^  (?:const )?\w+\* const (t\d+) = (inputs|outputs)->)");
  static const std::regex call(R"(^ +(kiln_\w+)\((.*)\);)");
  std::set<std::string> io_names;
  // Pool pointers by name and their address expressions; an address passed
  // before is a CallSite::repeated argument.
  std::map<std::string, std::string> pool_names;
  std::set<std::string> passed;
  std::istringstream in(source.substr(run_at));
  std::string upper_prefix = prefix;
  for (char& c : upper_prefix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::string line; std::getline(in, line);) {
    if (line == "}") break;
    std::smatch m;
    if (line.find("_state_ready) " + prefix + "_reset();") != std::string::npos) out.shape.state_check = true;
    if (line.find(upper_prefix + "_OP_BEGIN();") != std::string::npos) {
      out.operators.emplace_back();
      continue;
    }
    if (std::regex_search(line, m, io_ptr)) {
      io_names.insert(m[1].str());
    } else if (std::regex_search(line, m, pool_ptr)) {
      pool_names[m[1].str()] = m[2].str();
    } else if (std::regex_search(line, m, call)) {
      if (out.operators.empty()) out.operators.emplace_back();
      CallSite site;
      site.callee = m[1].str();
      OperatorCode& op = out.operators.back();
      for (std::string arg : SplitArgs(m[2].str())) {
        if (arg.starts_with("&")) arg = arg.substr(1);
        if (auto pool = pool_names.find(arg); pool != pool_names.end()) {
          if (passed.insert(pool->second).second)
            ++site.pool;
          else
            ++site.repeated;
        } else if (io_names.count(arg)) {
          ++site.io;
        } else if (out.constants.count(arg)) {
          ++site.address;
          std::vector<std::string> todo = {arg};
          while (!todo.empty()) {
            const std::string c = todo.back();
            todo.pop_back();
            op.constants.push_back(c);
            for (const std::string& r : out.constants[c].refs) todo.push_back(r);
            for (const std::string& f : out.constants[c].functions) site.indirect_callees.push_back(f);
          }
        } else if (!arg.empty() && (std::isdigit(static_cast<unsigned char>(arg[0])) || arg[0] == '-' || arg == "NULL")) {
          ++site.integer;
        } else {
          ++site.address;  // any other symbol: an address to load
        }
      }
      op.calls.push_back(site);
      out.shape.calls.push_back(site);
    }
  }
  return out;
}

}  // namespace kiln::footprint
