#pragma once
// LibTorch runs on one thread unless told otherwise: the engine uses every core once.

namespace attnscope {

// Sets LibTorch's intra-op threads to the machine's cores, the first time only.
void useAllCores();

} // namespace attnscope
