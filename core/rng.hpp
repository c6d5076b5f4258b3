#pragma once
// The one random engine of the search side (controllers, spaces). Its whole state is a string,
// so a controller checkpoint can hold it and a resumed search draws the same numbers.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace nas {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) : engine_(seed) {}
  std::size_t index(std::size_t n);                      // uniform in [0, n)
  double uniform();                                      // uniform in [0, 1)
  std::size_t weighted(const std::vector<double>& weights);  // index drawn by weight
  std::uint64_t next() { return engine_(); }
  std::string state() const;
  void restore(const std::string& state);
  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_;
};

// A seed for a numbered sub-task (a trial) from the experiment seed; stable across versions and platforms.
std::uint64_t derive_seed(std::uint64_t base, std::uint64_t index);

}  // namespace nas
