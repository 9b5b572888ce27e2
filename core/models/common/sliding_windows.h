#pragma once
// Which layers of a decoder see only a window of recent keys, and how wide it is.

#include <functional>
#include <vector>

namespace attnscope {

class ModelConfig;

// The window of every layer (0 = the layer sees every earlier key): `window` on the layers
// config.json's "layer_types" calls "sliding_attention" when it lists one type per layer,
// otherwise on the layers `slidingByDefault` picks. A type other than sliding_attention
// and full_attention is an InputError naming layer_types.
std::vector<int64_t> layerWindows(const ModelConfig &config, int64_t layers, int64_t window,
                                  const std::function<bool(int64_t layer)> &slidingByDefault);

} // namespace attnscope
