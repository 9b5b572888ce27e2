#include "core/models/common/memory_reuse.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace attnscope {

void keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
    constexpr int kMiB = 1 << 20;
    mallopt(M_MMAP_THRESHOLD, 256 * kMiB); // blocks below this come from the reusable heap
    mallopt(M_TRIM_THRESHOLD, 512 * kMiB); // free memory kept at the heap's top
    mallopt(M_TOP_PAD, 64 * kMiB);         // grow the heap in large steps
#endif
}

} // namespace attnscope
