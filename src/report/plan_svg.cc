#include "report/plan_svg.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "report/markup_text.h"
#include "report/step_usage.h"
#include "support/json_boundary.h"

namespace kiln::report {
namespace {

// Geometry, in SVG user units (px).
constexpr double kLeft = 84;         // room for the offset ticks
constexpr double kRight = 190;       // room for the bound and size labels
constexpr double kPlotHeight = 260;  // a pool with buffers
constexpr double kEmptyPlotHeight = 36;
constexpr double kPanelTitle = 38;
constexpr double kAxisLabels = 120;  // rotated operator names under a panel
constexpr double kHeader = 58;       // title and legend

constexpr const char* kTensorFill = "#4e79a7";
constexpr const char* kScratchFill = "#f28e2b";
constexpr const char* kPeakFill = "#fbe3e3";
constexpr const char* kBoundStroke = "#c0392b";
constexpr const char* kSizeStroke = "#333333";

struct Layout {
  int steps = 1;
  double column = 40;  // width of one operator step
  double plot_width() const { return column * steps; }
  double width() const { return kLeft + plot_width() + kRight; }
};

std::string Num(double v) { return fmt::format("{:.1f}", v); }

std::string OperatorLabel(const nlohmann::json& operators, int step) {
  if (step < 0 || static_cast<size_t>(step) >= operators.size()) return fmt::format("#{}", step);
  return fmt::format("#{} {}", step, operators[static_cast<size_t>(step)].value("op", std::string("?")));
}

/// A tick spacing of 1, 2 or 5 times a power of ten giving about `count` ticks.
int64_t NiceStep(int64_t range, int count) {
  const double raw = static_cast<double>(std::max<int64_t>(range, 1)) / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) return std::max<int64_t>(1, static_cast<int64_t>(m * power));
  return std::max<int64_t>(1, static_cast<int64_t>(10 * power));
}

std::string BufferTitle(const nlohmann::json& b, const nlohmann::json& operators) {
  const int64_t offset = b.at("offset"), size = b.at("size_bytes");
  const int first = b.at("live").at(0), last = b.at("live").at(1);
  std::string title = b.at("name").get<std::string>();
  if (b.contains("tensor"))
    title += fmt::format(" (tensor '{}')", b["tensor"].get<std::string>());
  else if (IsScratchBuffer(b))
    title += " (scratch)";
  title += fmt::format(": {} bytes at offset {}..{} of pool {}, live {} .. {}", GroupDigits(size), GroupDigits(offset),
                       GroupDigits(offset + size), b.at("pool").get<std::string>(), OperatorLabel(operators, first),
                       OperatorLabel(operators, last));
  if (b.contains("overlaps"))
    title += fmt::format("; overlaps {} (written over its consumed rows, {} bytes below it)",
                         b["overlaps"].value("input", std::string("?")),
                         GroupDigits(b["overlaps"].value("distance_bytes", int64_t{0})));
  return EscapeMarkup(title);
}

void Legend(std::string* svg, double y) {
  double x = kLeft;
  auto swatch = [&](const std::string& shape, const std::string& label) {
    *svg += fmt::format("<g transform=\"translate({},{})\">{}<text x=\"18\" y=\"10\">{}</text></g>\n", Num(x), Num(y),
                        shape, label);
    x += 26 + 6.5 * static_cast<double>(label.size()) + 14;
  };
  swatch(fmt::format("<rect width=\"14\" height=\"12\" fill=\"{}\"/>", kTensorFill), "tensor");
  swatch(fmt::format("<rect width=\"14\" height=\"12\" fill=\"{}\"/>", kScratchFill), "scratch");
  swatch("<rect width=\"14\" height=\"12\" fill=\"url(#kiln-overlap-hatch)\" stroke=\"#222\" stroke-width=\"0.5\"/>",
         "declared overlap (streaming)");
  swatch(fmt::format("<rect width=\"14\" height=\"12\" fill=\"{}\"/>", kPeakFill), "peak step");
  swatch(fmt::format("<line x1=\"0\" y1=\"6\" x2=\"14\" y2=\"6\" stroke=\"{}\" stroke-width=\"1.5\" "
                     "stroke-dasharray=\"4 2\"/>",
                     kBoundStroke),
         "lower bound");
  swatch(fmt::format("<line x1=\"0\" y1=\"6\" x2=\"14\" y2=\"6\" stroke=\"{}\" stroke-width=\"1\"/>", kSizeStroke),
         "planned size");
}

/// One pool's panel, its top-left at (0, top). Returns the panel's height.
double Panel(std::string* svg, const nlohmann::json& pool, const nlohmann::json& metadata, const Layout& layout,
             double top) {
  const nlohmann::json& operators = metadata.at("operators");
  const std::string name = pool.at("name");
  std::vector<const nlohmann::json*> buffers;
  for (const auto& b : metadata.at("memory").at("buffers"))
    if (b.at("pool") == name) buffers.push_back(&b);

  const int64_t size = pool.value("size_bytes", int64_t{0});
  const int64_t lower_bound = pool.value("lower_bound_bytes", int64_t{0});
  const int peak_step = pool.value("peak_step", -1);
  int64_t domain = std::max<int64_t>({size, lower_bound, 1});
  for (const auto* b : buffers)
    domain = std::max(domain, (*b).at("offset").get<int64_t>() + (*b).at("size_bytes").get<int64_t>());

  const double plot_top = top + kPanelTitle;
  const double plot_height = buffers.empty() ? kEmptyPlotHeight : kPlotHeight;
  const double plot_width = layout.plot_width();
  auto y_of = [&](int64_t offset) { return plot_top + static_cast<double>(offset) / domain * plot_height; };
  auto x_of = [&](int step) { return kLeft + step * layout.column; };

  std::string heading = fmt::format("pool {}: {} bytes planned", name, GroupDigits(size));
  if (pool.contains("lower_bound_bytes"))
    heading += fmt::format(", lower bound {}, layer-wise bound {}", GroupDigits(lower_bound),
                           GroupDigits(pool.value("layer_wise_bound_bytes", int64_t{0})));
  if (pool.contains("capacity_bytes")) heading += fmt::format(", capacity {}", GroupDigits(pool["capacity_bytes"].get<int64_t>()));
  if (peak_step >= 0) heading += fmt::format("; peak at {}", OperatorLabel(operators, peak_step));
  *svg += fmt::format("<g class=\"pool\" data-pool=\"{}\">\n", EscapeMarkup(name));
  *svg += fmt::format("<text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text>\n", Num(kLeft), Num(top + 18),
                      EscapeMarkup(heading));
  *svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f7f7f7\" stroke=\"#999\"/>\n",
                      Num(kLeft), Num(plot_top), Num(plot_width), Num(plot_height));

