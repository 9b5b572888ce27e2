#pragma once
// Pieces the variants share: masked softmax, query/key distances, and scoring rows or heads
// beyond the current block (for variants that calibrate on the whole layer).

#include <functional>

#include "core/attention/variant.h"

namespace attnscope {

// softmax over the last dimension restricted to `keep` (broadcast to scores); zero
// elsewhere, and all-zero rows where nothing is kept.
torch::Tensor softmaxWhere(const torch::Tensor &scores, const torch::Tensor &keep);

// Reference softmax probabilities of a block (zero where !allowed).
torch::Tensor referenceProbabilities(const ScoreBlock &block);

// Scores minus each row's largest allowed score (so the row maximum is 0), with
// `maskedValue` where !allowed: a finite stand-in for −inf in sort-based projections.
torch::Tensor maxShiftedScores(const ScoreBlock &block, double maskedValue);

// bool mask of the k largest entries of each row (last dimension); all entries when k ≥ width.
torch::Tensor topkMask(const torch::Tensor &values, int64_t k);

// Divides rows by their sum; rows summing to zero stay zero.
torch::Tensor normalizeRows(const torch::Tensor &weights);

// [r] int64: the key position each query row stands at, rowBegin + i + (S - T)
// (the last query faces the last key).
torch::Tensor queryPositions(const ScoreBlock &block);

// [r, S] int64: query position minus key index.
torch::Tensor keyDistances(const ScoreBlock &block);

// A block scored from the layer's inputs: query heads `heads`, rows [r0, r1).
ScoreBlock scoreRows(const AttentionInputs &inputs, const torch::Tensor &heads, int64_t r0,
                     int64_t r1);

// Calls visit() with the block's heads scored over the layer's query rows [0, endRow), in
// chunks, so per-head statistics do not depend on how the kernel splits rows.
void forEachRowChunk(const ScoreBlock &block, int64_t endRow,
                     const std::function<void(const ScoreBlock &)> &visit);

// The global index of the i-th head of a block.
int64_t headOf(const ScoreBlock &block, int64_t i);

} // namespace attnscope
