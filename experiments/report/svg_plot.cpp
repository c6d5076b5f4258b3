#include "experiments/report/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "experiments/report/markup_escape.hpp"

namespace nas {
namespace {

// Room around the plotting area for the title and legend (top), tick labels and axis labels.
constexpr double kMarginLeft = 64;
constexpr double kMarginRight = 16;
constexpr double kMarginTop = 44;
constexpr double kMarginBottom = 44;
constexpr double kPointRadius = 3.5;
// About how wide one character of the 11px legend text is, to place the next legend entry.
constexpr double kLegendCharWidth = 6.2;

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

struct Range {
  double low = 0;
  double high = 1;
};

// Where one axis puts a value: linear, or linear in log10 of the value.
class AxisMap {
 public:
  AxisMap(AxisScale scale, Range domain, double pixel_low, double pixel_high)
      : scale_(scale), domain_(domain), pixel_low_(pixel_low), pixel_high_(pixel_high) {}

  double operator()(double value) const {
    const double position = scale_ == AxisScale::log ? std::log10(value) : value;
    return pixel_low_ + (position - domain_.low) / (domain_.high - domain_.low) * (pixel_high_ - pixel_low_);
  }
  // The domain in values (not in log10 for a log axis).
  Range values() const {
    if (scale_ == AxisScale::linear) return domain_;
    return {std::pow(10.0, domain_.low), std::pow(10.0, domain_.high)};
  }

 private:
  AxisScale scale_;
  Range domain_;  // in log10 units on a log axis
  double pixel_low_;
  double pixel_high_;
};

// The span of `values` in axis units with 5% to spare on each side, widened when it is a single value.
// A range starting at zero (histogram counts) keeps zero as its floor.
Range domain_of(const std::vector<double>& values, AxisScale scale) {
  if (values.empty()) return {0, 1};  // 0..1, or 1..10 on a log axis: only the frame is drawn
  Range range{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (double value : values) {
    const double position = scale == AxisScale::log ? std::log10(value) : value;
    range.low = std::min(range.low, position);
    range.high = std::max(range.high, position);
  }
  if (range.high == range.low) {
    const double half = scale == AxisScale::log ? 0.5 : range.low == 0 ? 0.5 : std::abs(range.low) * 0.1;
    return {range.low - half, range.high + half};
  }
  const double pad = (range.high - range.low) * 0.05;
  const bool floor_at_zero = scale == AxisScale::linear && range.low == 0;
  return {floor_at_zero ? 0 : range.low - pad, range.high + pad};
}

// 1, 2 or 5 times a power of ten, close to `rough`: steps people read easily.
double nice_step(double rough) {
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  const double fraction = rough / magnitude;
  if (fraction < 1.5) return magnitude;
  if (fraction < 3.5) return 2 * magnitude;
  if (fraction < 7.5) return 5 * magnitude;
  return 10 * magnitude;
}

struct Tick {
  double value;
  double step;  // the spacing the label's precision follows
};

std::vector<Tick> linear_ticks(Range values, bool whole_numbers) {
  double step = nice_step((values.high - values.low) / 5);
  if (whole_numbers) step = std::max(step, 1.0);
  std::vector<Tick> ticks;
  for (double k = std::ceil(values.low / step); k * step <= values.high + step * 1e-9; ++k)
    ticks.push_back({k * step + 0.0, step});  // + 0.0 turns -0 into 0, which prints without a sign
  return ticks;
}

// Powers of ten when the range spans three or more, else also 2x and 5x; linear ticks when even those
// leave fewer than three (a range within about one decade).
std::vector<Tick> log_ticks(Range values) {
  const double low = std::log10(values.low), high = std::log10(values.high);
  std::vector<Tick> powers, all;
  for (double exponent = std::floor(low); exponent <= std::ceil(high); ++exponent) {
    for (double mantissa : {1.0, 2.0, 5.0}) {
      const double value = mantissa * std::pow(10.0, exponent);
      const double position = std::log10(value);
      if (position < low || position > high) continue;
      all.push_back({value, value});
      if (mantissa == 1.0) powers.push_back({value, value});
    }
  }
  if (powers.size() >= 3) return powers;
  if (all.size() >= 3) return all;
  return linear_ticks(values, false);
}

// 0.85, 12, 1.5K, 20M: large values get a suffix; the decimals follow the tick spacing, so that
// neighbouring ticks never read the same.
std::string tick_label(const Tick& tick) {
  const double magnitude = std::abs(tick.value);
  const double scale = magnitude >= 1e9 ? 1e9 : magnitude >= 1e6 ? 1e6 : magnitude >= 1e3 ? 1e3 : 1;
  const char* suffix = magnitude >= 1e9 ? "G" : magnitude >= 1e6 ? "M" : magnitude >= 1e3 ? "K" : "";
  const int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(tick.step / scale))), 0, 6);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f%s", decimals, tick.value / scale, suffix);
  return buffer;
}

