#include "viz/cell_mask.h"

#include <torch/torch.h>

namespace attnscope {

CellMask CellMask::causal(int64_t queries, int64_t keys)
{
    CellMask mask;
    mask.m_causal = true;
    mask.m_offset = keys - queries;
    return mask;
}

CellMask CellMask::slidingWindow(int64_t queries, int64_t keys, int64_t window)
{
    CellMask mask = causal(queries, keys);
    mask.m_window = std::max<int64_t>(window, 0);
    return mask;
}

CellMask CellMask::withKeyAllowed(const torch::Tensor &keyAllowed) const
{
    CellMask mask = *this;
    mask.m_keyAllowed = keyAllowed.to(torch::kBool).contiguous();
    mask.m_allowedSums = torch::cat({torch::zeros({1}, torch::kLong),
                                     mask.m_keyAllowed.to(torch::kLong).cumsum(0)});
    return mask;
}

bool CellMask::masked(int64_t row, int64_t col) const
{
    if (m_causal && col > row + m_offset)
        return true;
    if (m_window > 0 && col <= row + m_offset - m_window)
        return true;
    return m_keyAllowed.defined() && !m_keyAllowed[col].item<bool>();
}

torch::Tensor CellMask::blocks(int64_t r0, int64_t r1, int64_t c0, int64_t c1, int64_t block) const
{
    if (isEmpty())
        return {};
    const auto longs = torch::TensorOptions().dtype(torch::kLong);
    // First and last row (inclusive) of each row block, first and end column of each column block.
    const torch::Tensor rowFirst = torch::arange(r0, r1, block, longs).unsqueeze(1);
    const torch::Tensor rowLast = (rowFirst + block).clamp_max(r1).sub(1);
    const torch::Tensor colBegin = torch::arange(c0, c1, block, longs).unsqueeze(0);
    const torch::Tensor colEnd = (colBegin + block).clamp_max(c1);
    // The rows' visible keys are windows sliding right with the row, so the block sees the
    // union [first row's first key, last row's last key]: a block has a visible cell when
    // some column in [seenBegin, seenEnd) is an allowed key.
    const auto shape = std::vector<int64_t>{rowLast.size(0), colBegin.size(1)};
    torch::Tensor seenBegin = colBegin.expand(shape);
    torch::Tensor seenEnd = colEnd.expand(shape);
    if (m_causal)
        seenEnd = torch::minimum(seenEnd, rowLast + m_offset + 1);
    if (m_window > 0)
        seenBegin = torch::maximum(seenBegin, rowFirst + m_offset - m_window + 1);
    seenEnd = torch::maximum(seenEnd, seenBegin);
    if (!m_keyAllowed.defined())
        return seenEnd == seenBegin;
    const torch::Tensor allowedCount = m_allowedSums.index({seenEnd}) - m_allowedSums.index({seenBegin});
    return allowedCount == 0;
}

} // namespace attnscope
