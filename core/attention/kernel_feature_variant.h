#pragma once
// Variants that replace exp(q·k) by a product of feature maps φ(q)·ψ(k) (linear attention,
// Performer): weights normalized over the allowed keys of each row.

#include "core/attention/parameterized_variant.h"
#include "core/attention/score_block_math.h"

namespace attnscope {

class KernelFeatureVariant : public ParameterizedVariant {
public:
    using ParameterizedVariant::ParameterizedVariant;

    torch::Tensor probabilities(const ScoreBlock &block) const final
    {
        const torch::Tensor weights =
            torch::matmul(queryFeatures(block), keyFeatures(block).transpose(1, 2));
        return normalizeRows(weights.masked_fill(block.allowed.logical_not(), 0));
    }

    // Linear in length: features of every query and key, then a features × dv state.
    VariantCost cost(const AttentionShape &shape) const final
    {
        const double m = double(featureCount(shape));
        const double t = double(shape.queries);
        const double s = double(shape.keys);
        VariantCost cost;
        cost.flops = 2 * m * double(shape.headDim) * (t + s) + 2 * m * double(shape.valueDim) * (s + t);
        cost.bytes = 4 * (t * shape.headDim + s * shape.headDim + s * shape.valueDim
                          + t * shape.valueDim + m * (t + s + shape.valueDim));
        return cost;
    }

protected:
    virtual torch::Tensor queryFeatures(const ScoreBlock &block) const = 0; // [h, r, m] ≥ 0
    virtual torch::Tensor keyFeatures(const ScoreBlock &block) const = 0;   // [h, S, m] ≥ 0
    virtual int64_t featureCount(const AttentionShape &shape) const = 0;
};

} // namespace attnscope