std::vector<Tick> ticks_for(const AxisMap& map, const PlotAxis& axis) {
  return axis.scale == AxisScale::log ? log_ticks(map.values()) : linear_ticks(map.values(), axis.whole_numbers);
}

}  // namespace

std::vector<HistogramBin> histogram_bins(const std::vector<double>& all_values, int bin_count) {
  // Values that are not finite have no bin (and would make every bin's width infinite).
  std::vector<double> values;
  for (double value : all_values)
    if (std::isfinite(value)) values.push_back(value);
  if (values.empty() || bin_count < 1) return {};
  const auto [min_it, max_it] = std::minmax_element(values.begin(), values.end());
  const double low = *min_it, high = *max_it;
  if (low == high) {
    const double half_width = std::max(std::abs(low) * 0.01, 1e-3);
    return {HistogramBin{low - half_width, high + half_width, static_cast<std::int64_t>(values.size())}};
  }
  const double width = (high - low) / bin_count;
  std::vector<HistogramBin> bins;
  for (int i = 0; i < bin_count; ++i) bins.push_back({low + i * width, low + (i + 1) * width, 0});
  for (double value : values) {
    // The largest value belongs to the last bin, not to one past it.
    const int index = std::min(static_cast<int>((value - low) / width), bin_count - 1);
    ++bins[static_cast<std::size_t>(index)].count;
  }
  return bins;
}

SvgPlot::SvgPlot(std::string title, PlotAxis x, PlotAxis y)
    : title_(std::move(title)), x_axis_(std::move(x)), y_axis_(std::move(y)) {}

void SvgPlot::add_points(std::vector<PlotPoint> points, const std::string& css_class, const std::string& legend) {
  series_.push_back({SeriesKind::points, std::move(points), {}, css_class, legend});
}

void SvgPlot::add_step_line(std::vector<PlotPoint> corners, const std::string& css_class,
                            const std::string& legend) {
  series_.push_back({SeriesKind::step_line, std::move(corners), {}, css_class, legend});
}

void SvgPlot::add_line(std::vector<PlotPoint> points, const std::string& css_class, const std::string& legend) {
  series_.push_back({SeriesKind::line, std::move(points), {}, css_class, legend});
}

void SvgPlot::add_band(const std::vector<PlotPoint>& lower, const std::vector<PlotPoint>& upper,
                       const std::string& css_class) {
  // One closed outline: along the lower curve, then back along the upper one.
  std::vector<PlotPoint> outline = lower;
  outline.insert(outline.end(), upper.rbegin(), upper.rend());
  series_.push_back({SeriesKind::band, std::move(outline), {}, css_class, ""});
}

void SvgPlot::add_bars(std::vector<HistogramBin> bins, const std::string& css_class) {
  series_.push_back({SeriesKind::bars, {}, std::move(bins), css_class, ""});
}

