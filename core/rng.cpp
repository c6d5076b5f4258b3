#include "core/rng.hpp"

#include <numeric>
#include <sstream>

#include "core/error.hpp"

namespace nas {

std::size_t Rng::index(std::size_t n) {
  if (n == 0) throw Error("", "Rng::index called with an empty range");
  return std::uniform_int_distribution<std::size_t>(0, n - 1)(engine_);
}

double Rng::uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }

std::size_t Rng::weighted(const std::vector<double>& weights) {
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (!(total > 0)) throw Error("", "Rng::weighted needs a positive total weight");
  double point = uniform() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (point < weights[i]) return i;
    point -= weights[i];
  }
  // Rounding can leave the point just past the last bucket: give it to the last non-zero one.
  for (std::size_t i = weights.size(); i-- > 0;)
    if (weights[i] > 0) return i;
  return weights.size() - 1;
}

std::string Rng::state() const {
  std::ostringstream out;
  out << engine_;
  return out.str();
}

void Rng::restore(const std::string& state) {
  std::istringstream in(state);
  in >> engine_;
  if (!in) throw Error("", "corrupt random-number state in checkpoint");
}

std::uint64_t derive_seed(std::uint64_t base, std::uint64_t index) {
  // splitmix64 of the pair: neighbouring trials get unrelated seeds.
  std::uint64_t z = base + 0x9e3779b97f4a7c15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace nas
