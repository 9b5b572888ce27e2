#include "viz/row_peaks.h"

#include <algorithm>

#include <torch/torch.h>

namespace attnscope {

namespace {
constexpr int64_t kStripCells = int64_t(1) << 20;
}

RowPeaks::RowPeaks(TileSource source, int64_t rows, int64_t cols)
    : m_source(std::move(source)), m_cols(cols), m_peaks(size_t(rows), 0.0f),
      m_known(size_t(rows), 0)
{
}

torch::Tensor RowPeaks::of(const torch::Tensor &values)
{
    return values.to(torch::kFloat).abs().nan_to_num(0.0, 0.0, 0.0).amax(1);
}

void RowPeaks::put(int64_t r0, const torch::Tensor &peaks)
{
    const torch::Tensor contiguous = peaks.to(torch::kFloat).contiguous();
    const float *data = contiguous.data_ptr<float>();
    std::lock_guard<std::mutex> lock(m_mutex);
    for (int64_t i = 0; i < contiguous.size(0); ++i) {
        m_peaks[size_t(r0 + i)] = data[i];
        m_known[size_t(r0 + i)] = 1;
    }
}

torch::Tensor RowPeaks::get(int64_t r0, int64_t r1)
{
    const int64_t stripRows = std::max<int64_t>(1, kStripCells / m_cols);
    for (int64_t row = r0; row < r1;) {
        bool known;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            known = m_known[size_t(row)] != 0;
        }
        if (known) {
            ++row;
            continue;
        }
        const int64_t end = std::min(r1, row + stripRows);
        put(row, of(m_source(row, end, 0, m_cols)));
        row = end;
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    return torch::from_blob(m_peaks.data() + r0, {r1 - r0}, torch::kFloat).clone();
}

} // namespace attnscope
