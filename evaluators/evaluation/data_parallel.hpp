#pragma once
// The processes that train one set of weights together (a supernet on the ranks of an MPI job): each
// takes its slice of every batch, batch norm sees the whole batch's statistics, and the gradients are
// summed before every optimizer step, so all of them step alike and hold the same weights. One
// process alone is the default. No torch here.
#include <cstddef>

namespace nas {

class DataParallel {
 public:
  virtual ~DataParallel() = default;
  // Processes in the team (1 alone), and this one's place among them, 0-based.
  virtual int size() const = 0;
  virtual int index() const = 0;
  // Sums `count` values over the team, in place. Every process calls it at the same point with the
  // same count (a collective); one process alone leaves them as they are.
  virtual void sum(float* values, std::size_t count) = 0;
  virtual void sum(double* values, std::size_t count) = 0;
};

// The team of one: this process, taking whole batches.
DataParallel& one_process();

}  // namespace nas
