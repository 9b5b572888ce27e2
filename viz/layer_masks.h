#pragma once
// The cells of each layer's attention that its queries could not see, as the model ran it:
// the future under a causal mask and, on a local (sliding-window) layer, the keys further
// back than its window. Every map hatches them, so that a band of zeros never reads as
// a choice of the head.

#include <vector>

#include <QString>
#include <torch/types.h>

#include "viz/cell_mask.h"

namespace attnscope {

class AttentionRecord;

CellMask layerCellMask(const AttentionRecord &record, int layer, bool causal);
// Per layer, [ceil(T / block), ceil(S / block)] bool blocks fully masked; empty when the
// attention is not causal.
std::vector<torch::Tensor> layerBlockMasks(const AttentionRecord &record, bool causal, int64_t block);
// Whether the layer slides: its window is shorter than the input.
bool slidesAt(const AttentionRecord &record, int layer);
std::vector<bool> slidingLayers(const AttentionRecord &record); // slidesAt for every layer
// "* sliding window of 4096 keys" for the layers slidingLayers() marks; empty when none.
QString slidingWindowNote(const AttentionRecord &record);

} // namespace attnscope
