// The supernet phase trains with the run's whole thread budget and gives the thread back as it found it.
#include <gtest/gtest.h>

#include <ATen/Parallel.h>

#include "evaluators/training/intra_op_threads.hpp"

namespace nas {
namespace {

TEST(IntraOpThreadsScope, SetsTheBudgetAndPutsBackThePreviousOne) {
  at::set_num_threads(1);
  {
    const IntraOpThreadsScope scope(2);
    EXPECT_EQ(at::get_num_threads(), 2);
    {
      const IntraOpThreadsScope nested(0);  // at least one
      EXPECT_EQ(at::get_num_threads(), 1);
    }
    EXPECT_EQ(at::get_num_threads(), 2);
  }
  EXPECT_EQ(at::get_num_threads(), 1);
}

}  // namespace
}  // namespace nas
