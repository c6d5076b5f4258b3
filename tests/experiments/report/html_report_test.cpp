#include "experiments/report/html_report.hpp"

#include <cstdlib>
#include <optional>
#include <regex>
#include <set>

#include "core/config_node.hpp"
#include "core/policy.hpp"
#include "search_spaces/search_space.hpp"
#include "tests/support/search_log_fixture.hpp"

namespace nas {
namespace {

using log_test::done_trial;
using log_test::failed_trial;
using log_test::make_arch;
using log_test::make_run_info;

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

// Sets an environment variable for the life of the guard.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnvironment() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class HtmlReportTest : public log_test::ScratchDirTest {
 protected:
  // Trials 0 done 0.80, 1 failed (an error with markup in it), 2 done 0.90 (a genotype with markup in
  // it), 3 reuses 2, 4 running, 5 pending. The configuration names no space: nothing can be drawn.
  SearchLog make_log() {
    RunInfo info = make_run_info();
    info.experiment_json["budget"] = Json{{"trials", 8}};
    SearchLog log = SearchLog::create(dir("run"), info);
    log_test::add_mixed_trials(log, "sep<3x3> & 'skip'", "loss became <NaN>");
    return log;
  }

  // Four random NASNet architectures, done with accuracies 0.5, 0.6, 0.7 and 0.8, in a run whose
  // configuration names the space and the dataset, as `nas run` records them.
  // A log of four random architectures of the space in `experiment`, recorded with `experiment` as the
  // run's configuration. (JSON is YAML: the space reads its section as a run would.)
  SearchLog make_space_log(const Json& experiment) {
    RunInfo info = make_run_info();
    info.experiment_json = experiment;
    SearchLog log = SearchLog::create(dir("run"), info);
    const ConfigNode root = ConfigNode::parse("space: " + experiment.at("space").dump(), "test");
    const auto space = make_search_space(root.section("space"));
    Rng rng(11);
    for (int i = 0; i < 4; ++i) {
      RandomPolicy policy(rng);
      const Architecture arch = space->sample(policy);
      const std::int64_t id = log.add_trial(arch, static_cast<std::uint64_t>(i));
      log.finish_trial(done_trial(id, arch, 0.5 + 0.1 * i), Checkpoint{Json::object()});
    }
    return log;
  }

