// `kiln help-text man|bash-completion`: the man page and the bash
// completion script, written from the same command-line definition as
// `kiln --help`, so neither can drift from it. The build runs this to make
// the installed share/man/man1/kiln.1 and the bash completion
// (cmake/install.cmake); a user without the package can
// `source <(kiln help-text bash-completion)`.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "device/boards.h"
#include "project/template.h"

#ifndef KILN_VERSION
#define KILN_VERSION "dev"
#endif

namespace kiln::cli {
namespace {

/// Values an option accepts, beyond what its IsMember check lists: names
/// that live in the bundled templates.
using ExtraChoices = std::map<std::string, std::vector<std::string>>;

std::vector<const CLI::App*> Subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

std::vector<const CLI::Option*> Options(const CLI::App& app) {
  return app.get_options([](const CLI::Option* o) { return o->nonpositional(); });
}

std::vector<const CLI::Option*> Positionals(const CLI::App& app) {
  return app.get_options([](const CLI::Option* o) { return !o->nonpositional(); });
}

bool TakesValue(const CLI::Option& o) { return o.get_type_size_max() > 0 && o.get_expected_max() > 0; }

/// "-o, --output": every name of a named option.
std::vector<std::string> Names(const CLI::Option& o) {
  std::vector<std::string> names;
  for (const std::string& s : o.get_snames()) names.push_back("-" + s);
  for (const std::string& l : o.get_lnames()) names.push_back("--" + l);
  return names;
}

/// The values an IsMember check allows: "TEXT:{text,json}" -> {text, json}.
std::vector<std::string> Choices(const CLI::Option& o, const ExtraChoices& extra) {
  for (const std::string& name : Names(o))
    if (auto it = extra.find(name); it != extra.end()) return it->second;
  const std::string type = o.get_type_name();
  const size_t open = type.find(":{");
  const size_t close = type.find('}', open);
  std::vector<std::string> values;
  if (open == std::string::npos || close == std::string::npos) return values;
  std::string list = type.substr(open + 2, close - open - 2);
  for (size_t start = 0; start <= list.size();) {
    const size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) values.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return values;
}

/// The path of words that names a command: "kiln micro build".
std::string CommandPath(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* p = app.get_parent(); p != nullptr; p = p->get_parent()) path = p->get_name() + " " + path;
  return path;
}

// --- man page -----------------------------------------------------------------

/// Text safe in a roff line: backslashes doubled, hyphens not turned into
/// dashes, a leading dot or quote neutralised.
std::string Roff(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

void ManCommand(const CLI::App& app, std::string& out) {
  std::string usage = CommandPath(app);
  for (const CLI::Option* p : Positionals(app)) usage += " " + p->get_name();
  if (!Subcommands(app).empty()) usage += " COMMAND";
  out += fmt::format(".SS \"{}\"\n{}\n", Roff(usage), Roff(app.get_description()));
  for (const CLI::Option* p : Positionals(app))
    out += fmt::format(".TP\n.I {}\n{}\n", Roff(p->get_name()), Roff(p->get_description()));
  for (const CLI::Option* o : Options(app)) {
    if (o->get_lnames() == std::vector<std::string>{"help"}) continue;
    const std::string value = TakesValue(*o) ? " \\fI" + Roff(o->get_type_name()) + "\\fR" : "";
    out += fmt::format(".TP\n.B {}{}\n{}\n", Roff(fmt::format("{}", fmt::join(Names(*o), ", "))), value,
                       Roff(o->get_description()));
  }
  if (const std::string footer = app.get_footer(); !footer.empty()) out += fmt::format(".PP\n{}\n", Roff(footer));
  for (const CLI::App* sub : Subcommands(app)) ManCommand(*sub, out);
}

std::string ManPage(const CLI::App& app) {
  std::string out;
  out += fmt::format(".TH KILN 1 \"\" \"kiln {}\" \"User Commands\"\n", KILN_VERSION);
  // NAME is "kiln \- what it is", without the description's own "Kiln: ".
  std::string what = app.get_description();
  if (what.starts_with("Kiln: ")) what.erase(0, 6);
  if (what.ends_with(".")) what.pop_back();
  out += ".SH NAME\nkiln \\- " + Roff(what) + "\n";
  out += ".SH SYNOPSIS\n.B kiln\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n";
  out += ".SH DESCRIPTION\n"
         "Kiln compiles a trained TFLite or ONNX model into C99 and a small runtime for microcontrollers "
         "(no interpreter, no malloc), plans its memory, estimates its flash and RAM, and builds, runs and "
         "times it on the host and on emulated boards. Each task is a command; \\fBkiln COMMAND \\-\\-help\\fR "
         "prints the same text as this page for one command.\n";
  out += ".SH COMMANDS\n";
  for (const CLI::App* sub : Subcommands(app)) ManCommand(*sub, out);
  out += ".SH ENVIRONMENT\n"
         ".TP\n.B CC\nThe host C compiler models are built with for \\fBkiln run\\fR (default \\fBcc\\fR).\n"
         ".TP\n.B KILN_TEMPLATES_DIR\nThe Project API templates and board descriptions, where they are not "
         "beside the kiln binary (\\fI<prefix>/share/kiln/templates\\fR).\n";
  out += ".SH FILES\n"
         ".TP\n.I <prefix>/share/kiln/templates\nProject API templates (\\fBkiln micro templates\\fR lists them) "
         "and the board descriptions \\fBkiln run \\-\\-device\\fR uses.\n"
         ".TP\n.I ~/.cache/kiln\nThe footprint estimate's size tables, measured once per cross compiler.\n"
         ".TP\n.I <prefix>/share/doc/kiln\nThe documentation: README.md and one page per subject.\n";
  out += ".SH EXIT STATUS\n"
         ".TP\n.B 0\nSuccess.\n"
         ".TP\n.B 1\nA bad model, an unsupported operator, a wrong input, a budget exceeded or a tool missing; "
         "the message names what and where.\n"
         ".TP\n.B 2\nA bad command line.\n"
         ".TP\n.B 3\nAn internal error in Kiln: please report it.\n"
         ".TP\n.B 4\n\\fBkiln debug\\fR: an operator's output differs from the reference; the report names the "
         "first.\n";
  out += ".SH SEE ALSO\n\\fBkiln doctor\\fR checks the boards' tools; \\fI<prefix>/share/doc/kiln/README.md\\fR.\n";
  return out;
}

// --- bash completion ------------------------------------------------------------

void CollectCommands(const CLI::App& app, std::vector<const CLI::App*>& all) {
  all.push_back(&app);
  for (const CLI::App* sub : Subcommands(app)) CollectCommands(*sub, all);
}

std::string Words(const std::vector<std::string>& words) { return fmt::format("{}", fmt::join(words, " ")); }

std::string BashCompletion(const CLI::App& root, const ExtraChoices& extra) {
  std::vector<const CLI::App*> commands;
  CollectCommands(root, commands);
  std::string descend, lists, values;
  for (const CLI::App* app : commands) {
    const std::string path = CommandPath(*app);
    std::vector<std::string> subs, options;
    for (const CLI::App* sub : Subcommands(*app)) {
      subs.push_back(sub->get_name());
      descend += fmt::format("      \"{} {}\") path=\"{} {}\" ;;\n", path, sub->get_name(), path, sub->get_name());
    }
    for (const CLI::Option* o : Options(*app)) {
      const std::vector<std::string> names = Names(*o);
      options.insert(options.end(), names.begin(), names.end());
      if (!TakesValue(*o)) continue;
      std::vector<std::string> keys;
      for (const std::string& n : names) keys.push_back(fmt::format("\"{}|{}\"", path, n));
      const std::vector<std::string> choices = Choices(*o, extra);
      values += fmt::format("    {}) COMPREPLY=($(compgen {} -- \"$cur\")); return ;;\n", fmt::join(keys, "|"),
                            choices.empty() ? "-f" : "-W \"" + Words(choices) + "\"");
    }
    lists += fmt::format("    \"{}\") subcommands=\"{}\"; options=\"{}\"; files={} ;;\n", path, Words(subs),
                         Words(options), Positionals(*app).empty() ? 0 : 1);
  }
  return fmt::format(R"(# bash completion for kiln, written by `kiln help-text bash-completion` (kiln {version}).
# Installed as share/bash-completion/completions/kiln; or: source <(kiln help-text bash-completion)
_kiln() {{
  local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
  local path=kiln i subcommands="" options="" files=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "$path ${{COMP_WORDS[i]}}" in
{descend}    esac
  done
  case "$path|$prev" in
{values}  esac
  case "$path" in
{lists}  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
  if ((files)); then COMPREPLY+=($(compgen -f -- "$cur")); fi
}}
complete -o filenames -F _kiln kiln
)",
                     fmt::arg("version", KILN_VERSION), fmt::arg("descend", descend), fmt::arg("values", values),
                     fmt::arg("lists", lists));
}

/// Board and template names, for --device, --board and --template.
ExtraChoices TemplateChoices() {
  std::vector<std::string> boards, templates;
  for (const Board& b : AllBoards()) boards.push_back(b.name);
  if (auto found = FindTemplates(BundledTemplateDirs()); found.ok())
    for (const TemplateInfo& t : *found) templates.push_back(t.name);
  return {{"--device", boards}, {"--board", boards}, {"--template", templates}};
}

}  // namespace

void RegisterHelpText(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("help-text", "Print the man page or the bash completion script");
  cmd->group("");  // a build step's tool, not a user's command: kept out of --help
  static std::string kind;
  cmd->add_option("kind", kind, "man or bash-completion")->required()->check(CLI::IsMember({"man", "bash-completion"}));
  cmd->callback([&app, exit_code] {
    fmt::print("{}", kind == "man" ? ManPage(app) : BashCompletion(app, TemplateChoices()));
    *exit_code = kExitOk;
  });
}

}  // namespace kiln::cli
