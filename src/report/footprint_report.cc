#include "report/footprint_report.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "report/markup_text.h"
#include "report/plan_svg.h"
#include "report/step_usage.h"
#include "support/json_boundary.h"

namespace kiln::report {
namespace {

constexpr const char* kStyle = R"(
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px; color: #222; max-width: 1280px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.sub { color: #666; margin-top: 0; }
.totals { display: flex; gap: 16px; flex-wrap: wrap; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 12px 18px; min-width: 220px; }
.card .big { font-size: 26px; font-weight: bold; }
.fits { color: #1e7b34; font-weight: bold; }
.misses { color: #b3261e; font-weight: bold; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 3px 10px; text-align: left; border-bottom: 1px solid #eee; vertical-align: middle; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { position: relative; display: flex; height: 14px; background: #f1f1f1; min-width: 260px; }
.bar.total { height: 22px; min-width: 640px; margin: 18px 0 26px 0; }
.seg { display: block; height: 100%; }
.budget-line { position: absolute; top: -6px; bottom: -6px; border-left: 2px dashed #b3261e; }
.budget-line span { position: absolute; top: 100%; left: 4px; white-space: nowrap; color: #b3261e; font-size: 12px; }
.budget-line span.left { left: auto; right: 4px; }
.swatch { display: inline-block; width: 11px; height: 11px; margin: 0 4px 0 12px; vertical-align: -1px; }
.plan { overflow-x: auto; border: 1px solid #eee; }
tr.peak td { background: #fbe3e3; }
tr.hl td { background: #fff3b0; }
g.hl rect { stroke: #000000; stroke-width: 2; }
.note { color: #666; font-size: 13px; }
)";

// Runs first, so that an error anywhere later (a script or a resource the
// page tried to load) is recorded on <html> for people and tests to see.
constexpr const char* kErrorRecorder = R"(
window.kilnReportErrors = [];
window.addEventListener('error', function (e) {
  var what = e.message ? e.message + (e.filename ? ' (' + e.filename + ':' + e.lineno + ')' : '')
                       : 'could not load ' + (e.target && e.target.tagName ? e.target.tagName : 'a resource');
  window.kilnReportErrors.push(what);
  document.documentElement.setAttribute('data-report-errors', window.kilnReportErrors.join(' | '));
}, true);
)";

// Runs last: links each buffer's box and its table row on hover, and marks
// the page complete with the number of boxes drawn.
constexpr const char* kFinisher = R"(
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('svg [data-buffer]'));
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-buffer-row]'));
  function mark(name, on) {
    boxes.forEach(function (b) { if (b.getAttribute('data-buffer') === name) b.classList.toggle('hl', on); });
    rows.forEach(function (r) { if (r.getAttribute('data-buffer-row') === name) r.classList.toggle('hl', on); });
  }
  boxes.forEach(function (b) {
    var name = b.getAttribute('data-buffer');
    b.addEventListener('mouseenter', function () { mark(name, true); });
    b.addEventListener('mouseleave', function () { mark(name, false); });
  });
  rows.forEach(function (r) {
    var name = r.getAttribute('data-buffer-row');
    r.addEventListener('mouseenter', function () { mark(name, true); });
    r.addEventListener('mouseleave', function () { mark(name, false); });
  });
  document.documentElement.setAttribute('data-buffers-drawn', String(boxes.length));
  document.documentElement.setAttribute('data-report-ready', 'yes');
})();
)";

struct Part {
  std::string label;
  int64_t bytes;
  std::string colour;
};

const char* const kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"};

int64_t Bytes(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<int64_t>() : 0;
}

std::string Text(const nlohmann::json& object, const char* key, const std::string& otherwise = "") {
  if (!object.is_object()) return otherwise;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : otherwise;
}

std::string Percent(int64_t part, int64_t whole) {
  return whole > 0 ? fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole)) : "-";
}

std::string Width(int64_t part, int64_t scale) {
  return fmt::format("{:.3f}%", scale > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(scale) : 0.0);
}

std::string OperatorLabel(const nlohmann::json& operators, int step) {
  if (step < 0 || static_cast<size_t>(step) >= operators.size()) return fmt::format("#{}", step);
  return fmt::format("#{} {}", step, Text(operators[static_cast<size_t>(step)], "op", "?"));
}

std::string Legend(const std::vector<Part>& parts) {
  std::string html = "<div class=\"note\">";
  for (const Part& p : parts)
    if (p.bytes > 0)
      html += fmt::format("<span class=\"swatch\" style=\"background:{}\"></span>{}", p.colour, EscapeMarkup(p.label));
  return html + "</div>\n";
}

/// A total as one stacked bar of its parts, with the budget as a dashed line.
std::string TotalBar(const std::string& what, const std::vector<Part>& parts, int64_t total, int64_t budget) {
  const int64_t scale = std::max(total, budget) + std::max(total, budget) / 12 + 1;
  std::string html = fmt::format("<div class=\"bar total\" data-total=\"{}\" title=\"{}\">", what,
                                 EscapeMarkup(fmt::format("{}: {} bytes", what, GroupDigits(total))));
  for (const Part& p : parts)
    if (p.bytes > 0)
      html += fmt::format("<span class=\"seg\" style=\"width:{};background:{}\" title=\"{}\"></span>",
                          Width(p.bytes, scale), p.colour,
                          EscapeMarkup(fmt::format("{}: {} bytes ({} of {})", p.label, GroupDigits(p.bytes),
                                                   Percent(p.bytes, total), what)));
  if (budget > 0)
    // Near the right end the label goes on the line's left, inside the bar.
    html += fmt::format("<span class=\"budget-line\" data-budget=\"{}\" style=\"left:{}\"><span{}>budget {}</span></span>",
                        what, Width(budget, scale), budget * 5 > scale * 4 ? " class=\"left\"" : "",
                        EscapeMarkup(ShortBytes(budget)));
  return html + "</div>\n" + Legend(parts);
}

/// "fits, N bytes (p%) to spare" or "misses by N bytes", for one budget.
std::string Verdict(int64_t total, int64_t budget) {
  if (budget <= 0) return "";
  if (total <= budget)
    return fmt::format("<span class=\"fits\">fits</span> the {} budget: {} bytes ({}) to spare",
                       ShortBytes(budget), GroupDigits(budget - total), Percent(budget - total, budget));
  return fmt::format("<span class=\"misses\">misses</span> the {} budget by {} bytes ({} over)", ShortBytes(budget),
                     GroupDigits(total - budget), Percent(total - budget, budget));
}

std::string Table(const std::vector<std::pair<std::string, int64_t>>& rows, int64_t total, const char* total_label) {
  std::string html = "<table><tr><th></th><th class=\"num\">bytes</th><th class=\"num\">share</th></tr>\n";
  for (const auto& [label, bytes] : rows)
    html += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                        EscapeMarkup(label), GroupDigits(bytes), Percent(bytes, total));
  html += fmt::format("<tr><th>{}</th><th class=\"num\">{}</th><th></th></tr></table>\n", total_label,
                      GroupDigits(total));
  return html;
}

std::vector<Part> FlashParts(const nlohmann::json& flash, int64_t total) {
  std::vector<Part> parts;
  const nlohmann::json parts_json = flash.is_object() ? flash.value("parts", nlohmann::json::object()) : nlohmann::json();
  int64_t sum = 0;
  size_t colour = 0;
  for (const char* key : {"generated_code", "constants", "kernels", "libraries"}) {
    const int64_t bytes = Bytes(parts_json, key);
    std::string label = key;
    std::replace(label.begin(), label.end(), '_', ' ');
    parts.push_back({label, bytes, kPalette[colour++]});
    sum += bytes;
  }
  if (parts_json.is_object())
    for (const auto& [key, value] : parts_json.items())
      if (value.is_number() && key != "generated_code" && key != "constants" && key != "kernels" &&
          key != "libraries") {
        parts.push_back({key, value.get<int64_t>(), kPalette[colour++ % std::size(kPalette)]});
        sum += value.get<int64_t>();
      }
  if (total > sum) parts.push_back({"other", total - sum, "#bab0ac"});
  return parts;
}

std::vector<Part> RamParts(const nlohmann::json& ram, int64_t total) {
  std::vector<Part> parts;
  size_t colour = 0;
  int64_t sum = 0;
  if (ram.is_object() && ram.contains("pools") && ram["pools"].is_object())
    for (const auto& [pool, bytes] : ram["pools"].items())
      if (bytes.is_number()) {
        parts.push_back({"pool " + pool, bytes.get<int64_t>(), kPalette[colour++ % std::size(kPalette)]});
        sum += bytes.get<int64_t>();
      }
  for (const auto& [key, label] : std::vector<std::pair<const char*, const char*>>{
           {"static_bytes", "static data and bss"}, {"io_bytes", "inputs and outputs"}, {"stack_bytes", "stack of run()"}}) {
    parts.push_back({label, Bytes(ram, key), kPalette[colour++ % std::size(kPalette)]});
    sum += Bytes(ram, key);
  }
  if (total > sum) parts.push_back({"other", total - sum, "#bab0ac"});
  return parts;
}

std::string PerOperator(const nlohmann::json& metadata, const nlohmann::json& footprint) {
  const nlohmann::json& operators = metadata.at("operators");
  const std::vector<StepUsage> usage = UsagePerStep(metadata);
  std::map<int, nlohmann::json> flash_by_index;  // footprint rows, by operator index
  const nlohmann::json flash = footprint.value("flash", nlohmann::json::object());
  if (flash.is_object() && flash.contains("operators") && flash["operators"].is_array())
    for (const auto& op : flash["operators"])
      if (op.is_object() && op.contains("index") && op["index"].is_number_integer()) flash_by_index[op["index"]] = op;

  int64_t flash_max = 1, ram_max = 1;
  int peak = 0;
  for (const auto& [index, op] : flash_by_index)
    flash_max = std::max(flash_max, Bytes(op, "code_bytes") + Bytes(op, "constant_bytes"));
  for (size_t s = 0; s < usage.size(); ++s) {
    if (usage[s].total() > ram_max) peak = static_cast<int>(s);
    ram_max = std::max(ram_max, usage[s].total());
  }

  std::string html =
      "<table class=\"per-operator\"><tr><th>step</th><th>kernel</th><th class=\"num\">code</th>"
      "<th class=\"num\">constants</th><th>flash</th><th class=\"num\">RAM in use</th><th>RAM</th></tr>\n";
  for (size_t s = 0; s < operators.size(); ++s) {
    const nlohmann::json& op = operators[s];
    const int index = op.value("index", static_cast<int>(s));
    const auto it = flash_by_index.find(index);
    const nlohmann::json row = it != flash_by_index.end() ? it->second : nlohmann::json::object();
    const int64_t code = Bytes(row, "code_bytes"), constants = Bytes(row, "constant_bytes");
    const StepUsage& u = usage[s];
    html += fmt::format(
        "<tr data-step=\"{}\"{}><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td><div class=\"bar\"><span class=\"seg\" style=\"width:{};background:{}\" title=\"code\"></span>"
        "<span class=\"seg\" style=\"width:{};background:{}\" title=\"constants\"></span></div></td>"
        "<td class=\"num\">{}</td><td><div class=\"bar\"><span class=\"seg\" style=\"width:{};background:{}\" "
        "title=\"tensors\"></span><span class=\"seg\" style=\"width:{};background:{}\" title=\"scratch\"></span>"
        "</div></td></tr>\n",
        s, static_cast<int>(s) == peak ? " class=\"peak\"" : "", EscapeMarkup(OperatorLabel(operators, static_cast<int>(s))),
        EscapeMarkup(Text(op, "kernel", Text(row, "kernel"))), it != flash_by_index.end() ? GroupDigits(code) : "-",
        it != flash_by_index.end() ? GroupDigits(constants) : "-", Width(code, flash_max), kPalette[0],
        Width(constants, flash_max), kPalette[1], GroupDigits(u.total()), Width(u.tensor_bytes, ram_max), kPalette[4],
        Width(u.scratch_bytes, ram_max), kPalette[3]);
  }
  html += "</table>\n";
  html += fmt::format(
      "<div class=\"note\"><span class=\"swatch\" style=\"background:{}\"></span>code"
      "<span class=\"swatch\" style=\"background:{}\"></span>constants (flash, from the estimate; shared kernel and "
      "runtime code is counted once, under the parts below)"
      "<span class=\"swatch\" style=\"background:{}\"></span>tensors"
      "<span class=\"swatch\" style=\"background:{}\"></span>scratch (RAM: bytes of the pools holding a live "
      "buffer while the operator runs, from the plan; the shaded row is the peak)</div>\n",
      kPalette[0], kPalette[1], kPalette[4], kPalette[3]);
  return html;
}

std::string BufferTable(const nlohmann::json& metadata) {
  const nlohmann::json& operators = metadata.at("operators");
  std::string html =
      "<table class=\"buffers\"><tr><th>buffer</th><th>kind</th><th>tensor</th><th class=\"num\">bytes</th>"
      "<th>pool</th><th class=\"num\">offset</th><th>live</th><th>overlap</th></tr>\n";
  for (const auto& b : metadata.at("memory").at("buffers")) {
    const std::string name = b.at("name");
    std::string overlap;
    if (b.contains("overlaps"))
      overlap = fmt::format("over {} ({} bytes below)", Text(b["overlaps"], "input"),
                            GroupDigits(Bytes(b["overlaps"], "distance_bytes")));
    html += fmt::format(
        "<tr data-buffer-row=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td>"
        "<td class=\"num\">{}</td><td>{} .. {}</td><td>{}</td></tr>\n",
        EscapeMarkup(name), EscapeMarkup(name), IsScratchBuffer(b) ? "scratch" : "tensor",
        EscapeMarkup(Text(b, "tensor")), GroupDigits(b.at("size_bytes").get<int64_t>()),
        EscapeMarkup(b.at("pool").get<std::string>()), GroupDigits(b.at("offset").get<int64_t>()),
        EscapeMarkup(OperatorLabel(operators, b.at("live").at(0))),
        EscapeMarkup(OperatorLabel(operators, b.at("live").at(1))), EscapeMarkup(overlap));
  }
  return html + "</table>\n";
}

std::string FootprintReport(const nlohmann::json& metadata, const nlohmann::json& footprint, const std::string& plan_svg) {
  std::string model = Text(metadata, "model_name");
  if (model.empty()) model = Text(metadata.value("compiler", nlohmann::json::object()), "source_model", "model");
  const std::string target = Text(footprint, "target", "unknown target");
  const int64_t flash_total = Bytes(footprint, "flash_bytes"), ram_total = Bytes(footprint, "ram_bytes");
  const nlohmann::json budget = footprint.value("budget", nlohmann::json());
  const int64_t flash_budget = Bytes(budget, "flash_bytes"), ram_budget = Bytes(budget, "ram_bytes");
  const nlohmann::json flash = footprint.value("flash", nlohmann::json::object());
  const nlohmann::json ram = footprint.value("ram", nlohmann::json::object());
  const std::string title = fmt::format("Footprint of {} on {}", model, target);

  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += fmt::format("<title>{}</title>\n<style>{}</style>\n<script>{}</script>\n</head>\n<body>\n",
                      EscapeMarkup(title), kStyle, kErrorRecorder);
  html += fmt::format("<h1>{}</h1>\n", EscapeMarkup(title));
  const nlohmann::json compiler = metadata.value("compiler", nlohmann::json::object());
  html += fmt::format("<p class=\"sub\">{}</p>\n",
                      EscapeMarkup(fmt::format("estimated by kiln {} before any firmware is built; toolchain {}; "
                                               "model file {}; planner {}",
                                               Text(compiler, "version", "?"), Text(footprint, "toolchain", "?"),
                                               Text(compiler, "source_model", "?"),
                                               Text(metadata.at("memory"), "planner", "?"))));

  // Totals, each against its budget.
  html += "<div class=\"totals\">\n";
  for (const auto& [what, total, limit] : {std::tuple{"Flash", flash_total, flash_budget},
                                           std::tuple{"RAM", ram_total, ram_budget}})
    html += fmt::format("<div class=\"card\" data-card=\"{}\"><div>{}</div><div class=\"big\">{} bytes</div>"
                        "<div>{}</div><div>{}</div></div>\n",
                        what, what, GroupDigits(total), ShortBytes(total), Verdict(total, limit));
  html += "</div>\n";
  if (budget.is_object()) {
    const bool fits = budget.value("fits", flash_total <= flash_budget && ram_total <= ram_budget);
    html += fmt::format("<p class=\"budget-verdict\" data-fits=\"{}\">{}</p>\n", fits ? "yes" : "no",
                        fits ? "<span class=\"fits\">The model fits the budget.</span>"
                             : "<span class=\"misses\">The model does not fit the budget.</span>");
  }

  const std::vector<Part> flash_parts = FlashParts(flash, flash_total);
  const std::vector<Part> ram_parts = RamParts(ram, ram_total);
  html += "<h2>Flash and RAM</h2>\n";
  html += fmt::format("<div>Flash, {} bytes{}</div>\n", GroupDigits(flash_total),
                      flash_budget > 0 ? "; the dashed line is the budget" : "");
  html += TotalBar("flash", flash_parts, flash_total, flash_budget);
  html += fmt::format("<div>RAM, {} bytes{}</div>\n", GroupDigits(ram_total),
                      ram_budget > 0 ? "; the dashed line is the budget" : "");
  html += TotalBar("ram", ram_parts, ram_total, ram_budget);

  html += "<h2>Memory plan</h2>\n<p class=\"note\">Each box is a buffer: its live range across, its bytes in the "
          "pool down. Hover a box for its tensor, size and offset.</p>\n<div class=\"plan\">\n";
  html += plan_svg;
  html += "</div>\n";

  html += "<h2>Per operator</h2>\n" + PerOperator(metadata, footprint);

  html += "<h2>Flash</h2>\n<div class=\"totals\"><div>\n<h3>by part</h3>\n";
  {
    std::vector<std::pair<std::string, int64_t>> rows;
    for (const Part& p : flash_parts) rows.emplace_back(p.label, p.bytes);
    html += Table(rows, flash_total, "flash");
  }
  html += "</div><div>\n<h3>by section</h3>\n";
  {
    std::vector<std::pair<std::string, int64_t>> rows;
    const nlohmann::json sections = flash.value("sections", nlohmann::json::object());
    if (sections.is_object())
      for (const auto& [name, bytes] : sections.items())
        if (bytes.is_number()) rows.emplace_back("." + name, bytes.get<int64_t>());
    html += Table(rows, flash_total, "flash");
  }
  html += "</div></div>\n<h2>RAM</h2>\n";
  {
    std::vector<std::pair<std::string, int64_t>> rows;
    for (const Part& p : ram_parts) rows.emplace_back(p.label, p.bytes);
    html += Table(rows, ram_total, "RAM");
  }

  html += "<h2>Buffers</h2>\n" + BufferTable(metadata);
  html += "<p class=\"note\">Flash and RAM totals are Kiln's estimate (docs/footprint.md says how it is made and "
          "where it can be wrong); the plan is exact.</p>\n";
  html += fmt::format("<script>{}</script>\n</body>\n</html>\n", kFinisher);
  return html;
}

}  // namespace

Expected<std::string> RenderFootprintReport(const nlohmann::json& metadata, const nlohmann::json& footprint) {
  KILN_ASSIGN_OR_RETURN(std::string plan_svg, RenderPlanSvg(metadata));
  return ReadingJson("metadata.json", [&] { return FootprintReport(metadata, footprint, plan_svg); });
}

}  // namespace kiln::report