  SearchLog make_nasnet_log() {
    return make_space_log(Json{{"name", "nasnet-report"},
                               {"space", {{"name", "nasnet"}, {"blocks", 2}}},
                               {"dataset", {{"name", "fashion-mnist"}}}});
  }
};

TEST_F(HtmlReportTest, HasThePlotsAndARowPerTrial) {
  const std::string html = html_report(make_log());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  // Best by trial, best over time, accuracy against parameters and multiply-adds, the histogram.
  EXPECT_EQ(occurrences(html, "<svg class=\"plot\""), 5u);
  for (const char* title : {"Best validation accuracy by trial", "Best validation accuracy over time",
                            "Validation accuracy against parameters", "Validation accuracy against multiply-adds",
                            "Distribution of validation accuracy"})
    EXPECT_NE(html.find(title), std::string::npos) << title;
  EXPECT_EQ(occurrences(html, "<tr id=\"trial-"), 6u);
  EXPECT_NE(html.find("<tr id=\"trial-2\" class=\"done best\">"), std::string::npos);
  EXPECT_NE(html.find("done (reuses 2)"), std::string::npos);
  EXPECT_NE(html.find("3 done, 1 failed, 1 pending, 1 running (budget 8)"), std::string::npos);
  EXPECT_NE(html.find("<table class=\"trials sortable\">"), std::string::npos);
  EXPECT_NE(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("Not re-evaluated"), std::string::npos);
}

TEST_F(HtmlReportTest, ShowsTheReevaluationsAndTheTrialTheyChoose) {
  SearchLog log = make_log();
  // Trial 2 was the search's best (0.90) but its retrainings average 0.71; trial 0's average 0.79,
  // over two done repeats (the failed third does not count as zero).
  const auto record = [&](std::int64_t trial, int repeat, double val, std::optional<double> test) {
    ReevaluationRow row;
    row.trial_id = trial;
    row.repeat = repeat;
    row.metrics.val_accuracy = val;
    row.metrics.train_seconds = 10 + repeat;
    if (test) {
      row.metrics.reported["test_accuracy"] = *test;
      row.metrics.reported["best_epoch"] = 120 + 20 * repeat;
    } else {
      row.status = TrialStatus::failed;
    }
    log.record_reevaluation(row);
  };
  record(2, 0, 0.70, 0.71);
  record(2, 1, 0.72, 0.73);
  record(0, 0, 0.78, 0.81);
  record(0, 1, 0.80, 0.83);
  record(0, 2, 0, std::nullopt);
  const std::string html = html_report(log);
  EXPECT_EQ(html.find("Not re-evaluated"), std::string::npos);
  EXPECT_NE(html.find("Chosen: <a href=\"#trial-0\">trial 0</a>, mean validation accuracy 0.7900 over 2 repeats"),
            std::string::npos)
      << html;
  // 0.08 ahead, against sqrt(0.01^2 / 1 + 0.01^2 / 1) = 0.0141 for two repeats each: a clear lead.
  EXPECT_NE(html.find("Lead over trial 2: 0.0800 mean val_acc, 5.7 standard errors of the difference.</p>"),
            std::string::npos)
      << html;
  const std::size_t table = html.find("<table class=\"trials sortable reevaluations\">");
  ASSERT_NE(table, std::string::npos);
  const std::string section = html.substr(table, html.find("</table>", table) - table);
  EXPECT_NE(section.find("test_accuracy (mean ± std)"), std::string::npos);
  // Chosen first and marked; each row: id, done, failed, val, test, search val, seconds.
  const std::size_t first = section.find("<tr class=\"best\"><td class=\"number\" data-v=\"0\">0</td>");
  const std::size_t second = section.find("<tr><td class=\"number\" data-v=\"2\">2</td>");
  ASSERT_NE(first, std::string::npos) << section;
  ASSERT_NE(second, std::string::npos) << section;
  EXPECT_LT(first, second);
  for (const char* cell : {"0.7900 ± 0.0100", "0.8200 ± 0.0100", "0.7100 ± 0.0100", "0.7200 ± 0.0100", ">0.8000<",
                           ">0.9000<", ">10.5<",
                           ">130.0 ± 10.0<"})
    EXPECT_NE(section.find(cell), std::string::npos) << cell;
  EXPECT_NE(section.find("<td class=\"number\" data-v=\"2\">2</td><td class=\"number\" data-v=\"1\">1</td>"),
            std::string::npos)
      << "trial 0: 2 done, 1 failed";
}

TEST_F(HtmlReportTest, EscapesTextFromTheLog) {
  const std::string html = html_report(make_log());
  EXPECT_EQ(html.find("sep<3x3>"), std::string::npos);
  EXPECT_NE(html.find("sep&lt;3x3&gt; &amp; &#39;skip&#39;"), std::string::npos);
  EXPECT_EQ(html.find("<NaN>"), std::string::npos);
  EXPECT_NE(html.find("loss became &lt;NaN&gt;"), std::string::npos);
}

TEST_F(HtmlReportTest, ReferencesNothingOnline) {
  const std::string html = html_report(make_log());
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
}

// Cost is 1000 + id parameters (2,000,000 + id multiply-adds): trial 0 (0.80) and trial 2 (0.90) are
// the front; trial 3 repeats trial 2's accuracy at a higher cost.
TEST_F(HtmlReportTest, MarksTheParetoFront) {
  const std::string html = html_report(make_log());
  const std::regex front_point("<circle class=\"front\"[^>]*><title>trial ([0-9]+):");
  std::multiset<std::string> front_ids;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), front_point); it != std::sregex_iterator(); ++it)
    front_ids.insert((*it)[1].str());
  EXPECT_EQ(front_ids, (std::multiset<std::string>{"0", "0", "2", "2"}));
  EXPECT_EQ(occurrences(html, "class=\"front-line\""), 2u);
}

