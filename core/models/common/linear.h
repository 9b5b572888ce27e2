#pragma once
// A dense layer: y = x·Wᵀ + b with W [out, in] (GPT-2's Conv1D [in, out] is held transposed,
// see WeightResolver::conv1d). W stays as the checkpoint stores it (bf16 or fp16 mapped from
// the file): it is widened to x's type block by block as it is used, so the result is exactly
// that of an fp32 run of the same weights while memory holds one block of fp32 at a time.

#include <torch/types.h>

namespace attnscope {

struct Linear {
    torch::Tensor weight; // [out, in], as stored
    torch::Tensor bias;   // [out] fp32, or undefined
    torch::Tensor operator()(const torch::Tensor &x) const;
};

// Rows `ids` of an embedding table held as stored, widened to fp32: only those rows are read.
torch::Tensor embeddingRows(const torch::Tensor &table, const torch::Tensor &ids);

} // namespace attnscope
