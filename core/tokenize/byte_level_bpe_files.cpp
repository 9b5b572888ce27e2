// vocab.json + merges.txt: GPT-2 (GPT2Converter) or RoBERTa (RobertaConverter) byte-level BPE.
#include <QDir>
#include <QJsonDocument>

#include "core/io/input_error.h"
#include "core/tokenize/bpe.h"
#include "core/tokenize/json_field.h"
#include "core/tokenize/legacy_files.h"
#include "core/tokenize/legacy_json.h"
#include "core/tokenize/pipeline.h"

namespace attnscope::tokenize {

std::unique_ptr<Tokenizer> loadByteLevelBpeFiles(const QString &dir)
{
    const QString vocabFile = QDir(dir).filePath(QStringLiteral("vocab.json"));
    const QString mergesFile = QDir(dir).filePath(QStringLiteral("merges.txt"));
    const QJsonDocument doc = parseJson(readTokenizerFile(vocabFile), vocabFile);
    Vocabulary vocab = readVocabulary(JsonField(vocabFile, QString(), doc.object()));
    MergeList merges;
    qsizetype lineNumber = 0;
    for (QByteArray line : readTokenizerFile(mergesFile).split('\n')) {
        ++lineNumber;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty() || line.startsWith("#version"))
            continue;
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() != 2)
            throw InputError(mergesFile, QStringLiteral("line %1: expected two tokens separated by one space").arg(lineNumber));
        merges.emplace_back(parts[0].toStdString(), parts[1].toStdString());
    }

    const QJsonObject config = readTokenizerConfig(dir);
    const bool roberta = config.value(QStringLiteral("tokenizer_class")).toString().contains(QLatin1String("Roberta"))
        || (vocab.id("<s>") >= 0 && vocab.id("</s>") >= 0 && vocab.id("<mask>") >= 0);
    const bool addPrefixSpace = config.value(QStringLiteral("add_prefix_space")).toBool(false);
    using legacy::object;
    QJsonArray added;
    QJsonObject postProcessor;
    if (roberta) {
        for (const char *name : {"<s>", "<pad>", "</s>", "<unk>", "<mask>"})
            if (const int64_t id = vocab.id(name); id >= 0)
                added.append(legacy::addedToken(id, QLatin1String(name), QLatin1String(name) == QLatin1String("<mask>")));
        postProcessor = object({{QStringLiteral("type"), QStringLiteral("RobertaProcessing")},
            {QStringLiteral("sep"), QJsonArray{QStringLiteral("</s>"), qint64(vocab.id("</s>"))}},
            {QStringLiteral("cls"), QJsonArray{QStringLiteral("<s>"), qint64(vocab.id("<s>"))}},
            {QStringLiteral("trim_offsets"), true}, {QStringLiteral("add_prefix_space"), addPrefixSpace}});
    } else {
        if (const int64_t id = vocab.id("<|endoftext|>"); id >= 0)
            added.append(legacy::addedToken(id, QStringLiteral("<|endoftext|>")));
        postProcessor = legacy::byteLevel(true, true, false);
    }
    auto model = std::make_unique<BpeModel>(std::move(vocab), merges, BpeOptions(), mergesFile);
    const QJsonObject root = object({
        {QStringLiteral("added_tokens"), added},
        {QStringLiteral("pre_tokenizer"), legacy::byteLevel(addPrefixSpace, true, true)},
        {QStringLiteral("post_processor"), postProcessor},
        {QStringLiteral("decoder"), legacy::byteLevel(true, true, true)}});
    return std::make_unique<PipelineTokenizer>(readPipeline(JsonField(vocabFile, QString(), root), std::move(model)));
}

} // namespace attnscope::tokenize
