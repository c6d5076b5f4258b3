#include "experiments/report/html_report.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <ctime>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/pareto.hpp"
#include "experiments/log/logged_config.hpp"
#include "experiments/report/architecture_drawing.hpp"
#include "experiments/report/markup_escape.hpp"
#include "experiments/report/phases_view.hpp"
#include "experiments/report/reevaluation_summary.hpp"
#include "experiments/report/svg_plot.hpp"
#include "experiments/report/weight_sharing_view.hpp"
#include "experiments/report/text_format.hpp"

namespace nas {
namespace {

constexpr std::size_t kDrawnArchitectures = 3;
constexpr int kPlotWidth = 560;
constexpr int kPlotHeight = 340;

const char* const kStyle = R"css(
body { font-family: system-ui, sans-serif; color: #1d2330; background: #fff; margin: 24px auto;
       max-width: 1280px; padding: 0 16px; }
h1 { font-size: 1.5em; margin-bottom: 8px; }
h2 { font-size: 1.15em; margin-top: 32px; border-bottom: 1px solid #d8dce3; padding-bottom: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { color: #5b6475; }
dl.facts dd { margin: 0; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg.plot { max-width: 100%; height: auto; border: 1px solid #e3e6eb; border-radius: 4px; }
svg.plot text { font-size: 11px; fill: #1d2330; }
svg.plot .title { font-size: 13px; font-weight: 600; }
svg.plot .frame { fill: none; stroke: #9aa3b2; }
svg.plot .grid { stroke: #eceef2; }
svg.plot .point { fill: #4c78a8; fill-opacity: 0.7; }
svg.plot .front { fill: #e45756; stroke: #8c1c1b; }
svg.plot .front-line { fill: none; stroke: #e45756; stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.plot .best-line { fill: none; stroke: #f58518; stroke-width: 2; }
svg.plot .bar { fill: #54a24b; }
svg.plot .empty { fill: #8a93a3; font-size: 13px; }
.drawings { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 16px; }
figure.drawing { margin: 0; border: 1px solid #e3e6eb; border-radius: 4px; padding: 8px; }
figure.drawing figcaption { font-size: 0.9em; margin-bottom: 6px; overflow-wrap: anywhere; }
.drawing-box { max-height: 900px; overflow: auto; cursor: zoom-in; }
.drawing-box svg { max-width: 100%; height: auto; }
.drawing-box.full { max-height: none; cursor: zoom-out; }
.drawing-box.full svg { max-width: none; }
.problem { color: #8c1c1b; }
.note { color: #5b6475; }
table.trials { border-collapse: collapse; font-size: 0.85em; width: 100%; }
table.trials th, table.trials td { padding: 3px 8px; border-bottom: 1px solid #eceef2; text-align: left; }
table.trials th { position: sticky; top: 0; background: #f4f5f8; cursor: pointer; user-select: none;
                  white-space: nowrap; }
table.trials td.number { text-align: right; font-variant-numeric: tabular-nums; }
table.trials th[aria-sort="ascending"]::after { content: " \25B2"; }
table.trials th[aria-sort="descending"]::after { content: " \25BC"; }
table.trials tr.failed td { color: #8c1c1b; }
table.trials tr.best { background: #fff4e0; }
.genotype { font-family: ui-monospace, monospace; }
table.trials td.genotype, table.trials td.error { max-width: 32em; overflow: hidden; text-overflow: ellipsis;
                                                  white-space: nowrap; }
footer { margin-top: 32px; color: #5b6475; font-size: 0.85em; }
)css";

const char* const kScript = R"js(
// Sorts the trial table by the clicked column; cells without a value stay last in either direction.
document.querySelectorAll('table.sortable th').forEach(function (header, column) {
  header.addEventListener('click', function () {
    var table = header.closest('table');
    var body = table.tBodies[0];
    var ascending = header.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('th').forEach(function (other) { other.removeAttribute('aria-sort'); });
    header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var numeric = header.dataset.type === 'number';
    var key = function (row) {
      var cell = row.cells[column];
      var text = cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent;
      if (text === '') return null;
      return numeric ? Number(text) : text.toLowerCase();
    };
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      if (x === null || y === null) return (x === null) - (y === null);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
// A drawing fits its column; a click shows it at full size, another click fits it again.
document.querySelectorAll('.drawing-box').forEach(function (box) {
  box.addEventListener('click', function () { box.classList.toggle('full'); });
});
)js";

// What the page shows, read under one snapshot so that the parts agree with each other.
struct RunState {
  RunInfo info;
  std::vector<PhaseRow> phases;
  std::string log_path;
  TrialStatusCounts counts;
  std::vector<TrialRow> trials;  // by id
  std::vector<TrialRow> ranked;  // done trials, best first
  std::vector<ReevaluationSummary> reevaluations;  // `nas reevaluate`'s summaries, chosen first
};

RunState read_state(const SearchLog& log) {
  SearchLog::ReadSnapshot snapshot(log);
  RunState state{log.info(), log.phases(), log.path(), log.status_counts(), log.trials(), {}, {}};
  state.ranked = log.top_done_trials(static_cast<int>(state.counts.done));
  state.reevaluations = summarise_reevaluations(log);
  return state;
}

std::string metrics_text(const TrialRow& row) {
  return printf_string("trial %lld: val acc %.4f, %s params, %s madds", static_cast<long long>(row.id),
                       row.metrics->val_accuracy, abbreviated_count(row.metrics->params).c_str(),
                       abbreviated_count(row.metrics->madds).c_str());
}

// The trials the plots draw: those with metrics whose accuracy is a number a plot can place. A log
// edited by hand (or written by another program) may hold an infinite or NaN accuracy, which the
// table still lists as stored.
std::vector<const TrialRow*> done_trials(const std::vector<TrialRow>& trials) {
  std::vector<const TrialRow*> done;
  for (const auto& row : trials)
    if (row.metrics && std::isfinite(row.metrics->val_accuracy) && std::isfinite(row.metrics->val_loss))
      done.push_back(&row);
  return done;
}

// Elapsed time in the unit that keeps the axis numbers small.
struct TimeUnit {
  double seconds;
  const char* name;
};

TimeUnit time_unit_for(double span_seconds) {
  if (span_seconds < 180) return {1, "seconds"};
  if (span_seconds < 3 * 3600) return {60, "minutes"};
  return {3600, "hours"};
}

std::string progress_charts(const std::vector<TrialRow>& trials) {
  const std::vector<const TrialRow*> done = done_trials(trials);

  std::vector<PlotPoint> results, best_by_id;
  double best = -std::numeric_limits<double>::infinity();
  for (const TrialRow* row : done) {
    best = std::max(best, row->metrics->val_accuracy);
    results.push_back({static_cast<double>(row->id), row->metrics->val_accuracy, metrics_text(*row)});
    best_by_id.push_back({static_cast<double>(row->id), best, ""});
  }
  SvgPlot by_id("Best validation accuracy by trial", {"trial id", AxisScale::linear, true}, {"validation accuracy"});
  by_id.add_points(results, "point", "trial");
  by_id.add_step_line(best_by_id, "best-line", "best so far");

  // Time runs from the first proposal; trials finish out of id order when several train at once.
  double start = std::numeric_limits<double>::infinity();
  for (const auto& row : trials) start = std::min(start, row.proposed_at);
  std::vector<const TrialRow*> by_finish = done;
  const auto finished = [](const TrialRow* row) { return row->finished_at.value_or(row->proposed_at); };
  std::stable_sort(by_finish.begin(), by_finish.end(),
                   [&](const TrialRow* a, const TrialRow* b) { return finished(a) < finished(b); });
  const TimeUnit unit = time_unit_for(by_finish.empty() ? 0 : finished(by_finish.back()) - start);
  std::vector<PlotPoint> timed, best_by_time;
  best = -std::numeric_limits<double>::infinity();
  for (const TrialRow* row : by_finish) {
    const double elapsed = (finished(row) - start) / unit.seconds;
    best = std::max(best, row->metrics->val_accuracy);
    timed.push_back({elapsed, row->metrics->val_accuracy, metrics_text(*row)});
    best_by_time.push_back({elapsed, best, ""});
  }
  SvgPlot by_time("Best validation accuracy over time", {std::string(unit.name) + " since the first proposal"},
                  {"validation accuracy"});
  by_time.add_points(timed, "point", "trial");
  by_time.add_step_line(best_by_time, "best-line", "best so far");

  return "<div class=\"charts\">\n" + by_id.render(kPlotWidth, kPlotHeight) +
         by_time.render(kPlotWidth, kPlotHeight) + "</div>\n";
}

// Accuracy against one cost on a log axis, with the Pareto front drawn as a staircase over its points.
std::string cost_chart(const std::vector<const TrialRow*>& done, const std::string& title,
                       const std::string& cost_name, std::int64_t TrialMetrics::*cost) {
  std::vector<CostAccuracy> costs;
  std::vector<PlotPoint> points;
  for (const TrialRow* row : done) {
    const double value = static_cast<double>(row->metrics.value().*cost);
    costs.push_back({value, row->metrics->val_accuracy});
    points.push_back({value, row->metrics->val_accuracy, metrics_text(*row)});
  }
  std::vector<PlotPoint> front;
  for (std::size_t index : pareto_front(costs)) front.push_back(points[index]);
  SvgPlot plot(title, {cost_name + " (log scale)", AxisScale::log}, {"validation accuracy"});
  plot.add_points(points, "point", "trial");
  plot.add_step_line(front, "front-line");
  plot.add_points(front, "front", "Pareto front: no other trial is as accurate for less");
  return plot.render(kPlotWidth, kPlotHeight);
}

std::string accuracy_histogram(const std::vector<const TrialRow*>& done) {
  std::vector<double> accuracies;
  for (const TrialRow* row : done) accuracies.push_back(row->metrics->val_accuracy);
  // About the square root of the count, which shows a shape without leaving most bins empty.
  const int bins = std::clamp(static_cast<int>(std::ceil(std::sqrt(static_cast<double>(accuracies.size())))), 5, 25);
  SvgPlot plot("Distribution of validation accuracy", {"validation accuracy"}, {"trials", AxisScale::linear, true});
  plot.add_bars(histogram_bins(accuracies, bins), "bar");
  return plot.render(kPlotWidth, kPlotHeight);
}

// A weight-sharing run: the supernet's training curve, and the retrained sub-networks' stand-alone
// accuracy against the accuracy they scored with inherited weights, whose agreement is the tau.
std::string weight_sharing_section(const WeightSharingView& view) {
  std::string html = "<div class=\"charts\">\n";
  if (!view.curve.empty()) {
    std::vector<PlotPoint> loss, accuracy;
    for (const Json& point : view.curve) {
      const double epoch = point.at("epoch").get<double>();
      loss.push_back({epoch, point.at("train_loss").get<double>(), printf_string("epoch %g", epoch)});
      accuracy.push_back({epoch, point.at("train_accuracy").get<double>(), printf_string("epoch %g", epoch)});
    }
    SvgPlot loss_plot("Supernet training loss", {"epoch", AxisScale::linear, true}, {"training loss"});
    loss_plot.add_line(loss, "best-line");
    loss_plot.add_points(loss, "point");
    SvgPlot accuracy_plot("Supernet training accuracy (each example's sub-network)", {"epoch", AxisScale::linear, true},
                          {"training accuracy"});
    accuracy_plot.add_line(accuracy, "best-line");
    accuracy_plot.add_points(accuracy, "point");
    html += loss_plot.render(kPlotWidth, kPlotHeight) + accuracy_plot.render(kPlotWidth, kPlotHeight);
  }
  if (!view.retrained.trials.empty()) {
    std::vector<PlotPoint> pairs;
    for (const RetrainedTrial& trial : view.retrained.trials)
      if (trial.done)
        pairs.push_back({trial.inherited_val_accuracy, trial.val_accuracy,
                         printf_string("trial %lld", static_cast<long long>(trial.trial_id))});
    SvgPlot plot("Retrained from scratch against inherited weights", {"validation accuracy, inherited weights"},
                 {"validation accuracy, stand-alone"});
    plot.add_points(pairs, "point", "retrained sub-network");
    html += plot.render(kPlotWidth, kPlotHeight);
  }
  html += "</div>\n";
  if (!view.retrained.trials.empty()) {
    const std::optional<double> tau = view.retrained.kendall_tau();
    html += "<p>Kendall tau between the inherited and the stand-alone ranking: " +
            (tau ? printf_string("%.3f", *tau) : std::string("undefined")) + " over " +
            std::to_string(view.retrained.trials.size()) + " retrained sub-networks.</p>\n";
  }
  return html;
}

std::string number_cell(const std::string& sort_value, const std::string& shown) {
  return "<td class=\"number\" data-v=\"" + escape_markup(sort_value) + "\">" + escape_markup(shown) + "</td>";
}

// A number shown with `format` (printf, one value) and sorted by its full precision.
std::string decimal_cell(double value, const char* format) {
  return number_cell(printf_string("%.9g", value), printf_string(format, value));
}

std::string mean_std_cell(double mean, double std) {
  return number_cell(printf_string("%.9g", mean), mean_std_text(mean, std));
}

// `nas reevaluate`'s table: the mean of several fresh trainings per trial, the figure by which the run
// chooses what `nas export` takes. Without re-evaluations it says how to get them, since the single
// training behind "best" is partly the luck of its seed.
std::string reevaluation_section(const std::vector<ReevaluationSummary>& summaries) {
  if (summaries.empty())
    return "<p class=\"note\">Not re-evaluated: the best trial above is the best single training. "
           "<code>nas reevaluate DIR --top 5 --repeats 10</code> retrains the best trials from fresh seeds "
           "and chooses by the mean.</p>\n";
  // The figures the evaluator reported beside validation accuracy (test accuracy on Cora), in name order.
  std::set<std::string> reported;
  for (const ReevaluationSummary& s : summaries)
    for (const auto& [figure, mean_std] : s.reported) reported.insert(figure);

  std::string html;
  const ReevaluationSummary& chosen = summaries.front();
  if (chosen.done > 0)
    html += "<p>Chosen: <a href=\"#trial-" + std::to_string(chosen.trial_id) + "\">trial " +
            std::to_string(chosen.trial_id) + "</a>, mean validation accuracy " +
            printf_string("%.4f over %d repeats from fresh seeds", chosen.val_accuracy_mean, chosen.done) +
            ". <code>nas export</code> takes it.</p>\n";
  if (const std::string lead = choice_lead_text(summaries); !lead.empty())
    html += "<p class=\"note\">" + escape_markup(lead) + ".</p>\n";
  html += "<table class=\"trials sortable reevaluations\">\n<thead><tr>";
  const auto header = [](const std::string& name, bool numeric) {
    return std::string("<th") + (numeric ? " data-type=\"number\"" : "") + " title=\"sort\">" + escape_markup(name) +
           "</th>";
  };
  html += header("id", true) + header("repeats done", true) + header("failed", true) + header("val acc (mean ± std)", true);
  for (const std::string& figure : reported) html += header(figure + " (mean ± std)", true);
  html += header("search val acc", true) + header("train s (mean)", true) + header("genotype", false);
  html += "</tr></thead>\n<tbody>\n";
  for (const ReevaluationSummary& s : summaries) {
    const bool is_chosen = &s == &chosen && s.done > 0;
    html += std::string("<tr") + (is_chosen ? " class=\"best\"" : "") + ">";
    html += number_cell(std::to_string(s.trial_id), std::to_string(s.trial_id));
    html += number_cell(std::to_string(s.done), std::to_string(s.done));
    html += number_cell(std::to_string(s.failed), std::to_string(s.failed));
    html += s.done > 0 ? mean_std_cell(s.val_accuracy_mean, s.val_accuracy_std) : number_cell("", "");
    for (const std::string& figure : reported) {
      const auto found = s.reported.find(figure);
      html += found == s.reported.end() ? number_cell("", "") : mean_std_cell(found->second.first, found->second.second);
    }
    html += decimal_cell(s.search_val_accuracy, "%.4f");
    html += s.done > 0 ? decimal_cell(s.train_seconds_mean, "%.1f")
                       : number_cell("", "");
    html += "<td class=\"genotype\" title=\"" + escape_markup(s.short_form) + "\">" + escape_markup(s.short_form) +
            "</td></tr>\n";
  }
  html += "</tbody>\n</table>\n";
  return html;
}

std::string trial_table(const std::vector<TrialRow>& trials, const std::optional<std::int64_t>& best_id) {
  struct Column {
    const char* name;
    bool numeric;
  };
  const Column columns[] = {{"id", true},      {"status", false},  {"val acc", true},
                            {"val loss", true}, {"params", true},   {"madds", true},
                            {"train s", true},  {"trained on", false}, {"genotype", false}, {"error", false}};
  std::string table = "<table class=\"trials sortable\">\n<thead><tr>";
  for (const Column& column : columns)
    table += std::string("<th") + (column.numeric ? " data-type=\"number\"" : "") + " title=\"sort\">" +
             column.name + "</th>";
  table += "</tr></thead>\n<tbody>\n";
  for (const auto& row : trials) {
    std::string classes = to_string(row.status);
    if (best_id && *best_id == row.id) classes += " best";
    table += "<tr id=\"trial-" + std::to_string(row.id) + "\" class=\"" + classes + "\">";
    table += number_cell(std::to_string(row.id), std::to_string(row.id));
    std::string status = to_string(row.status);
    if (row.reused_from >= 0) status += " (reuses " + std::to_string(row.reused_from) + ")";
    table += "<td>" + escape_markup(status) + "</td>";
    if (row.metrics) {
      const TrialMetrics& m = *row.metrics;
      table += decimal_cell(m.val_accuracy, "%.4f");
      table += decimal_cell(m.val_loss, "%.4f");
      table += number_cell(std::to_string(m.params), abbreviated_count(m.params));
      table += number_cell(std::to_string(m.madds), abbreviated_count(m.madds));
      table += decimal_cell(m.train_seconds, "%.1f");
    } else {
      for (int i = 0; i < 5; ++i) table += number_cell("", "");  // val acc to train s: not measured
    }
    table += "<td>" + escape_markup(row.trained_on.empty() ? std::string("this machine") : row.trained_on) + "</td>";
    table += "<td class=\"genotype\" title=\"" + escape_markup(row.short_form) + "\">" +
             escape_markup(row.short_form) + "</td>";
    table += "<td class=\"error\" title=\"" + escape_markup(row.error) + "\">" + escape_markup(row.error) + "</td>";
    table += "</tr>\n";
  }
  table += "</tbody>\n</table>\n";
  return table;
}

// The best distinct architectures (a reused trial repeats one), each drawn or with why it is not.
std::string drawings(const RunState& state) {
  std::vector<const TrialRow*> best;
  std::set<std::string> seen;
  for (const auto& row : state.ranked) {
    if (best.size() == kDrawnArchitectures) break;
    if (seen.insert(row.arch_hash).second) best.push_back(&row);
  }
  if (best.empty()) return "<p class=\"note\">No finished trials yet.</p>\n";

  std::optional<ArchitectureDrawer> drawer;
  try {
    drawer.emplace(state.info.experiment_json, state.log_path);
  } catch (const std::exception& e) {
    return "<p class=\"problem\">Cannot draw the architectures: " + escape_markup(e.what()) + "</p>\n";
  }
  std::string html = "<div class=\"drawings\">\n";
  for (std::size_t rank = 0; rank < best.size(); ++rank) {
    const TrialRow& row = *best[rank];
    html += "<figure class=\"drawing\"><figcaption><strong>#" + std::to_string(rank + 1) + "</strong> " +
            escape_markup(metrics_text(row)) + "<br><span class=\"genotype\">" + escape_markup(row.short_form) +
            "</span></figcaption>\n";
    try {
      html += "<div class=\"drawing-box\" title=\"click for full size\">" +
              drawer->draw(row, "arch" + std::to_string(rank + 1) + "-") + "</div>\n";
    } catch (const std::exception& e) {
      html += "<p class=\"problem\">" + escape_markup(e.what()) + "</p>\n";
    }
    html += "</figure>\n";
  }
  html += "</div>\n";
  return html;
}

std::string facts(const RunState& state) {
  const TrialStatusCounts& counts = state.counts;
  const auto fact = [](const std::string& name, const std::string& value) {
    return "<dt>" + escape_markup(name) + "</dt><dd>" + escape_markup(value) + "</dd>\n";
  };
  std::string html = "<dl class=\"facts\">\n";
  html += fact("status", state.info.status);
  html += fact("phases", phases_text(state.phases));
  html += fact("created", state.info.created_at);
  html += fact("trials", printf_string("%lld done, %lld failed, %lld pending, %lld running (budget %lld)",
                                       static_cast<long long>(counts.done), static_cast<long long>(counts.failed),
                                       static_cast<long long>(counts.pending),
                                       static_cast<long long>(counts.running),
                                       static_cast<long long>(budget_trials(state.info.experiment_json))));
  html += fact("best", state.ranked.empty() ? "none yet" : metrics_text(state.ranked.front()));
  html += fact("seed", std::to_string(state.info.seed));
  html += fact("log", state.log_path);
  html += "</dl>\n";
  return html;
}

}  // namespace

std::string html_report(const SearchLog& log) {
  const RunState state = read_state(log);
  const std::vector<const TrialRow*> done = done_trials(state.trials);
  const std::optional<std::int64_t> best_id =
      state.ranked.empty() ? std::nullopt : std::optional<std::int64_t>(state.ranked.front().id);
  const std::string title = "nas: " + state.info.name;

  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + escape_markup(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  html += "<h1>" + escape_markup(title) + "</h1>\n" + facts(state);
  html += "<h2>Progress</h2>\n" + progress_charts(state.trials);
  const WeightSharingView shared = weight_sharing_view(state.phases);
  if (!shared.empty()) html += "<h2>Weight sharing</h2>\n" + weight_sharing_section(shared);
  html += "<h2>Accuracy against cost</h2>\n<div class=\"charts\">\n" +
          cost_chart(done, "Validation accuracy against parameters", "parameters", &TrialMetrics::params) +
          cost_chart(done, "Validation accuracy against multiply-adds", "multiply-adds per example",
                     &TrialMetrics::madds) +
          "</div>\n";
  html += "<h2>Distribution of results</h2>\n<div class=\"charts\">\n" + accuracy_histogram(done) + "</div>\n";
  html += "<h2>Re-evaluation</h2>\n" + reevaluation_section(state.reevaluations);
  html += "<h2>Best architectures</h2>\n" + drawings(state);
  html += "<h2>All trials</h2>\n<p class=\"note\">Click a column header to sort by it.</p>\n" +
          trial_table(state.trials, best_id);
  html += "<footer>Written by nas " + escape_markup(NAS_VERSION) + " at " +
          escape_markup(utc_time_text(static_cast<double>(std::time(nullptr)))) + " from " +
          escape_markup(state.log_path) + ".</footer>\n";
  html += std::string("<script>") + kScript + "</script>\n</body>\n</html>\n";
  return html;
}

void write_html_report(const SearchLog& log, const std::string& file) {
  // A folder that is not there is a mistyped path more often than one to make.
  const std::filesystem::path folder = std::filesystem::path(file).parent_path();
  std::error_code error;
  if (!folder.empty() && !std::filesystem::is_directory(folder, error))
    throw Error(file, "cannot write the report: there is no folder " + folder.string());
  // Written aside and renamed: a full disk leaves no half report under the name.
  write_file_atomically(file, html_report(log));
}

}  // namespace nas
