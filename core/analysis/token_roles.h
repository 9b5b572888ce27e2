#pragma once
// Which tokens play which role, for the head statistics (Clark et al. 2019) and the word
// aggregation: the classification/BOS token, separators/EOS, punctuation, and words.

#include <vector>

#include <torch/types.h>

#include "core/capture/attention_record.h"

namespace attnscope {

struct TokenRoles {
    torch::Tensor cls;         // [T] bool: a special token at position 0 ([CLS], <s>, BOS)
    torch::Tensor separator;   // [T] bool: later special tokens ([SEP], </s>, EOS), not padding or masks
    torch::Tensor punctuation; // [T] bool: text made only of punctuation once subword marks are gone
};

TokenRoles tokenRoles(const std::vector<RecordedToken> &tokens);

// The token's text without subword marks ("Ġ", "▁", "␣", "##", newline marks) and surrounding spaces.
QString bareTokenText(const QString &text);

// Word index per token [T] int64: a token starts a new word when it is special, when it is
// punctuation or follows punctuation, when its text starts with a space mark ("Ġ", "▁", "␣", " "),
// or when a gap separates it from the previous token's bytes; "##" pieces always continue.
torch::Tensor wordIndices(const std::vector<RecordedToken> &tokens);

} // namespace attnscope
