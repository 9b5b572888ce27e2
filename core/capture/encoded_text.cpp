#include "core/capture/encoded_text.h"

#include <torch/torch.h>

namespace attnscope {

ModelInput modelInputOf(const tokenize::Encoding &encoding, bool pair)
{
    ModelInput input;
    input.inputIds = torch::tensor(encoding.ids(), torch::kInt64);
    if (pair) {
        std::vector<int64_t> types;
        for (const tokenize::Token &token : encoding.tokens)
            types.push_back(token.typeId);
        input.tokenTypeIds = torch::tensor(types, torch::kInt64);
    }
    return input;
}

std::vector<RecordedToken> recordedTokensOf(const tokenize::Encoding &encoding)
{
    std::vector<RecordedToken> tokens;
    for (const tokenize::Token &token : encoding.tokens) {
        RecordedToken recorded;
        recorded.text = token.text;
        recorded.id = token.id;
        recorded.byteBegin = token.byteBegin;
        recorded.byteEnd = token.byteEnd;
        recorded.special = token.special;
        recorded.typeId = token.typeId;
        tokens.push_back(recorded);
    }
    return tokens;
}

int64_t maskTokenIdOf(const tokenize::Tokenizer &tokenizer)
{
    for (const char *name : {"[MASK]", "<mask>"})
        if (const int64_t id = tokenizer.tokenToId(QLatin1String(name)); id >= 0)
            return id;
    return -1;
}

} // namespace attnscope
