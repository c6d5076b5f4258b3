#pragma once
// The loops the policy network spends its time in, written so that the compiler vectorises them
// without -ffast-math. Each sums in a fixed order, so every run, and every resumed run, gets the same
// bits; and every output element of add_combination sums its terms in increasing k whatever the
// block, so one call over [0, n) equals two calls over [0, m) and [m, n) to the bit.
#include <cstddef>

namespace nas::rl {

// y += scale * x
inline void add_scaled(float* __restrict y, const float* __restrict x, float scale, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += scale * x[i];
}

// Sixteen partial sums: enough independent additions to keep the vector units busy.
inline float dot(const float* __restrict a, const float* __restrict b, std::size_t n) {
  constexpr std::size_t kLanes = 16;
  float partial[kLanes] = {};
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (std::size_t lane = 0; lane < kLanes; ++lane) partial[lane] += a[i + lane] * b[i + lane];
  float sum = 0;
  for (std::size_t lane = 0; lane < kLanes; ++lane) sum += partial[lane];
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

namespace detail {

// add_combination over y[begin, begin + kBlock), the block held in registers.
template <std::size_t kBlock>
inline void add_combination_block(float* __restrict y, const float* __restrict rows, std::size_t stride,
                                  const float* __restrict coefficients, std::size_t count) {
  float sum[kBlock];
  for (std::size_t l = 0; l < kBlock; ++l) sum[l] = y[l];
  for (std::size_t k = 0; k < count; ++k) {
    const float coefficient = coefficients[k];
    if (coefficient == 0.0f) continue;
    const float* row = rows + k * stride;
    for (std::size_t l = 0; l < kBlock; ++l) sum[l] += coefficient * row[l];
  }
  for (std::size_t l = 0; l < kBlock; ++l) y[l] = sum[l];
}

}  // namespace detail

// y[i] += sum over k < count of coefficients[k] * rows[k * stride + i], for i < n: a matrix-vector
// product with the matrix stored by rows of `stride`. Blocks of y stay in registers while the rows
// stream past (an add_scaled per row would load and store all of y once per row). Zero coefficients
// are skipped: the first step's hidden state is all zeros.
inline void add_combination(float* __restrict y, const float* __restrict rows, std::size_t stride,
                            const float* __restrict coefficients, std::size_t count, std::size_t n) {
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) detail::add_combination_block<32>(y + i, rows + i, stride, coefficients, count);
  for (; i + 4 <= n; i += 4) detail::add_combination_block<4>(y + i, rows + i, stride, coefficients, count);
  for (; i < n; ++i) detail::add_combination_block<1>(y + i, rows + i, stride, coefficients, count);
}

}  // namespace nas::rl