std::string SvgPlot::render(int width, int height) const {
  // On a log axis only positive values have a place.
  const auto placeable = [](double value, AxisScale scale) {
    return std::isfinite(value) && (scale == AxisScale::linear || value > 0);
  };
  std::vector<double> xs, ys;
  for (const Series& series : series_) {
    for (const PlotPoint& point : series.points) {
      if (!placeable(point.x, x_axis_.scale) || !placeable(point.y, y_axis_.scale)) continue;
      xs.push_back(point.x);
      ys.push_back(point.y);
    }
    for (const HistogramBin& bin : series.bins) {
      xs.insert(xs.end(), {bin.low, bin.high});
      ys.insert(ys.end(), {0.0, static_cast<double>(bin.count)});
    }
  }

  const double left = kMarginLeft, right = width - kMarginRight;
  const double top = kMarginTop, bottom = height - kMarginBottom;
  const AxisMap x_map(x_axis_.scale, domain_of(xs, x_axis_.scale), left, right);
  const AxisMap y_map(y_axis_.scale, domain_of(ys, y_axis_.scale), bottom, top);

  std::string svg = "<svg class=\"plot\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                    "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
                    "\" role=\"img\" aria-label=\"" + escape_markup(title_) + "\">\n";
  svg += "<text class=\"title\" x=\"" + number(left) + "\" y=\"16\">" + escape_markup(title_) + "</text>\n";

  double legend_x = left;
  for (const Series& series : series_) {
    if (series.legend.empty()) continue;
    const std::string& css = series.css_class;
    if (series.kind == SeriesKind::points)
      svg += "<circle class=\"" + css + "\" cx=\"" + number(legend_x + 5) + "\" cy=\"30\" r=\"" +
             number(kPointRadius) + "\"/>";
    else
      svg += "<path class=\"" + css + "\" d=\"M" + number(legend_x) + " 30 H" + number(legend_x + 12) + "\"/>";
    svg += "<text class=\"legend\" x=\"" + number(legend_x + 16) + "\" y=\"34\">" + escape_markup(series.legend) +
           "</text>\n";
    legend_x += 16 + kLegendCharWidth * static_cast<double>(series.legend.size()) + 16;
  }

  svg += "<rect class=\"frame\" x=\"" + number(left) + "\" y=\"" + number(top) + "\" width=\"" +
         number(right - left) + "\" height=\"" + number(bottom - top) + "\"/>\n";
  for (const Tick& tick : ticks_for(x_map, x_axis_)) {
    const double x = x_map(tick.value);
    svg += "<line class=\"grid\" x1=\"" + number(x) + "\" x2=\"" + number(x) + "\" y1=\"" + number(top) +
           "\" y2=\"" + number(bottom) + "\"/><text class=\"tick\" x=\"" + number(x) + "\" y=\"" +
           number(bottom + 15) + "\" text-anchor=\"middle\">" + escape_markup(tick_label(tick)) + "</text>\n";
  }
  for (const Tick& tick : ticks_for(y_map, y_axis_)) {
    const double y = y_map(tick.value);
    svg += "<line class=\"grid\" x1=\"" + number(left) + "\" x2=\"" + number(right) + "\" y1=\"" + number(y) +
           "\" y2=\"" + number(y) + "\"/><text class=\"tick\" x=\"" + number(left - 6) + "\" y=\"" +
           number(y + 4) + "\" text-anchor=\"end\">" + escape_markup(tick_label(tick)) + "</text>\n";
  }
  svg += "<text class=\"axis-label\" x=\"" + number((left + right) / 2) + "\" y=\"" + number(height - 8.0) +
         "\" text-anchor=\"middle\">" + escape_markup(x_axis_.label) + "</text>\n";
  svg += "<text class=\"axis-label\" transform=\"translate(14 " + number((top + bottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + escape_markup(y_axis_.label) + "</text>\n";

  if (xs.empty())
    svg += "<text class=\"empty\" x=\"" + number((left + right) / 2) + "\" y=\"" + number((top + bottom) / 2) +
           "\" text-anchor=\"middle\">nothing to plot yet</text>\n";

  for (const Series& series : series_) {
    const std::string& css = series.css_class;
    if (series.kind == SeriesKind::bars) {
      for (const HistogramBin& bin : series.bins) {
        const double x0 = x_map(bin.low), x1 = x_map(bin.high), y = y_map(static_cast<double>(bin.count));
        svg += "<rect class=\"" + css + "\" x=\"" + number(x0) + "\" y=\"" + number(y) + "\" width=\"" +
               number(std::max(x1 - x0 - 1, 1.0)) + "\" height=\"" + number(y_map(0) - y) + "\"><title>" +
               std::to_string(bin.count) + " in [" + tick_label({bin.low, 1e-4}) + ", " +
               tick_label({bin.high, 1e-4}) + "]</title></rect>\n";
      }
      continue;
    }
    std::vector<const PlotPoint*> placed;
    for (const PlotPoint& point : series.points)
      if (placeable(point.x, x_axis_.scale) && placeable(point.y, y_axis_.scale)) placed.push_back(&point);
    if (series.kind == SeriesKind::step_line) {
      if (placed.empty()) continue;
      std::string path = "M" + number(x_map(placed[0]->x)) + " " + number(y_map(placed[0]->y));
      for (std::size_t i = 1; i < placed.size(); ++i)
        path += " H" + number(x_map(placed[i]->x)) + " V" + number(y_map(placed[i]->y));
      svg += "<path class=\"" + css + "\" d=\"" + path + "\"/>\n";
      continue;
    }
    if (series.kind == SeriesKind::line || series.kind == SeriesKind::band) {
      if (placed.empty()) continue;
      std::string path;
      for (const PlotPoint* point : placed)
        path += (path.empty() ? "M" : " L") + number(x_map(point->x)) + " " + number(y_map(point->y));
      if (series.kind == SeriesKind::band) path += " Z";
      svg += "<path class=\"" + css + "\" d=\"" + path + "\"/>\n";
      continue;
    }
    for (const PlotPoint* point : placed) {
      svg += "<circle class=\"" + css + "\" cx=\"" + number(x_map(point->x)) + "\" cy=\"" +
             number(y_map(point->y)) + "\" r=\"" + number(kPointRadius) + "\">";
      if (!point->hover.empty()) svg += "<title>" + escape_markup(point->hover) + "</title>";
      svg += "</circle>\n";
    }
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace nas
