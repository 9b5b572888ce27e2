#pragma once
// The reference softmax, split so that a record can redo it for any tile: scores of query
// rows against keys, the per-row normalizers (max and sum of exponentials), and
// probabilities from scores and normalizers — the same operations in the kernel and in a
// recomputed tile, so both give the same numbers.

#include <torch/types.h>

#include "core/attention/attention_inputs.h"

namespace attnscope {

struct SoftmaxRows {
    torch::Tensor probabilities; // [..., S], zero where the score is -inf
    torch::Tensor rowMax;        // [...], 0 for rows with no allowed key
    torch::Tensor rowSum;        // [...], sum of exp(score - rowMax); 0 for empty rows
};

// Scores [H, r, S] of every query head for rows [r0, r1): q·kᵀ·scale, -inf where !allowed.
// Query heads sharing a kv head are scored in one product (no copy of k per head).
torch::Tensor scoreAllHeads(const AttentionInputs &inputs, int64_t r0, int64_t r1);

// Scores [r, c] of one query head, rows [r0, r1) against keys [c0, c1).
torch::Tensor scoreTile(const AttentionInputs &inputs, int64_t head, int64_t r0, int64_t r1,
                        int64_t c0, int64_t c1);

// softmax over the last dimension; rows where every score is -inf give zeros, not NaN.
SoftmaxRows referenceSoftmax(const torch::Tensor &scores);

// exp(scores - rowMax) / rowSum with normalizers from referenceSoftmax over whole rows.
torch::Tensor normalizeScores(const torch::Tensor &scores, const torch::Tensor &rowMax,
                              const torch::Tensor &rowSum);

// probabilities [H, r, S] · v for the heads of each kv head → [H, r, dv].
torch::Tensor weightValues(const AttentionInputs &inputs, const torch::Tensor &probabilities);

} // namespace attnscope
