#pragma once
// Exact pooling of attention cells into pyramid levels: a pooled cell holds the max, or the
// mean, of exactly the cells of its block (edge blocks are smaller and averaged over what
// they hold). One pass over row strips of the region feeds every level at once.

#include <functional>
#include <optional>
#include <vector>

#include <QStringList>
#include <torch/types.h>

#include "viz/pyramid_geometry.h"
#include "viz/row_peaks.h"
#include "viz/tile_source.h"

namespace attnscope {

enum class Pooling { Max, Mean };

QStringList poolingNames(); // "max", "mean"
std::optional<Pooling> poolingFromName(const QString &name);

struct PoolingPass {
    TileSource source;
    Pooling pooling = Pooling::Max;
    int64_t matrixCols = 0;
    RowPeaks *rowPeaks = nullptr;        // set: each row is divided by its peak before pooling
    std::function<bool()> shouldStop;    // polled between strips
    std::function<void(int64_t done, int64_t total)> progress; // strips; called from workers
};

// Pools the exact cells `cells` (r0 and c0 multiples of 2^topLevel) into every level from
// keepFrom to topLevel: element i is level keepFrom + i, [ceil(rows / 2^l), ceil(cols / 2^l)]
// float. Memory beyond the result stays O(strip rows × region width) per worker; strips run
// in parallel, one thread per core. Empty when stopped.
std::vector<torch::Tensor> poolCells(const PoolingPass &pass, const CellRect &cells, int keepFrom,
                                     int topLevel);

// One pooling step: 2 × 2 blocks (a last odd row or column pools alone).
torch::Tensor poolPairs(const torch::Tensor &values, Pooling pooling);

} // namespace attnscope
