#pragma once
// From a tokenizer's encoding to what a model reads and what a record shows: token ids
// (and sentence types for pairs) and the tokens with their display text and byte offsets.

#include <vector>

#include "core/capture/attention_record.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope {

// inputIds [T]; tokenTypeIds [T] too when the encoding is a sentence pair.
ModelInput modelInputOf(const tokenize::Encoding &encoding, bool pair);

std::vector<RecordedToken> recordedTokensOf(const tokenize::Encoding &encoding);

// The id of the tokenizer's mask token ([MASK] or <mask>), or −1.
int64_t maskTokenIdOf(const tokenize::Tokenizer &tokenizer);

} // namespace attnscope
