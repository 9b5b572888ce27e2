#pragma once
// LibTorch frees and reallocates blocks of megabytes on every layer and every heatmap tile.
// glibc returns such blocks to the kernel (mmap and heap trimming), so each reuse faults
// its pages in again, which on a virtual machine costs more than the arithmetic (the head
// switch benchmark ran 2 min instead of 38 s). Keeping freed memory for reuse avoids that;
// the peak stays what the work needs.

namespace attnscope {

// Idempotent; call before the heavy work starts (the engine does at its first model).
void keepFreedMemoryForReuse();

} // namespace attnscope
