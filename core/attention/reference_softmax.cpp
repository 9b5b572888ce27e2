#include "core/attention/reference_softmax.h"

#include <limits>

#include <torch/torch.h>

#include "core/attention/kernel.h"

namespace attnscope {

namespace {

torch::Tensor maskScores(const torch::Tensor &scores, const torch::Tensor &allowed)
{
    return scores.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
}

// [Hkv, g·r, ·] ↔ [H, r, ·]: the query heads of one kv head are consecutive.
torch::Tensor groupByKvHead(const AttentionInputs &inputs, const torch::Tensor &perHead)
{
    return perHead.reshape({inputs.kvHeads(), -1, perHead.size(-1)});
}

} // namespace

torch::Tensor scoreAllHeads(const AttentionInputs &inputs, int64_t r0, int64_t r1)
{
    const torch::Tensor q = groupByKvHead(inputs, inputs.q.slice(1, r0, r1));
    const torch::Tensor scores = scaledScores(inputs, torch::matmul(q, inputs.k.transpose(1, 2)));
    return maskScores(scores.view({inputs.heads(), r1 - r0, inputs.keys()}),
                      allowedKeys(inputs, r0, r1));
}

torch::Tensor scoreTile(const AttentionInputs &inputs, int64_t head, int64_t r0, int64_t r1,
                        int64_t c0, int64_t c1)
{
    const torch::Tensor q = inputs.q[head].slice(0, r0, r1);
    const torch::Tensor k = inputs.k[inputs.kvHeadOf(head)].slice(0, c0, c1);
    const torch::Tensor scores = scaledScores(inputs, torch::matmul(q, k.t()));
    return maskScores(scores, allowedKeys(inputs, r0, r1).slice(1, c0, c1));
}

SoftmaxRows referenceSoftmax(const torch::Tensor &scores)
{
    SoftmaxRows rows;
    const torch::Tensor rowMax = std::get<0>(scores.max(-1));
    rows.rowMax = rowMax.masked_fill(rowMax.isinf(), 0);
    const torch::Tensor exponentials = (scores - rows.rowMax.unsqueeze(-1)).exp();
    rows.rowSum = exponentials.sum(-1);
    rows.probabilities = exponentials / rows.rowSum.masked_fill(rows.rowSum == 0, 1).unsqueeze(-1);
    return rows;
}

torch::Tensor normalizeScores(const torch::Tensor &scores, const torch::Tensor &rowMax,
                              const torch::Tensor &rowSum)
{
    const torch::Tensor exponentials = (scores - rowMax.unsqueeze(-1)).exp();
    return exponentials / rowSum.masked_fill(rowSum == 0, 1).unsqueeze(-1);
}

torch::Tensor weightValues(const AttentionInputs &inputs, const torch::Tensor &probabilities)
{
    const torch::Tensor grouped = torch::matmul(groupByKvHead(inputs, probabilities), inputs.v);
    return grouped.view({inputs.heads(), probabilities.size(1), inputs.v.size(2)});
}

} // namespace attnscope
