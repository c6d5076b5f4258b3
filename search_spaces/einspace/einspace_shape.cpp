#include "search_spaces/einspace/einspace_shape.hpp"

namespace nas {

std::int64_t EinShape::elements() const {
  std::int64_t n = 1;
  for (int i = 0; i < rank; ++i) n *= dims[i];
  return n;
}

bool EinShape::operator==(const EinShape& other) const {
  if (rank != other.rank) return false;
  for (int i = 0; i < rank; ++i)
    if (dims[i] != other.dims[i]) return false;
  return true;
}

std::string EinShape::text() const {
  std::string text;
  for (int i = 0; i < rank; ++i) text += (i ? "x" : "") + std::to_string(dims[i]);
  return text;
}

}  // namespace nas
