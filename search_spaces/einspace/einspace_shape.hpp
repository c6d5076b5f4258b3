#pragma once
// The shape of one example's tensor inside an einspace network, batch excluded. Two modes: Im, an
// image [C, H, W]; Col, a sequence of tokens [S, D]. im2col switches Im to Col, col2im back.
#include <cstdint>
#include <string>

namespace nas {

struct EinShape {
  int rank = 0;  // 3 in Im mode, 2 in Col mode (1 for the logits), 0 when unset
  std::int64_t dims[3] = {0, 0, 0};  // C, H, W or S, D (then dims[2] is 0)

  static EinShape image(std::int64_t c, std::int64_t h, std::int64_t w) { return EinShape{3, {c, h, w}}; }
  static EinShape tokens(std::int64_t s, std::int64_t d) { return EinShape{2, {s, d, 0}}; }

  bool is_image() const { return rank == 3; }
  bool is_set() const { return rank != 0; }
  std::int64_t last() const { return dims[rank - 1]; }
  std::int64_t elements() const;
  bool operator==(const EinShape& other) const;
  bool operator!=(const EinShape& other) const { return !(*this == other); }
  std::string text() const;  // "64x16x16" or "64x512"
};

}  // namespace nas
