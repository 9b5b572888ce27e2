#pragma once
// The largest |value| of each full row of a head, for per-row normalization of pooled tiles:
// computed once per row (from a full-width pass or on demand) and kept, O(rows) floats.

#include <mutex>
#include <vector>

#include <torch/types.h>

#include "viz/tile_source.h"

namespace attnscope {

class RowPeaks {
public:
    RowPeaks(TileSource source, int64_t rows, int64_t cols);

    // [r1 − r0] float, computing the rows not yet known from full-width strips.
    torch::Tensor get(int64_t r0, int64_t r1);
    // Record peaks seen by a full-width pass over rows [r0, r0 + peaks.size(0)).
    void put(int64_t r0, const torch::Tensor &peaks);

    // The peaks of full rows [r0, r1) of `values` ([r1 − r0, cols]).
    static torch::Tensor of(const torch::Tensor &values);

private:
    TileSource m_source;
    int64_t m_cols;
    std::mutex m_mutex;
    std::vector<float> m_peaks;
    std::vector<char> m_known;
};

} // namespace attnscope
