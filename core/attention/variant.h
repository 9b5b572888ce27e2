#pragma once
// An attention variant: a training-free replacement for softmax attention in chosen layers
// and heads. Each variant is one file in core/attention/ and one line in variant_registry.cpp.
//
// The kernel works on blocks of query rows so that long inputs never hold a T×T matrix:
// probabilities() must give the same rows whatever block they are computed in.

#include <map>
#include <memory>
#include <string>

#include <QString>
#include <torch/types.h>

#include "core/attention/attention_inputs.h"

namespace attnscope {

// A block of query rows [rowBegin, rowBegin + r) of one layer, for a set of query heads.
struct ScoreBlock {
    const AttentionInputs *inputs = nullptr; // the whole layer (q, k for every row)
    torch::Tensor heads;   // [h] int64: which query heads this block holds
    int64_t rowBegin = 0;
    torch::Tensor q;       // [h, r, d]
    torch::Tensor k;       // [h, S, d]  (kv heads already mapped to query heads)
    torch::Tensor allowed; // [r, S] bool: the causal/padding mask (true = may attend)
    torch::Tensor scores;  // [h, r, S] q·kᵀ·scale, -inf where !allowed
};

class AttentionVariant {
public:
    virtual ~AttentionVariant() = default;

    // Probabilities [h, r, S] for the block (zero where !allowed). Rows need not sum to 1 for
    // variants that do not normalize (sigmoid) — say so in describe().
    virtual torch::Tensor probabilities(const ScoreBlock &block) const = 0;

    // Per-head output after probabilities·V, [h, T, dv] for the whole layer. Head ablation
    // overrides this; everyone else keeps it.
    virtual torch::Tensor adjustOutput(const torch::Tensor &headOutput,
                                       const torch::Tensor & /*heads*/) const
    {
        return headOutput;
    }

    // The spec that recreates this variant, e.g. "topk:k=8".
    virtual QString spec() const = 0;
};

// Which layers and heads a variant applies to ("@layers=0-3@heads=1,5").
struct VariantScope {
    std::shared_ptr<const AttentionVariant> variant;
    std::vector<int> layers; // empty = all
    std::vector<int> heads;  // empty = all
    bool covers(int layer, int head) const;
};

// The variants in force for one forward pass; the first scope that covers a (layer, head)
// wins, heads not covered use the reference softmax.
struct AttentionPlan {
    std::vector<VariantScope> scopes;
    const AttentionVariant *variantFor(int layer, int head) const;
    bool isReference() const { return scopes.empty(); }
};

} // namespace attnscope
