#pragma once
// Where exact attention cells come from: a function giving the probabilities of rows
// [r0, r1) × columns [c0, c1) of one head. It must be callable from several threads at once.

#include <functional>
#include <memory>

#include <torch/types.h>

#include "core/capture/attention_record.h"

namespace attnscope {

using TileSource = std::function<torch::Tensor(int64_t r0, int64_t r1, int64_t c0, int64_t c1)>;

// Cells of one head of a record, dense or recomputed exactly from Q and K.
inline TileSource recordTileSource(std::shared_ptr<const AttentionRecord> record, int layer, int head)
{
    return [record = std::move(record), layer, head](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
        return record->tile(layer, head, r0, r1, c0, c1);
    };
}

// Cells of a matrix held in memory ([rows, cols]).
inline TileSource denseTileSource(torch::Tensor matrix)
{
    return [matrix = std::move(matrix)](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
        return matrix.slice(0, r0, r1).slice(1, c0, c1);
    };
}

} // namespace attnscope
