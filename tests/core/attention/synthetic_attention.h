#pragma once
// Synthetic attention layers for the variant tests: seeded random q, k, v with the shapes of
// every family (encoder, causal, GQA, padding), and a variant's probabilities over a layer
// computed in blocks of query rows the way the kernel does.

#include <torch/torch.h>

#include "core/attention/score_block_math.h"
#include "core/attention/variant_spec.h"

namespace attnscope::test {

struct LayerShape {
    int64_t heads = 4;
    int64_t kvHeads = 4;
    int64_t queries = 24;
    int64_t keys = 24;
    int64_t dim = 8;
    bool causal = false;
    int64_t paddedKeys = 0; // the last keys are padding (keyMask false)
    int layer = 0;
};

inline AttentionInputs makeInputs(const LayerShape &shape, uint64_t seed = 7, double spread = 1.5)
{
    torch::manual_seed(seed);
    AttentionInputs inputs;
    inputs.layer = shape.layer;
    inputs.q = torch::randn({shape.heads, shape.queries, shape.dim}) * spread;
    inputs.k = torch::randn({shape.kvHeads, shape.keys, shape.dim}) * spread;
    inputs.v = torch::randn({shape.kvHeads, shape.keys, shape.dim});
    inputs.scale = 1.0 / std::sqrt(double(shape.dim));
    inputs.causal = shape.causal;
    if (shape.paddedKeys > 0) {
        inputs.keyMask = torch::ones({shape.keys}, torch::kBool);
        inputs.keyMask.slice(0, shape.keys - shape.paddedKeys).fill_(false);
    }
    return inputs;
}

inline torch::Tensor allHeads(const AttentionInputs &inputs)
{
    return torch::arange(inputs.heads(), torch::kInt64);
}

// [H, T, S] probabilities of every head, computed in blocks of `blockRows` query rows.
inline torch::Tensor layerProbabilities(const AttentionVariant &variant,
                                        const AttentionInputs &inputs, int64_t blockRows)
{
    std::vector<torch::Tensor> blocks;
    for (int64_t r0 = 0; r0 < inputs.queries(); r0 += blockRows) {
        const int64_t r1 = std::min(inputs.queries(), r0 + blockRows);
        blocks.push_back(variant.probabilities(scoreRows(inputs, allHeads(inputs), r0, r1)));
    }
    return torch::cat(blocks, 1);
}

inline torch::Tensor layerProbabilities(const QString &spec, const AttentionInputs &inputs,
                                        int64_t blockRows = 1 << 20)
{
    return layerProbabilities(*parseVariantSpec(spec).variant, inputs, blockRows);
}

// [T, S] bool mask of the whole layer.
inline torch::Tensor layerAllowed(const AttentionInputs &inputs)
{
    return scoreRows(inputs, allHeads(inputs), 0, inputs.queries()).allowed;
}

} // namespace attnscope::test