TEST_F(HtmlReportTest, SaysWhyArchitecturesAreNotDrawn) {
  const std::string html = html_report(make_log());
  EXPECT_NE(html.find("Cannot draw the architectures"), std::string::npos);
  EXPECT_NE(html.find("no &#39;space&#39; section"), std::string::npos);
  EXPECT_EQ(html.find("class=\"drawing-box\""), std::string::npos);
}

TEST_F(HtmlReportTest, DrawsTheBestNasnetArchitectures) {
  const std::string html = html_report(make_nasnet_log());
  EXPECT_EQ(occurrences(html, "<div class=\"drawing-box\" title=\"click for full size\"><svg "), 3u) << html;
  EXPECT_EQ(html.find("class=\"problem\""), std::string::npos);
  // Ranked best first: trial 3 (0.8), 2, 1; each drawing's ids are its own.
  const std::size_t section = html.find("<h2>Best architectures</h2>");
  const std::size_t first = html.find("trial 3: val acc 0.8000", section),
                    second = html.find("trial 2: val acc 0.7000", section);
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
  for (const char* prefix : {"id=\"arch1-", "id=\"arch2-", "id=\"arch3-"})
    EXPECT_NE(html.find(prefix), std::string::npos) << prefix;
  EXPECT_NE(html.find("cell 0: normal"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
}

TEST_F(HtmlReportTest, DrawsATabularRunWithTheBenchmarksTaskThoughItHasNoDataset) {
  // NAS-Bench-201 lookups train nothing: the cells are drawn for the table's CIFAR-10 task.
  const std::string html = html_report(make_space_log(
      Json{{"name", "nb201-report"},
           {"space", {{"name", "nb201"}}},
           {"evaluator", {{"name", "tabular"}, {"table", std::string(NAS_SHARED_DIR) + "/datasets/nasbench201/nb201.csv"}}}}));
  EXPECT_EQ(occurrences(html, "<div class=\"drawing-box\" title=\"click for full size\"><svg "), 3u) << html;
  EXPECT_EQ(html.find("class=\"problem\""), std::string::npos);
}

TEST_F(HtmlReportTest, DrawsAGraphRunFromThePlanetoidHeadersAlone) {
  const std::string html = html_report(make_space_log(
      Json{{"name", "gnn-report"},
           {"space", {{"name", "autognn"}}},
           {"dataset", {{"name", "planetoid"}, {"path", std::string(NAS_SHARED_DIR) + "/datasets/planetoid/cora"}}}}));
  EXPECT_EQ(occurrences(html, "<div class=\"drawing-box\" title=\"click for full size\"><svg "), 3u) << html;
  EXPECT_EQ(html.find("class=\"problem\""), std::string::npos);
}

TEST_F(HtmlReportTest, WithoutGraphvizTheReportSaysSo) {
  const SearchLog log = make_nasnet_log();
  std::filesystem::create_directories(dir("empty-path"));
  const ScopedEnvironment path("PATH", dir("empty-path"));
  const std::string html = html_report(log);
  EXPECT_EQ(html.find("class=\"drawing-box\""), std::string::npos);
  EXPECT_EQ(occurrences(html, "apt-get install graphviz"), 3u) << html;
  EXPECT_EQ(occurrences(html, "<tr id=\"trial-"), 4u);
}

TEST_F(HtmlReportTest, RendersARunWithoutTrials) {
  const std::string html = html_report(SearchLog::create(dir("run"), make_run_info()));
  EXPECT_EQ(occurrences(html, "<svg class=\"plot\""), 5u);
  EXPECT_NE(html.find("nothing to plot yet"), std::string::npos);
  EXPECT_NE(html.find("No finished trials yet."), std::string::npos);
  EXPECT_EQ(occurrences(html, "<tr id=\"trial-"), 0u);
}

TEST_F(HtmlReportTest, WriteNamesAFileItCannotWrite) {
  const SearchLog log = make_log();
  const std::string file = dir("no-such-folder") + "/report.html";
  const std::string message = testing::error_of([&] { write_html_report(log, file); });
  EXPECT_NE(message.find(file), std::string::npos) << message;
  write_html_report(log, dir("report.html"));
  const std::string written = log_test::file_bytes(dir("report.html"));
  EXPECT_EQ(written.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(occurrences(written, "<tr id=\"trial-"), 6u);
}

}  // namespace
}  // namespace nas
