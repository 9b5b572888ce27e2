// vocab.txt: BERT's WordPiece tokenizer, as transformers' BertConverter builds it.
#include <QDir>

#include "core/io/input_error.h"
#include "core/tokenize/legacy_files.h"
#include "core/tokenize/legacy_json.h"
#include "core/tokenize/pipeline.h"
#include "core/tokenize/wordpiece.h"

namespace attnscope::tokenize {

std::unique_ptr<Tokenizer> loadWordPieceVocab(const QString &dir)
{
    const QString file = QDir(dir).filePath(QStringLiteral("vocab.txt"));
    Vocabulary vocab;
    int64_t id = 0;
    for (QByteArray line : readTokenizerFile(file).split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty() && id > 0)
            continue;
        vocab.add(line.toStdString(), id++);
    }
    if (id == 0)
        throw InputError(file, QStringLiteral("the vocabulary is empty"));

    const QJsonObject config = readTokenizerConfig(dir);
    auto configString = [&config](const char *key, const char *fallback) {
        return config.value(QLatin1String(key)).isString() ? config.value(QLatin1String(key)).toString() : QLatin1String(fallback);
    };
    const QString unk = configString("unk_token", "[UNK]");
    const QString cls = configString("cls_token", "[CLS]");
    const QString sep = configString("sep_token", "[SEP]");
    for (const QString &required : {unk, cls, sep})
        if (vocab.id(required.toStdString()) < 0)
            throw InputError(file, QStringLiteral("the vocabulary has no \"%1\" token").arg(required));

    using legacy::object;
    QJsonArray added;
    for (const QString &name : {QStringLiteral("[PAD]"), unk, cls, sep, QStringLiteral("[MASK]"),
                                configString("pad_token", "[PAD]"), configString("mask_token", "[MASK]")})
        if (const int64_t tokenId = vocab.id(name.toStdString()); tokenId >= 0)
            added.append(legacy::addedToken(tokenId, name));
    const bool lower = config.value(QStringLiteral("do_lower_case")).toBool(true);
    const QJsonValue stripAccents = config.value(QStringLiteral("strip_accents"));
    const QString single = QStringLiteral("%1:0 $A:0 %2:0").arg(cls, sep);
    const QString pair = QStringLiteral("%1:0 $A:0 %2:0 $B:1 %2:1").arg(cls, sep);
    const QJsonObject specials = object({
        {cls, object({{QStringLiteral("id"), cls}, {QStringLiteral("ids"), QJsonArray{qint64(vocab.id(cls.toStdString()))}}, {QStringLiteral("tokens"), QJsonArray{cls}}})},
        {sep, object({{QStringLiteral("id"), sep}, {QStringLiteral("ids"), QJsonArray{qint64(vocab.id(sep.toStdString()))}}, {QStringLiteral("tokens"), QJsonArray{sep}}})}});
    const QJsonObject root = object({
        {QStringLiteral("added_tokens"), added},
        {QStringLiteral("normalizer"), object({{QStringLiteral("type"), QStringLiteral("BertNormalizer")},
            {QStringLiteral("clean_text"), true},
            {QStringLiteral("handle_chinese_chars"), config.value(QStringLiteral("tokenize_chinese_chars")).toBool(true)},
            {QStringLiteral("strip_accents"), stripAccents.isBool() ? stripAccents : QJsonValue()},
            {QStringLiteral("lowercase"), lower}})},
        {QStringLiteral("pre_tokenizer"), object({{QStringLiteral("type"), QStringLiteral("BertPreTokenizer")}})},
        {QStringLiteral("post_processor"), object({{QStringLiteral("type"), QStringLiteral("TemplateProcessing")},
            {QStringLiteral("single"), single}, {QStringLiteral("pair"), pair}, {QStringLiteral("special_tokens"), specials}})},
        {QStringLiteral("decoder"), object({{QStringLiteral("type"), QStringLiteral("WordPiece")}, {QStringLiteral("prefix"), QStringLiteral("##")}})}});
    auto model = std::make_unique<WordPieceModel>(std::move(vocab), unk.toStdString(), "##", 100, file);
    return std::make_unique<PipelineTokenizer>(readPipeline(JsonField(file, QString(), root), std::move(model)));
}

} // namespace attnscope::tokenize
