#include "core/capture/step_attention.h"

#include <algorithm>
#include <stdexcept>

#include <torch/torch.h>

namespace attnscope {

StepAttention::StepAttention(int64_t layers, int64_t heads, int64_t maxTokens)
    : m_rows(torch::zeros({layers, heads, maxTokens, maxTokens}))
{
}

torch::Tensor StepAttention::attentions(int64_t tokens) const
{
    return m_rows.slice(2, 0, tokens).slice(3, 0, tokens).contiguous();
}

void StepAttention::beginForward(int64_t layers, int64_t heads, int64_t queries, int64_t keys)
{
    if (layers != m_rows.size(0) || heads != m_rows.size(1) || keys > m_rows.size(2))
        throw std::logic_error("step attention: a forward call larger than the sequence it was made for");
    m_firstQuery = keys - queries;
}

void StepAttention::recordRows(int layer, int64_t rowBegin, const torch::Tensor &probabilities)
{
    const int64_t first = m_firstQuery + rowBegin;
    const int64_t end = first + probabilities.size(1);
    const int64_t from = std::max(first, m_keepFrom);
    if (from >= end)
        return;
    m_rows[layer].slice(1, from, end).slice(2, 0, probabilities.size(2))
        .copy_(probabilities.slice(1, from - first, end - first));
}

} // namespace attnscope
