// Reading template.json, template discovery and option checking.
#include "project/template.h"

#include "support/utf8.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace kiln {
namespace {

namespace fs = std::filesystem;

bool ParseOptionType(const std::string& name, OptionType* out) {
  if (name == "string") *out = OptionType::kString;
  else if (name == "int") *out = OptionType::kInt;
  else if (name == "bool") *out = OptionType::kBool;
  else return false;
  return true;
}

bool HasType(const nlohmann::json& value, OptionType type) {
  switch (type) {
    case OptionType::kString: return value.is_string();
    case OptionType::kInt: return value.is_number_integer();
    case OptionType::kBool: return value.is_boolean();
  }
  return false;
}

bool IsIdentifierLike(const std::string& s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

Expected<nlohmann::json> ReadJsonFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cannot read '{}'", path.string());
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    return MakeError("'{}' is not valid JSON: {}", path.string(), e.what());
  }
}

std::string KnownOptions(const TemplateInfo& tmpl) {
  if (tmpl.options.empty()) return "it declares no options";
  std::string list;
  for (const OptionSpec& o : tmpl.options)
    list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", o.name, OptionTypeName(o.type));
  return "its options are: " + list;
}

/// A string member, or "" when absent or not a string.
std::string StringField(const nlohmann::json& object, const char* name) {
  return object.contains(name) && object[name].is_string() ? object[name].get<std::string>() : std::string();
}

const OptionSpec* FindOption(const TemplateInfo& tmpl, const std::string& name) {
  for (const OptionSpec& o : tmpl.options)
    if (o.name == name) return &o;
  return nullptr;
}

}  // namespace

std::string_view OptionTypeName(OptionType type) {
  switch (type) {
    case OptionType::kString: return "string";
    case OptionType::kInt: return "int";
    case OptionType::kBool: return "bool";
  }
  return "?";
}

