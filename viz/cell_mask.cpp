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
    return m_keyAllowed.defined() && !m_keyAllowed[col].item<bool>();
}

torch::Tensor CellMask::blocks(int64_t r0, int64_t r1, int64_t c0, int64_t c1, int64_t block) const
{
    if (isEmpty())
        return {};
    const auto longs = torch::TensorOptions().dtype(torch::kLong);
    // Last row (inclusive) of each row block, first and end column of each column block.
    const torch::Tensor rowLast =
        (torch::arange(r0, r1, block, longs) + block).clamp_max(r1).sub(1).unsqueeze(1);
    const torch::Tensor colBegin = torch::arange(c0, c1, block, longs).unsqueeze(0);
    const torch::Tensor colEnd = (colBegin + block).clamp_max(c1);
    // A block has a visible cell when some column in [colBegin, seenEnd) is an allowed key.
    torch::Tensor seenEnd = colEnd.expand({rowLast.size(0), colBegin.size(1)});
    if (m_causal)
        seenEnd = torch::minimum(seenEnd, rowLast + m_offset + 1);
    seenEnd = torch::maximum(seenEnd, colBegin);
    if (!m_keyAllowed.defined())
        return seenEnd == colBegin;
    const torch::Tensor allowedCount =
        m_allowedSums.index({seenEnd}) - m_allowedSums.index({colBegin.expand_as(seenEnd)});
    return allowedCount == 0;
}

} // namespace attnscope
