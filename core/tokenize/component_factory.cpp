#include "core/tokenize/component_factory.h"

#include <map>

namespace attnscope::tokenize {

namespace {

template <typename Maker>
Maker findMaker(const std::map<QString, Maker> &makers, const JsonField &field, const char *kind)
{
    const QString type = field["type"].toString();
    const auto it = makers.find(type);
    if (it == makers.end())
        field["type"].fail(QStringLiteral("unsupported %1 \"%2\"").arg(QLatin1String(kind), type));
    return it->second;
}

} // namespace

std::unique_ptr<Normalizer> makeNormalizer(const JsonField &field)
{
    using Maker = std::unique_ptr<Normalizer> (*)(const JsonField &);
    static const std::map<QString, Maker> makers = {
        {QStringLiteral("BertNormalizer"), makeBertNormalizer},
        {QStringLiteral("NFC"), makeUnicodeNormalizer},
        {QStringLiteral("NFD"), makeUnicodeNormalizer},
        {QStringLiteral("NFKC"), makeUnicodeNormalizer},
        {QStringLiteral("NFKD"), makeUnicodeNormalizer},
        {QStringLiteral("Lowercase"), makeLowercase},
        {QStringLiteral("StripAccents"), makeStripAccents},
        {QStringLiteral("Replace"), makeReplaceNormalizer},
        {QStringLiteral("Prepend"), makePrepend},
        {QStringLiteral("Strip"), makeStripNormalizer},
        {QStringLiteral("Precompiled"), makePrecompiled},
        {QStringLiteral("Sequence"), makeNormalizerSequence},
    };
    return field.isNull() ? nullptr : findMaker(makers, field, "normalizer")(field);
}

std::unique_ptr<PreTokenizer> makePreTokenizer(const JsonField &field)
{
    using Maker = std::unique_ptr<PreTokenizer> (*)(const JsonField &);
    static const std::map<QString, Maker> makers = {
        {QStringLiteral("ByteLevel"), makeByteLevelPreTokenizer},
        {QStringLiteral("BertPreTokenizer"), makeBertPreTokenizer},
        {QStringLiteral("Whitespace"), makeWhitespace},
        {QStringLiteral("WhitespaceSplit"), makeWhitespaceSplit},
        {QStringLiteral("Metaspace"), makeMetaspacePreTokenizer},
        {QStringLiteral("Split"), makeSplit},
        {QStringLiteral("Digits"), makeDigits},
        {QStringLiteral("Punctuation"), makePunctuation},
        {QStringLiteral("Sequence"), makePreTokenizerSequence},
    };
    return field.isNull() ? nullptr : findMaker(makers, field, "pre-tokenizer")(field);
}

std::unique_ptr<Model> makeModel(const JsonField &field)
{
    field.toObject();
    // Old files omit the model type; HF then tells the models apart by their fields.
    QString type = field.stringOr(QStringLiteral("type"), QString());
    if (type.isEmpty())
        type = field.has(QStringLiteral("merges")) ? QStringLiteral("BPE")
             : field["vocab"].value().isArray() ? QStringLiteral("Unigram")
             : QStringLiteral("WordPiece");
    if (type == QLatin1String("BPE"))
        return makeBpe(field);
    if (type == QLatin1String("WordPiece"))
        return makeWordPiece(field);
    if (type == QLatin1String("Unigram"))
        return makeUnigram(field);
    field["type"].fail(QStringLiteral("unsupported model \"%1\"").arg(type));
}

std::unique_ptr<PostProcessor> makePostProcessor(const JsonField &field, const Model &model)
{
    using Maker = std::unique_ptr<PostProcessor> (*)(const JsonField &, const Model &);
    static const std::map<QString, Maker> makers = {
        {QStringLiteral("TemplateProcessing"), makeTemplateProcessing},
        {QStringLiteral("BertProcessing"), makeBertProcessing},
        {QStringLiteral("RobertaProcessing"), makeRobertaProcessing},
        {QStringLiteral("ByteLevel"), makeByteLevelProcessing},
        {QStringLiteral("Sequence"), makePostProcessorSequence},
    };
    return field.isNull() ? nullptr : findMaker(makers, field, "post-processor")(field, model);
}

std::unique_ptr<Decoder> makeDecoder(const JsonField &field)
{
    using Maker = std::unique_ptr<Decoder> (*)(const JsonField &);
    static const std::map<QString, Maker> makers = {
        {QStringLiteral("ByteLevel"), makeByteLevelDecoder},
        {QStringLiteral("WordPiece"), makeWordPieceDecoder},
        {QStringLiteral("Metaspace"), makeMetaspaceDecoder},
        {QStringLiteral("Replace"), makeReplaceDecoder},
        {QStringLiteral("ByteFallback"), makeByteFallbackDecoder},
        {QStringLiteral("Fuse"), makeFuseDecoder},
        {QStringLiteral("Strip"), makeStripDecoder},
        {QStringLiteral("BPEDecoder"), makeBpeDecoder},
        {QStringLiteral("Sequence"), makeDecoderSequence},
    };
    return field.isNull() ? nullptr : findMaker(makers, field, "decoder")(field);
}

} // namespace attnscope::tokenize
