#pragma once
// The attention of a sequence as generation computes it: each forward call hands over the
// rows of its new positions (through the KV cache, or the whole sequence again under
// variants), and the rows from the position given to keepRowsFrom() on are placed at their
// place in one [layers, heads, T, T] tensor. Row i is thus what the model attended to when
// token i ran, the step that wrote token i + 1.

#include <torch/types.h>

#include "core/capture/attention_recorder.h"

namespace attnscope {

class StepAttention : public AttentionRecorder {
public:
    StepAttention(int64_t layers, int64_t heads, int64_t maxTokens);

    // Rows of earlier positions in the next forward calls are not kept.
    void keepRowsFrom(int64_t position) { m_keepFrom = position; }
    // [layers, heads, tokens, tokens] float32, zero above the diagonal.
    torch::Tensor attentions(int64_t tokens) const;

    // AttentionRecorder
    void beginForward(int64_t layers, int64_t heads, int64_t queries, int64_t keys) override;
    void recordLayer(const AttentionInputs &, const AttentionPlan &) override {}
    bool wantsProbabilities(int) const override { return true; }
    void recordRows(int layer, int64_t rowBegin, const torch::Tensor &probabilities) override;

private:
    torch::Tensor m_rows; // [layers, heads, maxTokens, maxTokens]
    int64_t m_firstQuery = 0; // position of the current forward call's first query
    int64_t m_keepFrom = 0;
};

} // namespace attnscope
