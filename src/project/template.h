// Project API templates on disk: reading template.json, finding templates
// in search directories (the bundled templates/ folder and any
// --template-dir the user gives), and checking user options against the
// types a template declares. Specified in docs/project-api.md.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/status.h"

namespace kiln {

/// The Project API version this client speaks; servers report theirs in
/// server_info_query and must match.
inline constexpr int kProjectApiVersion = 1;

/// The value types a template option may declare.
enum class OptionType { kString, kInt, kBool };

/// "string", "int" or "bool".
std::string_view OptionTypeName(OptionType type);

/// One option a template declares in template.json.
struct OptionSpec {
  std::string name;
  OptionType type = OptionType::kString;
  nlohmann::json default_value;  ///< null when the option is required
  bool required = false;
  std::string help;
};

/// A template folder, as its template.json describes it.
struct TemplateInfo {
  std::string name;
  std::string description;
  std::filesystem::path dir;     ///< absolute path of the folder
  std::filesystem::path server;  ///< absolute path of the server executable
  std::vector<OptionSpec> options;
  /// Where a built project's GNU ld map is, relative to the project
  /// ("link_map" in template.json); empty when the template makes none.
  std::string link_map;
  /// What the project's transport carries ("transport" in template.json):
  /// Kiln's device protocol ("device-protocol", the default), which `kiln
  /// micro run/time/info` speak, or the model's raw bytes ("raw-stream",
  /// the host template's model_runner), which they cannot.
  bool device_protocol = true;
};

/// Reads and checks `dir`/template.json: fields, option declarations
/// (each default of its declared type), and that the server exists and is
/// executable.
Expected<TemplateInfo> LoadTemplate(const std::filesystem::path& dir);

/// Parses the "options" array of template.json or of a server_info_query
/// result; `where` names its source in error messages.
Expected<std::vector<OptionSpec>> ParseOptionSpecs(const nlohmann::json& options, const std::string& where);

/// Templates in `search_dirs`, in order: a directory that holds a
/// template.json is a template itself, otherwise each of its
/// subdirectories that holds one is. The first template of a name wins, so
/// put user directories before the bundled one to override a template.
/// A missing search directory or a broken template.json is an error.
Expected<std::vector<TemplateInfo>> FindTemplates(const std::vector<std::filesystem::path>& search_dirs);

/// The template called `name` among `templates`, or an error listing the
/// names that exist.
Expected<TemplateInfo> SelectTemplate(const std::vector<TemplateInfo>& templates, const std::string& name);

/// Where the bundled templates live, relative to the kiln binary itself:
/// <prefix>/share/kiln/templates beside an installed <prefix>/bin/kiln, or
/// share/kiln/templates beside it (the build tree's staged copy); failing
/// both, $KILN_TEMPLATES_DIR. Never the source tree. May be empty.
std::vector<std::filesystem::path> BundledTemplateDirs();

/// Checks options given as a JSON object against the template's
/// declarations and fills in defaults: an unknown name, a value of the
/// wrong type or a missing required option is an error naming the option
/// and the expected type.
Expected<nlohmann::json> ResolveOptions(const TemplateInfo& tmpl, const nlohmann::json& given);

/// Like ResolveOptions, for NAME=VALUE strings from the command line:
/// each value is parsed as the option's declared type (int: decimal,
/// bool: true/false/1/0/yes/no/on/off).
Expected<nlohmann::json> ResolveOptionStrings(const TemplateInfo& tmpl, const std::vector<std::string>& given);

}  // namespace kiln
