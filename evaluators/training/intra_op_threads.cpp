#include "evaluators/training/intra_op_threads.hpp"

#include <ATen/Parallel.h>

#include <algorithm>

namespace nas {

IntraOpThreadsScope::IntraOpThreadsScope(int threads) : previous_(at::get_num_threads()) {
  at::set_num_threads(std::max(threads, 1));
}

IntraOpThreadsScope::~IntraOpThreadsScope() { at::set_num_threads(previous_); }

}  // namespace nas
