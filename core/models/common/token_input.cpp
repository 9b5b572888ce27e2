#include "core/models/common/token_input.h"

#include "core/io/input_error.h"

namespace attnscope {

namespace {

const QString kInput = QStringLiteral("input");

void checkSequence(const torch::Tensor &tensor, const char *what, int64_t tokens)
{
    if (tensor.dim() != 1 || tensor.size(0) != tokens)
        throw InputError(kInput, QStringLiteral("%1 must hold one value per token (%2), not shape [%3]")
                                     .arg(QLatin1String(what)).arg(tokens)
                                     .arg(QString::fromStdString(c10::str(tensor.sizes()))));
}

} // namespace

torch::Tensor checkedTokenIds(const ModelInput &input, int64_t vocab)
{
    const torch::Tensor &ids = input.inputIds;
    if (!ids.defined() || ids.numel() == 0)
        throw InputError(kInput, QStringLiteral("no token ids"));
    checkSequence(ids, "token ids", ids.numel());
    if (ids.is_floating_point() || ids.is_complex() || ids.scalar_type() == torch::kBool)
        throw InputError(kInput, QStringLiteral("token ids must be integers"));
    const torch::Tensor asLong = ids.to(torch::kLong);
    const int64_t lowest = asLong.min().item<int64_t>();
    const int64_t highest = asLong.max().item<int64_t>();
    if (lowest < 0 || highest >= vocab)
        throw InputError(kInput, QStringLiteral("token id %1 is outside the vocabulary of %2")
                                     .arg(lowest < 0 ? lowest : highest).arg(vocab));
    return asLong;
}

torch::Tensor checkedTokenTypes(const ModelInput &input, int64_t tokens, int64_t typeVocab)
{
    if (!input.tokenTypeIds.defined())
        return torch::zeros({tokens}, torch::kLong);
    checkSequence(input.tokenTypeIds, "token type ids", tokens);
    const torch::Tensor types = input.tokenTypeIds.to(torch::kLong);
    const int64_t lowest = types.min().item<int64_t>();
    const int64_t highest = types.max().item<int64_t>();
    if (lowest < 0 || highest >= typeVocab)
        throw InputError(kInput, QStringLiteral("token type id %1 is outside the model's %2 types")
                                     .arg(lowest < 0 ? lowest : highest).arg(typeVocab));
    return types;
}

void checkPositions(const torch::Tensor &positionIds, int64_t maxPositions)
{
    const int64_t highest = positionIds.max().item<int64_t>();
    if (highest >= maxPositions)
        throw InputError(kInput, QStringLiteral("too long: position %1 is beyond the model's %2 positions")
                                     .arg(highest).arg(maxPositions));
}

torch::Tensor keyMaskOf(const ModelInput &input, int64_t tokens)
{
    if (!input.attentionMask.defined())
        return {};
    checkSequence(input.attentionMask, "the attention mask", tokens);
    const torch::Tensor mask = input.attentionMask.to(torch::kBool);
    if (!mask.any().item<bool>())
        throw InputError(kInput, QStringLiteral("the attention mask hides every token"));
    return mask;
}

} // namespace attnscope
