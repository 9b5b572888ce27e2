#pragma once
// Estimated cost of one attention head under a variant, as a dedicated kernel for that
// variant would spend it (AttnScope itself emulates every variant on dense scores).

#include <cstdint>

namespace attnscope {

struct AttentionShape {
    int64_t queries = 0;  // T
    int64_t keys = 0;     // S
    int64_t headDim = 0;  // d
    int64_t valueDim = 0; // dv
    bool causal = false;

    // Query-key pairs the mask allows: T·S, or the lower triangle for causal attention.
    double visiblePairs() const;
    // Pairs when every query reads at most `perRow` keys.
    double pairsWithAtMost(double perRow) const;
};

struct VariantCost {
    double flops = 0;
    double bytes = 0; // peak working memory: inputs, outputs and the largest intermediate
};

// Softmax attention over `pairs` query-key pairs plus `extraFlops` of selection work, with a
// largest intermediate of `workingFloats` floats.
VariantCost pairwiseCost(const AttentionShape &shape, double pairs, double extraFlops,
                         double workingFloats);

// Exact dense softmax attention materializing the T×S score matrix.
VariantCost denseCost(const AttentionShape &shape);

// Dense attention plus sorting every row (sparsemax, entmax, top-p).
VariantCost sortedDenseCost(const AttentionShape &shape);

// Softmax over a fixed number of keys per row (windows, sinks, block selections).
VariantCost sparseCost(const AttentionShape &shape, double keysPerRow, double extraFlops = 0);

} // namespace attnscope
