#include "evaluators/evaluation/data_parallel.hpp"

namespace nas {
namespace {

class OneProcess : public DataParallel {
 public:
  int size() const override { return 1; }
  int index() const override { return 0; }
  void sum(float*, std::size_t) override {}
  void sum(double*, std::size_t) override {}
};

}  // namespace

DataParallel& one_process() {
  static OneProcess team;
  return team;
}

}  // namespace nas
