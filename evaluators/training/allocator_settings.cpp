#include "evaluators/training/allocator_settings.hpp"

#include <malloc.h>

namespace nas {

void keep_freed_memory_for_reuse() {
#ifdef M_MMAP_THRESHOLD
  // 32 MiB is the largest threshold glibc accepts on 64-bit systems; larger tensors are still mapped.
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  // Never trim the top of the heap back to the system while the process runs.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

}  // namespace nas
