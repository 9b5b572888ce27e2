#pragma once
// LibTorch runs on one thread unless told otherwise: the engine uses every core once, or
// the count the user chose (attnscope-cli --threads) when that came first.

namespace attnscope {

// Sets LibTorch's intra-op threads to the machine's cores, the first time only.
void useAllCores();
// Sets them to `threads` (> 0); call before the first model loads, which calls useAllCores().
void useThreads(int threads);

} // namespace attnscope
