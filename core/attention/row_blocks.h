#pragma once
// How attend() splits a layer into blocks of query rows, exposed so tests can check that
// every split gives the same result.

#include "core/attention/kernel.h"

namespace attnscope {

// Scores held at once per block: enough for long inputs, small next to the model.
constexpr int64_t kScoreBlockBudgetBytes = int64_t(64) << 20;

// Query rows per block so that the [H, rows, S] fp32 scores stay within budgetBytes
// (at least one row).
int64_t rowsPerBlock(const AttentionInputs &inputs, int64_t budgetBytes);

torch::Tensor attendInRowBlocks(const AttentionInputs &inputs, const AttentionPlan &plan,
                                AttentionRecorder *recorder, int64_t rowsPerBlock);

} // namespace attnscope
