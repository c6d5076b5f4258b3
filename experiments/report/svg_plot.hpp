#pragma once
// Charts for the HTML report, drawn as inline SVG: axes with ticks (linear or log), points with hover
// text, step lines and histogram bars. The page must open without a network, so a chart references
// nothing outside itself; colours and line styles come from CSS classes that the page defines.
#include <cstdint>
#include <string>
#include <vector>

namespace nas {

enum class AxisScale { linear, log };

struct PlotAxis {
  std::string label;
  AxisScale scale = AxisScale::linear;
  bool whole_numbers = false;  // counts: no tick between two whole numbers
};

struct PlotPoint {
  double x = 0;
  double y = 0;
  std::string hover;  // shown while the pointer rests on the point; empty for none
};

struct HistogramBin {
  double low = 0;
  double high = 0;
  std::int64_t count = 0;
};

// `bin_count` equal-width bins from the smallest value to the largest; a single bin around the
// value when all are equal, none when there are no values.
std::vector<HistogramBin> histogram_bins(const std::vector<double>& values, int bin_count);

class SvgPlot {
 public:
  SvgPlot(std::string title, PlotAxis x, PlotAxis y);

  // A non-empty `legend` names the series in the legend above the chart. On a log axis, values that
  // are not positive cannot be placed and are left out.
  void add_points(std::vector<PlotPoint> points, const std::string& css_class, const std::string& legend = "");
  // A staircase through `corners` in the order given: across to the next corner's x, then to its y.
  void add_step_line(std::vector<PlotPoint> corners, const std::string& css_class,
                     const std::string& legend = "");
  void add_bars(std::vector<HistogramBin> bins, const std::string& css_class);
  // Straight segments through `points` in the order given.
  void add_line(std::vector<PlotPoint> points, const std::string& css_class, const std::string& legend = "");
  // The area between two curves over the same x values, e.g. mean - stderr and mean + stderr.
  void add_band(const std::vector<PlotPoint>& lower, const std::vector<PlotPoint>& upper, const std::string& css_class);

  // An <svg> element of `width` x `height` pixels; it says so when there is nothing to draw.
  std::string render(int width, int height) const;

 private:
  enum class SeriesKind { points, step_line, line, band, bars };
  struct Series {
    SeriesKind kind;
    std::vector<PlotPoint> points;
    std::vector<HistogramBin> bins;
    std::string css_class;
    std::string legend;
  };

  std::string title_;
  PlotAxis x_axis_;
  PlotAxis y_axis_;
  std::vector<Series> series_;
};

}  // namespace nas
