#include "core/attention/score_block_math.h"

#include <limits>

#include <torch/torch.h>

#include "core/attention/kernel.h"

namespace attnscope {

namespace {
constexpr int64_t kChunkRows = 256;
}

torch::Tensor softmaxWhere(const torch::Tensor &scores, const torch::Tensor &keep)
{
    const torch::Tensor masked =
        scores.masked_fill(keep.logical_not(), -std::numeric_limits<float>::infinity());
    const torch::Tensor rowMax = std::get<0>(masked.max(-1, true));
    // Rows with nothing kept have max −inf: shift by 0 there and let exp(−inf) give zeros.
    const torch::Tensor shift = rowMax.masked_fill(rowMax.isinf(), 0);
    return normalizeRows((masked - shift).exp());
}

torch::Tensor referenceProbabilities(const ScoreBlock &block)
{
    return softmaxWhere(block.scores, block.allowed);
}

torch::Tensor maxShiftedScores(const ScoreBlock &block, double maskedValue)
{
    const torch::Tensor rowMax = std::get<0>(block.scores.max(-1, true));
    return (block.scores - rowMax.masked_fill(rowMax.isinf(), 0))
        .masked_fill(block.allowed.logical_not(), maskedValue);
}

torch::Tensor topkMask(const torch::Tensor &values, int64_t k)
{
    const int64_t width = values.size(-1);
    if (k >= width)
        return torch::ones_like(values, torch::kBool);
    const torch::Tensor top = std::get<1>(values.topk(k, -1));
    return torch::zeros_like(values, torch::kBool).scatter_(-1, top, true);
}

torch::Tensor normalizeRows(const torch::Tensor &weights)
{
    const torch::Tensor sums = weights.sum(-1, true);
    return weights / sums.masked_fill(sums == 0, 1);
}

torch::Tensor queryPositions(const ScoreBlock &block)
{
    const int64_t offset = block.inputs->keys() - block.inputs->queries();
    return torch::arange(block.allowed.size(0), torch::kInt64) + (block.rowBegin + offset);
}

torch::Tensor keyDistances(const ScoreBlock &block)
{
    const torch::Tensor keys = torch::arange(block.inputs->keys(), torch::kInt64);
    return queryPositions(block).unsqueeze(1) - keys.unsqueeze(0);
}

ScoreBlock scoreRows(const AttentionInputs &inputs, const torch::Tensor &heads, int64_t r0,
                     int64_t r1)
{
    ScoreBlock block;
    block.inputs = &inputs;
    block.heads = heads;
    block.rowBegin = r0;
    block.q = inputs.q.index_select(0, heads).slice(1, r0, r1);
    const int64_t group = inputs.heads() / inputs.kvHeads();
    block.k = inputs.k.index_select(0, torch::div(heads, group, "floor"));
    block.allowed = allowedKeys(inputs, r0, r1);
    block.scores = scaledScores(inputs, torch::matmul(block.q, block.k.transpose(1, 2)))
                       .masked_fill(block.allowed.logical_not(),
                                    -std::numeric_limits<float>::infinity());
    return block;
}

void forEachRowChunk(const ScoreBlock &block, int64_t endRow,
                     const std::function<void(const ScoreBlock &)> &visit)
{
    for (int64_t r0 = 0; r0 < endRow; r0 += kChunkRows)
        visit(scoreRows(*block.inputs, block.heads, r0, std::min(endRow, r0 + kChunkRows)));
}

int64_t headOf(const ScoreBlock &block, int64_t i)
{
    return block.heads[i].item<int64_t>();
}

} // namespace attnscope
