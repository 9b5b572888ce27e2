#pragma once
// Hands a tokenizer to the analyses that take texts as options (activation patching's
// corrupted text, an --answer token) or name the tokens they find (the logit lens).

#include <memory>

#include "core/analysis/analysis.h"

namespace attnscope {

namespace tokenize { class Tokenizer; }

// Sets context.tokenize and context.tokenText; they keep `tokenizer` alive.
void setContextTokenizer(AnalysisContext &context, std::shared_ptr<const tokenize::Tokenizer> tokenizer);

} // namespace attnscope
