#include "core/attention/kernel.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

#include <torch/torch.h>

#include "core/attention/reference_softmax.h"
#include "core/attention/row_blocks.h"
#include "core/attention/score_block_math.h"
#include "core/capture/attention_recorder.h"

namespace attnscope {

namespace {

void require(bool condition, const std::string &what)
{
    if (!condition)
        throw std::invalid_argument("attention kernel: " + what);
}

// Probabilities need only q and k (a compact AttentionRecord keeps no values).
void checkScoreInputs(const AttentionInputs &inputs)
{
    require(inputs.q.dim() == 3 && inputs.k.dim() == 3, "q and k must be [heads, positions, dim]");
    require(inputs.kvHeads() > 0 && inputs.heads() % inputs.kvHeads() == 0,
            "query heads must be a multiple of kv heads");
    require(inputs.q.size(2) == inputs.k.size(2), "q and k head dims differ");
    require(inputs.queries() > 0 && inputs.keys() > 0, "no queries or no keys");
    require(inputs.queries() <= inputs.keys() || !inputs.causal,
            "causal attention needs at least as many keys as queries");
    require(!inputs.keyMask.defined()
                || (inputs.keyMask.dim() == 1 && inputs.keyMask.size(0) == inputs.keys()),
            "key mask must be [keys]");
}

void checkInputs(const AttentionInputs &inputs)
{
    checkScoreInputs(inputs);
    require(inputs.v.dim() == 3 && inputs.v.size(0) == inputs.kvHeads() && inputs.v.size(1) == inputs.keys(),
            "v must be [kv heads, keys, dim]");
}

// The query heads under each variant of the plan in this layer.
std::map<const AttentionVariant *, std::vector<int64_t>> variantHeads(const AttentionInputs &inputs,
                                                                      const AttentionPlan &plan)
{
    std::map<const AttentionVariant *, std::vector<int64_t>> heads;
    for (int64_t head = 0; head < inputs.heads(); ++head)
        if (const AttentionVariant *variant = plan.variantFor(inputs.layer, int(head)))
            heads[variant].push_back(head);
    return heads;
}

torch::Tensor headIndex(const std::vector<int64_t> &heads)
{
    return torch::tensor(heads, torch::kInt64);
}

} // namespace

int64_t rowsPerBlock(const AttentionInputs &inputs, int64_t budgetBytes)
{
    const int64_t rowBytes = inputs.heads() * inputs.keys() * int64_t(sizeof(float));
    return std::clamp<int64_t>(budgetBytes / std::max<int64_t>(rowBytes, 1), 1,
                               std::max<int64_t>(inputs.queries(), 1));
}

torch::Tensor attendInRowBlocks(const AttentionInputs &inputs, const AttentionPlan &plan,
                                AttentionRecorder *recorder, int64_t rows)
{
    checkInputs(inputs);
    require(rows > 0, "row blocks must hold at least one row");
    if (recorder)
        recorder->recordLayer(inputs, plan);
    const bool wantRows = recorder && recorder->wantsProbabilities(inputs.layer);
    const auto variants = variantHeads(inputs, plan);

    std::vector<torch::Tensor> outputs;
    for (int64_t r0 = 0; r0 < inputs.queries(); r0 += rows) {
        const int64_t r1 = std::min(inputs.queries(), r0 + rows);
        SoftmaxRows softmax = referenceSoftmax(scoreAllHeads(inputs, r0, r1));
        torch::Tensor probabilities = softmax.probabilities;
        for (const auto &[variant, heads] : variants) {
            const torch::Tensor index = headIndex(heads);
            const torch::Tensor replaced = variant->probabilities(scoreRows(inputs, index, r0, r1));
            probabilities = probabilities.index_copy(0, index, replaced.to(probabilities.dtype()));
        }
        if (recorder) {
            recorder->recordNormalizers(inputs.layer, r0, softmax.rowMax.detach(),
                                        softmax.rowSum.detach());
            if (wantRows)
                recorder->recordRows(inputs.layer, r0, probabilities.detach());
        }
        outputs.push_back(weightValues(inputs, probabilities));
    }
    torch::Tensor output = outputs.size() == 1 ? outputs.front() : torch::cat(outputs, 1);
    for (const auto &[variant, heads] : variants) {
        const torch::Tensor index = headIndex(heads);
        output = output.index_copy(0, index, variant->adjustOutput(output.index_select(0, index), index));
    }
    return output;
}

torch::Tensor attend(const AttentionInputs &inputs, const AttentionPlan &plan,
                     AttentionRecorder *recorder)
{
    return attendInRowBlocks(inputs, plan, recorder, rowsPerBlock(inputs, kScoreBlockBudgetBytes));
}

torch::Tensor attentionTile(const AttentionInputs &inputs, const AttentionPlan &plan,
                            int64_t head, int64_t r0, int64_t r1, int64_t c0, int64_t c1)
{
    checkScoreInputs(inputs);
    require(head >= 0 && head < inputs.heads(), "head out of range");
    require(0 <= r0 && r0 <= r1 && r1 <= inputs.queries() && 0 <= c0 && c0 <= c1
                && c1 <= inputs.keys(),
            "tile out of range");
    if (r0 == r1)
        return torch::zeros({0, c1 - c0});
    if (const AttentionVariant *variant = plan.variantFor(inputs.layer, int(head))) {
        const torch::Tensor rows = variant->probabilities(scoreRows(inputs, headIndex({head}), r0, r1));
        return rows[0].slice(1, c0, c1);
    }
    const SoftmaxRows rows = referenceSoftmax(scoreTile(inputs, head, r0, r1, 0, inputs.keys()));
    return rows.probabilities.slice(1, c0, c1);
}

torch::Tensor scaledScores(const AttentionInputs &inputs, const torch::Tensor &products)
{
    const torch::Tensor scores = products.mul(inputs.scale);
    if (inputs.softCap <= 0)
        return scores;
    return scores.div(inputs.softCap).tanh().mul(inputs.softCap);
}

torch::Tensor allowedKeys(const AttentionInputs &inputs, int64_t r0, int64_t r1)
{
    const torch::Tensor keys = torch::arange(inputs.keys(), torch::kInt64).unsqueeze(0);
    const torch::Tensor positions =
        torch::arange(r0, r1, torch::kInt64).add(inputs.keys() - inputs.queries()).unsqueeze(1);
    torch::Tensor allowed = torch::ones({r1 - r0, inputs.keys()}, torch::kBool);
    if (inputs.causal)
        allowed = allowed & keys.le(positions);
    if (inputs.slidingWindow > 0)
        allowed = allowed & (positions - keys).lt(inputs.slidingWindow);
    if (inputs.keyMask.defined())
        allowed = allowed & inputs.keyMask.to(torch::kBool).unsqueeze(0);
    return allowed;
}

} // namespace attnscope
