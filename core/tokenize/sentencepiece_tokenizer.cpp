// A SentencePiece tokenizer.model rebuilt as the fast tokenizer transformers' converters make
// of it (convert_slow_tokenizer.py), so it tokenizes exactly as Hugging Face does:
//  - BPE models (Llama 2, Mistral …) as LlamaConverter: the pieces as a BPE vocabulary with
//    byte fallback, merges recovered from the vocabulary (every split of a piece into two
//    pieces, the better-scored piece first), "▁" prepended and spaces escaped by the
//    normalizer (the legacy form the published tokenizer.json files use);
//  - Unigram models as SpmConverter: the scored pieces, the precompiled normalization rules,
//    whitespace splitting and Metaspace.
// Control and unknown pieces are special added tokens; bos/eos follow tokenizer_config.json.
#include <algorithm>

#include <QFileInfo>

#include "core/io/input_error.h"
#include "core/tokenize/bpe.h"
#include "core/tokenize/json_field.h"
#include "core/tokenize/legacy_files.h"
#include "core/tokenize/legacy_json.h"
#include "core/tokenize/normalized_string.h"
#include "core/tokenize/pipeline.h"
#include "core/tokenize/sentencepiece_model.h"

namespace attnscope::tokenize {

namespace {

using legacy::object;

const QString kSpace = QStringLiteral("\u2581");

// SentencePieceExtractor's merges: for each piece in id order, every split into two pieces of
// the vocabulary (ordered by their ids); then all of them by the piece's score, best first,
// ties keeping that order.
MergeList recoverMerges(const SentencePieceModel &sp, const Vocabulary &vocab)
{
    struct Candidate {
        float score;
        int64_t left, right;
    };
    std::vector<Candidate> candidates;
    for (const SentencePiece &piece : sp.pieces) {
        const std::u32string chars = toUtf32(QString::fromStdString(piece.piece));
        const size_t first = candidates.size();
        for (size_t split = 1; split < chars.size(); ++split) {
            const int64_t left = vocab.id(toUtf8(chars.substr(0, split)));
            const int64_t right = vocab.id(toUtf8(chars.substr(split)));
            if (left >= 0 && right >= 0)
                candidates.push_back({piece.score, left, right});
        }
        std::sort(candidates.begin() + std::ptrdiff_t(first), candidates.end(), [](const Candidate &a, const Candidate &b) {
            return std::tie(a.left, a.right) < std::tie(b.left, b.right);
        });
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate &a, const Candidate &b) { return a.score > b.score; });
    MergeList merges;
    merges.reserve(candidates.size());
    for (const Candidate &c : candidates)
        merges.emplace_back(vocab.token(c.left), vocab.token(c.right));
    return merges;
}

QJsonArray addedTokens(const SentencePieceModel &sp)
{
    QJsonArray added;
    for (size_t id = 0; id < sp.pieces.size(); ++id) {
        const SentencePiece &piece = sp.pieces[id];
        const bool special = piece.type == SentencePiece::Type::Control || piece.type == SentencePiece::Type::Unknown;
        if (!special && piece.type != SentencePiece::Type::UserDefined)
            continue;
        QJsonObject token = legacy::addedToken(qint64(id), QString::fromStdString(piece.piece));
        token.insert(QStringLiteral("special"), special);
        added.append(token);
    }
    return added;
}

QJsonObject postProcessor(const SentencePieceModel &sp, const QString &file)
{
    const QJsonObject config = readTokenizerConfig(QFileInfo(file).absolutePath());
    auto special = [&](const char *flag, bool byDefault, int id) -> std::optional<legacy::TemplateToken> {
        if (id < 0 || !config.value(QLatin1String(flag)).toBool(byDefault))
            return std::nullopt;
        return legacy::TemplateToken{QString::fromStdString(sp.pieceOf(id)), id};
    };
    return legacy::wrapTemplate(special("add_bos_token", true, sp.bosId), special("add_eos_token", false, sp.eosId));
}

QJsonObject replace(const QString &pattern, const QString &content)
{
    return object({{QStringLiteral("type"), QStringLiteral("Replace")},
                   {QStringLiteral("pattern"), object({{QStringLiteral("String"), pattern}})},
                   {QStringLiteral("content"), content}});
}

std::unique_ptr<Tokenizer> bpeTokenizer(const SentencePieceModel &sp, const QString &file)
{
    Vocabulary vocab;
    for (size_t id = 0; id < sp.pieces.size(); ++id)
        vocab.add(sp.pieces[id].piece, int64_t(id));
    BpeOptions options;
    if (sp.unkId >= 0)
        options.unkToken = sp.pieceOf(sp.unkId);
    options.fuseUnk = true;
    options.byteFallback = sp.byteFallback;
    const MergeList merges = recoverMerges(sp, vocab);
    auto model = std::make_unique<BpeModel>(std::move(vocab), merges, options, file);

    QJsonArray normalizers;
    if (sp.addDummyPrefix)
        normalizers.append(object({{QStringLiteral("type"), QStringLiteral("Prepend")}, {QStringLiteral("prepend"), kSpace}}));
    if (sp.escapeWhitespaces)
        normalizers.append(replace(QStringLiteral(" "), kSpace));
    QJsonArray decoders{replace(kSpace, QStringLiteral(" ")), object({{QStringLiteral("type"), QStringLiteral("ByteFallback")}}),
                        object({{QStringLiteral("type"), QStringLiteral("Fuse")}})};
    if (sp.addDummyPrefix)
        decoders.append(object({{QStringLiteral("type"), QStringLiteral("Strip")}, {QStringLiteral("content"), QStringLiteral(" ")},
                                {QStringLiteral("start"), 1}, {QStringLiteral("stop"), 0}}));
    const QJsonObject root = object({
        {QStringLiteral("added_tokens"), addedTokens(sp)},
        {QStringLiteral("normalizer"), object({{QStringLiteral("type"), QStringLiteral("Sequence")}, {QStringLiteral("normalizers"), normalizers}})},
        {QStringLiteral("post_processor"), postProcessor(sp, file)},
        {QStringLiteral("decoder"), object({{QStringLiteral("type"), QStringLiteral("Sequence")}, {QStringLiteral("decoders"), decoders}})}});
    return std::make_unique<PipelineTokenizer>(readPipeline(JsonField(file, QString(), root), std::move(model)));
}

std::unique_ptr<Tokenizer> unigramTokenizer(const SentencePieceModel &sp, const QString &file)
{
    QJsonArray vocab;
    for (const SentencePiece &piece : sp.pieces)
        vocab.append(QJsonArray{QString::fromStdString(piece.piece), double(piece.score)});
    QJsonObject model = object({{QStringLiteral("type"), QStringLiteral("Unigram")}, {QStringLiteral("vocab"), vocab},
                                {QStringLiteral("byte_fallback"), sp.byteFallback}});
    if (sp.unkId >= 0)
        model.insert(QStringLiteral("unk_id"), sp.unkId);
    const QJsonObject metaspace = object({{QStringLiteral("type"), QStringLiteral("Metaspace")}, {QStringLiteral("replacement"), kSpace},
                                          {QStringLiteral("prepend_scheme"), sp.addDummyPrefix ? QStringLiteral("always") : QStringLiteral("never")}});
    QJsonObject root = object({
        {QStringLiteral("added_tokens"), addedTokens(sp)},
        {QStringLiteral("model"), model},
        {QStringLiteral("pre_tokenizer"), object({{QStringLiteral("type"), QStringLiteral("Sequence")},
            {QStringLiteral("pretokenizers"), QJsonArray{object({{QStringLiteral("type"), QStringLiteral("WhitespaceSplit")}}), metaspace}}})},
        {QStringLiteral("post_processor"), postProcessor(sp, file)},
        {QStringLiteral("decoder"), metaspace}});
    if (!sp.precompiledCharsmap.isEmpty())
        root.insert(QStringLiteral("normalizer"), object({{QStringLiteral("type"), QStringLiteral("Precompiled")},
            {QStringLiteral("precompiled_charsmap"), QString::fromLatin1(sp.precompiledCharsmap.toBase64())}}));
    return std::make_unique<PipelineTokenizer>(readPipeline(JsonField(file, QString(), root)));
}

} // namespace

std::unique_ptr<Tokenizer> loadSentencePiece(const QString &file)
{
    const SentencePieceModel sp = parseSentencePieceModel(readTokenizerFile(file), file);
    switch (sp.kind) {
    case SentencePieceModel::Kind::Bpe:
        return bpeTokenizer(sp, file);
    case SentencePieceModel::Kind::Unigram:
        return unigramTokenizer(sp, file);
    case SentencePieceModel::Kind::Word:
    case SentencePieceModel::Kind::Char:
        break;
    }
    throw InputError(file, QStringLiteral("SentencePiece word and char models are not supported (only BPE and Unigram)"));
}

} // namespace attnscope::tokenize