Expected<std::vector<OptionSpec>> ParseOptionSpecs(const nlohmann::json& options, const std::string& where) {
  std::vector<OptionSpec> specs;
  if (options.is_null()) return specs;
  if (!options.is_array()) return MakeError("{}: \"options\" must be an array", where);
  std::set<std::string> seen;
  for (size_t k = 0; k < options.size(); ++k) {
    const nlohmann::json& o = options[k];
    if (!o.is_object() || !o.contains("name") || !o["name"].is_string() || !o.contains("type") ||
        !o["type"].is_string())
      return MakeError("{}: option {} needs a string \"name\" and a string \"type\"", where, k);
    OptionSpec spec;
    spec.name = o["name"].get<std::string>();
    if (!IsIdentifierLike(spec.name))
      return MakeError("{}: option name '{}' may only use letters, digits, '_' and '-'", where,
                       PrintableName(spec.name));
    if (!seen.insert(spec.name).second) return MakeError("{}: option '{}' is declared twice", where, spec.name);
    if (!ParseOptionType(o["type"].get<std::string>(), &spec.type))
      return MakeError("{}: option '{}' has type '{}'; the types are string, int and bool", where, spec.name,
                       PrintableName(o["type"].get<std::string>()));
    spec.required = o.contains("required") && o["required"] == true;
    spec.help = StringField(o, "help");
    if (o.contains("default") && !o["default"].is_null()) {
      spec.default_value = o["default"];
      if (!HasType(spec.default_value, spec.type))
        return MakeError("{}: the default of option '{}' is {}, not a {}", where, spec.name,
                         spec.default_value.dump(), OptionTypeName(spec.type));
    } else if (!spec.required) {
      return MakeError("{}: option '{}' needs a \"default\" or \"required\": true", where, spec.name);
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

Expected<TemplateInfo> LoadTemplate(const fs::path& dir) {
  std::error_code ec;
  const fs::path abs_dir = fs::weakly_canonical(fs::absolute(dir), ec);
  const fs::path file = abs_dir / "template.json";
  KILN_ASSIGN_OR_RETURN(nlohmann::json j, ReadJsonFile(file));
  const std::string where = file.string();
  if (!j.is_object()) return MakeError("{}: expected a JSON object", where);
  for (const char* field : {"name", "server"})
    if (!j.contains(field) || !j[field].is_string() || j[field].get<std::string>().empty())
      return MakeError("{}: missing the string field \"{}\"", where, field);
  TemplateInfo t;
  t.name = j["name"].get<std::string>();
  if (!IsIdentifierLike(t.name))
    return MakeError("{}: template name '{}' may only use letters, digits, '_' and '-'", where, t.name);
  t.description = StringField(j, "description");
  t.link_map = StringField(j, "link_map");
  if (fs::path(t.link_map).is_absolute())
    return MakeError("{}: \"link_map\" must be a path relative to the project", where);
  const std::string transport = StringField(j, "transport");
  if (!transport.empty() && transport != "device-protocol" && transport != "raw-stream")
    return MakeError("{}: \"transport\" is '{}'; it must be \"device-protocol\" or \"raw-stream\"", where,
                     PrintableName(transport));
  t.device_protocol = transport != "raw-stream";
  t.dir = abs_dir;
  const fs::path server = j["server"].get<std::string>();
  if (server.is_absolute()) return MakeError("{}: \"server\" must be a path relative to the template folder", where);
  t.server = abs_dir / server;
  if (!fs::is_regular_file(t.server, ec))
    return MakeError("{}: the server '{}' does not exist", where, t.server.string());
  if (access(t.server.c_str(), X_OK) != 0)
    return MakeError("{}: the server '{}' is not executable (chmod +x it)", where, t.server.string());
  KILN_ASSIGN_OR_RETURN(t.options, ParseOptionSpecs(j.contains("options") ? j["options"] : nlohmann::json(), where));
  return t;
}

Expected<std::vector<TemplateInfo>> FindTemplates(const std::vector<fs::path>& search_dirs) {
  std::vector<TemplateInfo> found;
  std::set<std::string> names;
  auto add = [&](const fs::path& dir) -> Status {
    KILN_ASSIGN_OR_RETURN(TemplateInfo t, LoadTemplate(dir));
    if (names.insert(t.name).second) found.push_back(std::move(t));
    return Status::Ok();
  };
  for (const fs::path& dir : search_dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return MakeError("template directory '{}' does not exist", dir.string());
    if (fs::exists(dir / "template.json", ec)) {
      KILN_RETURN_IF_ERROR(add(dir));
      continue;
    }
    std::vector<fs::path> subdirs;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
      if (e.is_directory(ec) && fs::exists(e.path() / "template.json", ec)) subdirs.push_back(e.path());
    if (ec) return MakeError("cannot list template directory '{}': {}", dir.string(), ec.message());
    std::sort(subdirs.begin(), subdirs.end());  // directory order is not deterministic
    for (const fs::path& sub : subdirs) KILN_RETURN_IF_ERROR(add(sub));
  }
  return found;
}

Expected<TemplateInfo> SelectTemplate(const std::vector<TemplateInfo>& templates, const std::string& name) {
  std::string names;
  for (const TemplateInfo& t : templates) {
    if (t.name == name) return t;
    names += (names.empty() ? "" : ", ") + t.name;
  }
  return MakeError("no template named '{}'; {}", name,
                   names.empty() ? "no templates were found (use --template-dir)" : "the templates are: " + names);
}

std::vector<fs::path> BundledTemplateDirs() {
  std::error_code ec;
  std::vector<fs::path> candidates;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path bin = exe.parent_path();
    candidates.push_back(bin.parent_path() / "share" / "kiln" / "templates");  // installed: <prefix>/bin/kiln
    candidates.push_back(bin / "share" / "kiln" / "templates");  // the build tree stages them beside build/kiln
  }
  const char* env = std::getenv("KILN_TEMPLATES_DIR");
  if (env != nullptr && *env) candidates.emplace_back(env);
  for (const fs::path& c : candidates)
    if (fs::exists(c / "host" / "template.json", ec)) return {c};
  // A KILN_TEMPLATES_DIR that holds no templates is reported where it is read.
  if (env != nullptr && *env) return {fs::path(env)};
  return {};
}

Expected<nlohmann::json> ResolveOptions(const TemplateInfo& tmpl, const nlohmann::json& given) {
  if (!given.is_null() && !given.is_object()) return MakeError("options for template '{}' must be an object", tmpl.name);
  nlohmann::json resolved = nlohmann::json::object();
  if (given.is_object()) {
    for (const auto& [name, value] : given.items()) {
      const OptionSpec* spec = FindOption(tmpl, name);
      if (spec == nullptr)
        return MakeError("template '{}' has no option '{}'; {}", tmpl.name, name, KnownOptions(tmpl));
      if (!HasType(value, spec->type))
        return MakeError("option '{}' of template '{}' expects a {}, but got {}", name, tmpl.name,
                         OptionTypeName(spec->type), value.dump());
      resolved[name] = value;
    }
  }
  for (const OptionSpec& spec : tmpl.options) {
    if (resolved.contains(spec.name)) continue;
    if (spec.required)
      return MakeError("template '{}' needs the option '{}' ({}){}", tmpl.name, spec.name, OptionTypeName(spec.type),
                       spec.help.empty() ? "" : ": " + spec.help);
    resolved[spec.name] = spec.default_value;
  }
  return resolved;
}

Expected<nlohmann::json> ResolveOptionStrings(const TemplateInfo& tmpl, const std::vector<std::string>& given) {
  nlohmann::json options = nlohmann::json::object();
  for (const std::string& item : given) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return MakeError("option '{}' must be written NAME=VALUE", item);
    const std::string name = item.substr(0, eq);
    const std::string text = item.substr(eq + 1);
    const OptionSpec* spec = FindOption(tmpl, name);
    if (spec == nullptr) return MakeError("template '{}' has no option '{}'; {}", tmpl.name, name, KnownOptions(tmpl));
    switch (spec->type) {
      case OptionType::kString:
        options[name] = text;
        break;
      case OptionType::kInt: {
        int64_t v = 0;
        const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (err != std::errc() || end != text.data() + text.size() || text.empty())
          return MakeError("option '{}' of template '{}' expects an int, but got '{}'", name, tmpl.name, text);
        options[name] = v;
        break;
      }
      case OptionType::kBool: {
        static const std::set<std::string> yes = {"true", "1", "yes", "on"}, no = {"false", "0", "no", "off"};
        if (yes.count(text)) options[name] = true;
        else if (no.count(text)) options[name] = false;
        else return MakeError("option '{}' of template '{}' expects a bool (true or false), but got '{}'", name, tmpl.name, text);
        break;
      }
    }
  }
  return ResolveOptions(tmpl, options);
}

}  // namespace kiln
