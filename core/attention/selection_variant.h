#pragma once
// Variants that choose which keys each query keeps and then apply exact softmax over the
// kept keys (renormalized): windows, sinks, top-k, top-p, block and low-rank selections.

#include "core/attention/parameterized_variant.h"
#include "core/attention/score_block_math.h"

namespace attnscope {

class SelectionVariant : public ParameterizedVariant {
public:
    using ParameterizedVariant::ParameterizedVariant;

    torch::Tensor probabilities(const ScoreBlock &block) const final
    {
        return softmaxWhere(block.scores, keep(block).logical_and(block.allowed));
    }

protected:
    // bool, broadcastable to [h, r, S]: the keys each query keeps (the mask is applied after).
    virtual torch::Tensor keep(const ScoreBlock &block) const = 0;
};

} // namespace attnscope
