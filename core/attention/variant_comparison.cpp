#include "core/attention/variant_comparison.h"

#include <torch/torch.h>

#include "core/capture/attention_record.h"

namespace attnscope {

namespace {

constexpr int64_t kRowsPerChunk = 512;

// Σ a·log2(a/b) over entries with a > 0, per row.
torch::Tensor klBits(const torch::Tensor &a, const torch::Tensor &b)
{
    const torch::Tensor positive = a > 0;
    const torch::Tensor ratio = torch::where(positive, a / b.masked_fill(b == 0, 1), torch::ones_like(a));
    return (a * ratio.log2()).sum(-1);
}

// Per-row JS divergence (bits), kept count, reference count and kept mass for rows [T', S].
struct RowTotals {
    double js = 0;
    double kept = 0;
    double attended = 0;
    double mass = 0;
    int64_t rows = 0;
};

void accumulate(RowTotals &totals, const torch::Tensor &reference, const torch::Tensor &variant)
{
    const torch::Tensor p = reference.to(torch::kFloat64);
    const torch::Tensor q = variant.to(torch::kFloat64);
    const torch::Tensor rows = p.sum(-1) > 0; // rows with at least one allowed key
    const torch::Tensor clipped = q.clamp_min(0);
    const torch::Tensor mass = clipped.sum(-1, true);
    const torch::Tensor qHat = clipped / mass.masked_fill(mass == 0, 1);
    const torch::Tensor m = (p + qHat) / 2;
    const torch::Tensor js = torch::where(mass.squeeze(-1) > 0,
                                          (klBits(p, m) + klBits(qHat, m)) / 2,
                                          torch::ones_like(mass.squeeze(-1)));
    const torch::Tensor keptEntries = (q != 0).logical_and(p > 0);
    totals.js += js.masked_select(rows).sum().item<double>();
    totals.kept += keptEntries.sum().item<double>();
    totals.attended += (p > 0).sum().item<double>();
    totals.mass += (p * keptEntries).sum(-1).masked_select(rows).sum().item<double>();
    totals.rows += rows.sum().item<int64_t>();
}

std::vector<TokenPrediction> topFive(const torch::Tensor &logits)
{
    const torch::Tensor probabilities = torch::softmax(logits.to(torch::kFloat64), -1);
    const auto [values, indices] = probabilities.topk(std::min<int64_t>(5, probabilities.size(-1)));
    std::vector<TokenPrediction> top;
    for (int64_t i = 0; i < values.size(0); ++i)
        top.push_back({indices[i].item<int64_t>(), values[i].item<double>()});
    return top;
}

} // namespace

std::vector<std::vector<HeadComparison>> compareAttention(const AttentionRecord &reference,
                                                          const AttentionRecord &variant)
{
    if (reference.layers() != variant.layers() || reference.heads() != variant.heads()
        || reference.queries() != variant.queries() || reference.keys() != variant.keys())
        throw std::invalid_argument("compareAttention: the records have different shapes");
    std::vector<std::vector<HeadComparison>> layers;
    for (int layer = 0; layer < int(reference.layers()); ++layer) {
        std::vector<HeadComparison> heads;
        for (int head = 0; head < int(reference.heads()); ++head) {
            RowTotals totals;
            for (int64_t r0 = 0; r0 < reference.queries(); r0 += kRowsPerChunk) {
                const int64_t r1 = std::min(reference.queries(), r0 + kRowsPerChunk);
                accumulate(totals, reference.tile(layer, head, r0, r1, 0, reference.keys()),
                           variant.tile(layer, head, r0, r1, 0, reference.keys()));
            }
            const double rows = double(std::max<int64_t>(totals.rows, 1));
            heads.push_back({totals.js / rows, totals.kept / std::max(totals.attended, 1.0),
                             totals.mass / rows});
        }
        layers.push_back(std::move(heads));
    }
    return layers;
}

OutputComparison compareOutputs(const torch::Tensor &referenceLogits,
                                const torch::Tensor &variantLogits, const torch::Tensor &targets)
{
    if (!referenceLogits.sizes().equals(variantLogits.sizes()))
        throw std::invalid_argument("compareOutputs: the logits have different shapes");
    const torch::Tensor refLog = torch::log_softmax(referenceLogits.to(torch::kFloat64).view({-1, referenceLogits.size(-1)}), -1);
    const torch::Tensor varLog = torch::log_softmax(variantLogits.to(torch::kFloat64).view({-1, variantLogits.size(-1)}), -1);
    OutputComparison comparison;
    comparison.klDivergence = (refLog.exp() * (refLog - varLog)).sum(-1).mean().item<double>();
    comparison.top1Agreement =
        (refLog.argmax(-1) == varLog.argmax(-1)).to(torch::kFloat64).mean().item<double>();
    const torch::Tensor scored = targets.view({-1}).ge(0);
    comparison.scoredTargets = scored.sum().item<int64_t>();
    if (comparison.scoredTargets > 0) {
        const torch::Tensor index = targets.view({-1}).clamp_min(0).unsqueeze(1);
        const auto meanLoss = [&](const torch::Tensor &logProbabilities) {
            return -logProbabilities.gather(1, index).squeeze(1).masked_select(scored).mean().item<double>();
        };
        comparison.referenceLoss = meanLoss(refLog);
        comparison.variantLoss = meanLoss(varLog);
    }
    comparison.referenceTop5 = topFive(refLog[-1]);
    comparison.variantTop5 = topFive(varLog[-1]);
    return comparison;
}

torch::Tensor nextTokenTargets(const torch::Tensor &inputIds)
{
    torch::Tensor targets = torch::full_like(inputIds, -1);
    const int64_t count = inputIds.size(0);
    if (count > 1)
        targets.slice(0, 0, count - 1).copy_(inputIds.slice(0, 1));
    return targets;
}

} // namespace attnscope
