#pragma once
// Checks of a text model's input before any tensor op can fail on it, as InputError
// ("input: …") lines rather than LibTorch exceptions.

#include <torch/types.h>

#include "core/models/model.h"

namespace attnscope {

// input.inputIds as a non-empty [T] int64 tensor with every id in [0, vocab).
torch::Tensor checkedTokenIds(const ModelInput &input, int64_t vocab);

// input.tokenTypeIds ([T], each < typeVocab), or zeros when absent.
torch::Tensor checkedTokenTypes(const ModelInput &input, int64_t tokens, int64_t typeVocab);

// Position ids must stay below the model's position table.
void checkPositions(const torch::Tensor &positionIds, int64_t maxPositions);

// The keys every query may attend ([T] bool) from input.attentionMask, undefined when
// there is none (everything visible).
torch::Tensor keyMaskOf(const ModelInput &input, int64_t tokens);

} // namespace attnscope