  if (buffers.empty()) {
    *svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#666\">no buffers in this pool</text>\n</g>\n",
                        Num(kLeft + 8), Num(plot_top + 22));
    return kPanelTitle + plot_height + 12;
  }

  // Behind the boxes: the peak step's column and the step separators.
  if (peak_step >= 0 && peak_step < layout.steps)
    *svg += fmt::format("<rect class=\"peak-step\" data-step=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
                        "fill=\"{}\"><title>peak step: {} (the most bytes live at once)</title></rect>\n",
                        peak_step, Num(x_of(peak_step)), Num(plot_top), Num(layout.column), Num(plot_height),
                        kPeakFill, EscapeMarkup(OperatorLabel(operators, peak_step)));
  for (int s = 1; s < layout.steps; ++s)
    *svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e2e2e2\"/>\n", Num(x_of(s)),
                        Num(plot_top), Num(plot_top + plot_height));

  // Offset ticks on the left.
  const int64_t tick = NiceStep(domain, 5);
  for (int64_t t = 0; t <= domain; t += tick)
    *svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#555\">{}</text>"
                        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\"/>\n",
                        Num(kLeft - 6), Num(y_of(t) + 4), GroupDigits(t), Num(kLeft - 3), Num(y_of(t)), Num(kLeft),
                        Num(y_of(t)));
  *svg += fmt::format("<text transform=\"translate({},{}) rotate(-90)\" text-anchor=\"middle\" fill=\"#555\">"
                      "offset (bytes)</text>\n",
                      Num(14), Num(plot_top + plot_height / 2));

  // The buffers.
  for (const auto* bp : buffers) {
    const nlohmann::json& b = *bp;
    const int first = std::clamp<int>(b.at("live").at(0), 0, layout.steps - 1);
    const int last = std::clamp<int>(b.at("live").at(1), first, layout.steps - 1);
    const int64_t offset = b.at("offset"), bytes = b.at("size_bytes");
    const double x = x_of(first) + 1, w = std::max(1.0, (last - first + 1) * layout.column - 2);
    const double y = y_of(offset), h = std::max(1.0, y_of(offset + bytes) - y);
    const bool scratch = IsScratchBuffer(b);
    const std::string label = b.at("name");
    *svg += fmt::format("<g class=\"buffer\" data-buffer=\"{}\" data-kind=\"{}\">"
                        "<title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" "
                        "fill-opacity=\"0.85\" stroke=\"#ffffff\" stroke-width=\"0.6\"{}/>",
                        EscapeMarkup(label), scratch ? "scratch" : "tensor", BufferTitle(b, operators), Num(x),
                        Num(y), Num(w), Num(h), scratch ? kScratchFill : kTensorFill,
                        b.contains("overlaps") ? " stroke-dasharray=\"3 2\"" : "");
    if (w >= 6.5 * static_cast<double>(label.size()) + 6 && h >= 13)
      *svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#ffffff\" font-size=\"10\">{}</text>", Num(x + 3),
                          Num(y + std::min(h, 26.0) / 2 + 4), EscapeMarkup(label));
    *svg += "</g>\n";
  }

  // Declared overlaps: where an output is written over the consumed rows of
  // its input, in the step where both are live.
  for (const auto* bp : buffers) {
    const nlohmann::json& b = *bp;
    if (!b.contains("overlaps")) continue;
    const std::string input = b["overlaps"].value("input", std::string());
    auto it = std::find_if(buffers.begin(), buffers.end(), [&](const auto* other) { return other->at("name") == input; });
    if (it == buffers.end()) continue;
    const int64_t begin = std::max(b.at("offset").get<int64_t>(), (*it)->at("offset").get<int64_t>());
    const int64_t end = std::min(b.at("offset").get<int64_t>() + b.at("size_bytes").get<int64_t>(),
                                 (*it)->at("offset").get<int64_t>() + (*it)->at("size_bytes").get<int64_t>());
    const int step = b.at("live").at(0);
    if (end <= begin || step < 0 || step >= layout.steps) continue;
    *svg += fmt::format("<rect class=\"overlap\" data-output=\"{}\" data-input=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" "
                        "height=\"{}\" fill=\"url(#kiln-overlap-hatch)\" stroke=\"#222\" stroke-width=\"0.8\">"
                        "<title>{}</title></rect>\n",
                        EscapeMarkup(b.at("name").get<std::string>()), EscapeMarkup(input), Num(x_of(step) + 1),
                        Num(y_of(begin)), Num(layout.column - 2), Num(std::max(1.0, y_of(end) - y_of(begin))),
                        EscapeMarkup(fmt::format("{} bytes shared: {} is written over the rows of {} that {} has "
                                                 "already read (declared streaming access)",
                                                 GroupDigits(end - begin), b.at("name").get<std::string>(), input,
                                                 OperatorLabel(operators, step))));
  }

  // The peak column outlined on top too, since boxes hide its shading.
  if (peak_step >= 0 && peak_step < layout.steps)
    *svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" "
                        "stroke-width=\"1.5\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\" "
                        "font-size=\"10\">peak</text>\n",
                        Num(x_of(peak_step)), Num(plot_top), Num(layout.column), Num(plot_height), kBoundStroke,
                        Num(x_of(peak_step) + layout.column / 2), Num(plot_top - 3), kBoundStroke);

  // The lower bound and the planned size.
  const double right = kLeft + plot_width;
  if (pool.contains("lower_bound_bytes"))
    *svg += fmt::format("<g class=\"lower-bound\" data-bytes=\"{0}\"><line x1=\"{1}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\" "
                        "stroke=\"{4}\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>"
                        "<text x=\"{5}\" y=\"{6}\" fill=\"{4}\">lower bound {7}</text></g>\n",
                        lower_bound, Num(kLeft), Num(y_of(lower_bound)), Num(right + 4), kBoundStroke, Num(right + 8),
                        Num(y_of(lower_bound) - 3), GroupDigits(lower_bound));
  *svg += fmt::format("<g class=\"planned-size\" data-bytes=\"{0}\"><line x1=\"{1}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\" "
                      "stroke=\"{4}\"/><text x=\"{5}\" y=\"{6}\" fill=\"{4}\">planned {7}</text></g>\n",
                      size, Num(kLeft), Num(y_of(size)), Num(right + 4), kSizeStroke, Num(right + 8),
                      Num(y_of(size) + 12), GroupDigits(size));

  // Operator names under the steps.
  const double axis = plot_top + plot_height;
  for (int s = 0; s < layout.steps; ++s) {
    const double cx = x_of(s) + layout.column / 2;
    *svg += fmt::format("<text transform=\"translate({},{}) rotate(-55)\" text-anchor=\"end\" font-size=\"10\"{}>{}"
                        "</text>\n",
                        Num(cx + 3), Num(axis + 10), s == peak_step ? " font-weight=\"bold\"" : "",
                        EscapeMarkup(OperatorLabel(operators, s)));
  }
  *svg += "</g>\n";
  return kPanelTitle + plot_height + kAxisLabels;
}

}  // namespace

