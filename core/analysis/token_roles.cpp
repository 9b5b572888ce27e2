#include "core/analysis/token_roles.h"

#include <torch/torch.h>

namespace attnscope {

namespace {

bool isPunctuation(const QString &text)
{
    const QString bare = bareTokenText(text);
    if (bare.isEmpty())
        return false;
    for (const QChar c : bare)
        if (!c.isPunct() && !c.isSymbol())
            return false;
    return true;
}

bool startsWithSpaceMark(const QString &text)
{
    // Byte-level BPE "Ġ", SentencePiece "▁", and the tokenizer's display form "␣".
    return text.startsWith(QChar(0x0120)) || text.startsWith(QChar(0x2581)) || text.startsWith(QChar(0x2423))
           || text.startsWith(QLatin1Char(' '));
}

bool isFiller(const QString &text)
{
    static const QStringList fillers = {QStringLiteral("[PAD]"), QStringLiteral("<pad>"), QStringLiteral("[MASK]"),
                                        QStringLiteral("<mask>"), QStringLiteral("<unk>"), QStringLiteral("[UNK]")};
    return fillers.contains(text);
}

} // namespace

QString bareTokenText(const QString &text)
{
    QString bare = text;
    if (bare.startsWith(QLatin1String("##")))
        bare.remove(0, 2);
    for (const QChar mark : {QChar(0x0120), QChar(0x2581), QChar(0x2423), QChar(0x010A), QChar(0x21B5)})
        bare.remove(mark);
    return bare.trimmed();
}

TokenRoles tokenRoles(const std::vector<RecordedToken> &tokens)
{
    const auto count = static_cast<int64_t>(tokens.size());
    TokenRoles roles{torch::zeros({count}, torch::kBool), torch::zeros({count}, torch::kBool),
                     torch::zeros({count}, torch::kBool)};
    for (int64_t i = 0; i < count; ++i) {
        const RecordedToken &token = tokens[static_cast<size_t>(i)];
        if (token.special && i == 0)
            roles.cls[i] = true;
        else if (token.special && !isFiller(token.text))
            roles.separator[i] = true;
        else if (!token.special && isPunctuation(token.text))
            roles.punctuation[i] = true;
    }
    return roles;
}

torch::Tensor wordIndices(const std::vector<RecordedToken> &tokens)
{
    torch::Tensor words = torch::zeros({static_cast<int64_t>(tokens.size())}, torch::kLong);
    int64_t word = -1;
    for (size_t i = 0; i < tokens.size(); ++i) {
        const RecordedToken &token = tokens[i];
        bool starts = i == 0 || token.special || tokens[i - 1].special || startsWithSpaceMark(token.text)
                      || isPunctuation(token.text) || isPunctuation(tokens[i - 1].text)
                      || (token.byteBegin >= 0 && tokens[i - 1].byteEnd >= 0 && token.byteBegin != tokens[i - 1].byteEnd);
        if (i > 0 && token.text.startsWith(QLatin1String("##")) && !tokens[i - 1].special)
            starts = false;
        if (starts)
            ++word;
        words[static_cast<int64_t>(i)] = word;
    }
    return words;
}

} // namespace attnscope
