#pragma once
// Induction and previous-token scores (Olsson et al. 2022, "In-context Learning and Induction
// Heads"): on a random token sequence repeated twice, an induction head at a query in the
// second copy attends to the token that followed the same token in the first copy.
// Layout: `prefix` tokens (BOS), then the random block of `period` tokens, then the block again.

#include <torch/types.h>

namespace attnscope {

// [L, H] mean over the second copy's queries t of A[t, t − period + 1].
torch::Tensor inductionScores(const torch::Tensor &attention, int64_t prefix, int64_t period);

// [L, H] mean over queries t ≥ 1 of A[t, t − 1].
torch::Tensor previousTokenScores(const torch::Tensor &attention);

// What uniform attention over the allowed keys would score on the same queries:
// mean of 1/(t + 1) for causal models, 1/T otherwise.
double uniformInductionScore(int64_t prefix, int64_t period, bool causal);

// Mean next-token loss (nats) on positions 1 … period − 1 of the copy starting at `copyStart`,
// from causal-LM logits [T, V] (differentiable: the induction demo trains on it).
torch::Tensor copyLoss(const torch::Tensor &logits, const torch::Tensor &ids, int64_t copyStart, int64_t period);

// The behaviour induction heads implement: that loss on the first and on the second copy.
// A model that copies from context predicts the second copy far better; one that does not
// scores both alike.
struct CopyLosses {
    double firstCopy = 0;
    double secondCopy = 0;
};
CopyLosses copyLosses(const torch::Tensor &logits, const torch::Tensor &ids, int64_t prefix, int64_t period);

// `count` × (prefix + 2·period) token ids: [BOS] r r with r uniform in [low, high).
torch::Tensor repeatedRandomSequences(int64_t count, int64_t period, int64_t bos, int64_t low,
                                      int64_t high, uint64_t seed);

} // namespace attnscope
