// The benches' command lines (bench/flag_values.hpp): their figures go into notes as "measured with
// this command", so a flag they cannot honour must stop them, never run the default bench instead.
// Here with the core tests, which build without torch, since the header needs nothing else.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bench/flag_values.hpp"

namespace {

std::vector<std::pair<std::string, std::string>> parse(std::vector<std::string> words) {
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  return nas_bench::flag_values(static_cast<int>(argv.size()), argv.data(), "bench [--runs N]");
}

TEST(BenchFlags, PairsEachFlagWithItsValueInOrder) {
  const auto pairs = parse({"bench", "--runs", "5", "--arch", "gat sum elu 8x8"});
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0], std::make_pair(std::string("--runs"), std::string("5")));
  EXPECT_EQ(pairs[1], std::make_pair(std::string("--arch"), std::string("gat sum elu 8x8")));
}

TEST(BenchFlags, ALoneFlagOrHelpIsAUsageErrorNotADefaultRun) {
  try {
    parse({"bench", "--runs"});
    FAIL() << "a flag without its value was accepted";
  } catch (const nas_bench::UsageError& e) {
    EXPECT_FALSE(e.help_asked);
    EXPECT_NE(std::string(e.what()).find("--runs needs a value"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("usage: bench [--runs N]"), std::string::npos) << e.what();
  }
  try {
    parse({"bench", "--help"});
    FAIL() << "--help was accepted as a flag";
  } catch (const nas_bench::UsageError& e) {
    EXPECT_TRUE(e.help_asked);  // answered on stdout with exit code 0
  }
}

TEST(BenchFlags, NumbersMustBeWholeAndInRangeAndTheMessageNamesTheFlag) {
  EXPECT_EQ(nas_bench::whole_number("--runs", "10", 1), 10);
  EXPECT_DOUBLE_EQ(nas_bench::positive_number("--seconds", "2.5"), 2.5);
  // std::stoi would have read "1O" as 1 and "7 " as 7.
  for (const char* bad : {"1O", "", "7 ", "ten", "0", "-2", "99999999999"}) {
    try {
      nas_bench::whole_number("--runs", bad, 1);
      ADD_FAILURE() << "'" << bad << "' was accepted";
    } catch (const nas_bench::UsageError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--runs: '" + std::string(bad) + "' is not a whole number from 1", 0), 0u)
          << e.what();
    }
  }
  for (const char* bad : {"0", "-1", "fast", "3s", "nan"})
    EXPECT_THROW(nas_bench::positive_number("--seconds", bad), nas_bench::UsageError) << bad;
}

}  // namespace
