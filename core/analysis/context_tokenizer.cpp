#include "core/analysis/context_tokenizer.h"

#include <torch/torch.h>

#include "core/tokenize/tokenizer.h"

namespace attnscope {

void setContextTokenizer(AnalysisContext &context, std::shared_ptr<const tokenize::Tokenizer> tokenizer)
{
    context.tokenize = [tokenizer](const QString &text, bool addSpecialTokens) {
        return torch::tensor(tokenizer->encode(text, addSpecialTokens).ids(), torch::kInt64);
    };
    context.tokenText = [tokenizer](int64_t id) { return tokenizer->idToText(id); };
}

} // namespace attnscope