namespace {

std::string PlanSvg(const nlohmann::json& metadata) {
  const nlohmann::json& memory = metadata.at("memory");
  const nlohmann::json& operators = metadata.at("operators");
  Layout layout;
  layout.steps = std::max<int>(1, static_cast<int>(operators.size()));
  // At least 760 px of plot, so the title and legend fit above few steps;
  // past 34 steps columns stay 22 px wide and the picture grows.
  layout.column = std::clamp(760.0 / layout.steps, 22.0, 190.0);

  std::string body;
  double y = kHeader;
  std::vector<std::string> read_only;
  // Pools holding buffers first, in the metadata's order; empty ones after.
  std::vector<const nlohmann::json*> pools;
  for (const auto& pool : memory.at("pools")) pools.push_back(&pool);
  std::stable_partition(pools.begin(), pools.end(), [&](const nlohmann::json* pool) {
    return std::any_of(memory.at("buffers").begin(), memory.at("buffers").end(),
                       [&](const nlohmann::json& b) { return b.at("pool") == pool->at("name"); });
  });
  for (const nlohmann::json* pool_ptr : pools) {
    const nlohmann::json& pool = *pool_ptr;
    if (pool.value("read_only", false)) {
      read_only.push_back(fmt::format("{} (read-only, {} bytes): the {} bytes of constants",
                                      pool.at("name").get<std::string>(),
                                      GroupDigits(pool.value("capacity_bytes", int64_t{0})),
                                      GroupDigits(memory.value("constants_bytes", int64_t{0}))));
      continue;
    }
    y += Panel(&body, pool, metadata, layout, y);
  }
  for (const std::string& line : read_only) {
    body += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#555\">{}</text>\n", Num(kLeft), Num(y + 12),
                        EscapeMarkup(line));
    y += 20;
  }
  const double height = y + 10;

  std::string model = metadata.value("model_name", std::string());
  if (model.empty()) model = metadata.value("compiler", nlohmann::json::object()).value("source_model", "model");
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kiln-plan\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\" "
      "role=\"img\" aria-label=\"{2}\">\n",
      Num(layout.width()), Num(height), EscapeMarkup("memory plan of " + model));
  svg += "<defs><pattern id=\"kiln-overlap-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
         "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.35\"/>"
         "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#222\" stroke-width=\"2\"/></pattern></defs>\n";
  svg += fmt::format("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
  svg += fmt::format("<text x=\"{}\" y=\"20\" font-size=\"15\" font-weight=\"bold\">{}</text>\n", Num(kLeft),
                     EscapeMarkup(fmt::format("Memory plan of {} (planner {}): operator steps across, pool offsets "
                                              "down",
                                              model, memory.value("planner", std::string("?")))));
  Legend(&svg, 32);
  svg += body;
  svg += "</svg>\n";
  return svg;
}

}  // namespace

Expected<std::string> RenderPlanSvg(const nlohmann::json& metadata) {
  return ReadingJson("metadata.json", [&] { return PlanSvg(metadata); });
}

}  // namespace kiln::report
