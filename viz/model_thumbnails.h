#pragma once
// The model view's data: every head of a record pooled into a small exact thumbnail, the two
// aggregates (mean over the heads of each layer, mean over the layers of each head) and each
// head's mean row entropy. Cells pool 2^l × 2^l blocks as the tile pyramid's level l does (the
// smallest l that fits maxSide), so a thumbnail equals that pyramid level. One pass over row
// strips, layer by layer: memory beyond the result is O(heads × strip × keys).

#include <functional>

#include <torch/types.h>

#include "viz/pyramid_pooling.h"

namespace attnscope {

class AttentionRecord;

struct ModelThumbnails {
    int level = 0;              // cells pool 2^level × 2^level blocks
    Pooling pooling = Pooling::Max;
    torch::Tensor heads;        // [L, H, r, c] float
    torch::Tensor layerMeans;   // [L, r, c]: the pooled mean over the heads of each layer
    torch::Tensor headMeans;    // [H, r, c]: the pooled mean over the layers of each head
    torch::Tensor entropy;      // [L, H] double: mean over queries of −Σ p·log2 p (bits)
    bool isEmpty() const { return !heads.defined(); }
};

struct ThumbnailPass {
    int64_t maxSide = 64;
    Pooling pooling = Pooling::Max;
    std::function<bool()> shouldStop;                          // polled between strips
    std::function<void(int64_t done, int64_t total)> progress; // strips
};

// Empty when stopped.
ModelThumbnails computeModelThumbnails(const AttentionRecord &record, const ThumbnailPass &pass);

// The pyramid level whose pooled matrix of rows × cols has at most maxSide cells per side.
int thumbnailLevel(int64_t rows, int64_t cols, int64_t maxSide);

} // namespace attnscope
