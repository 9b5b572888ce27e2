#include "core/tokenize/tokenizer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/io/bounded_file.h"
#include "core/io/input_error.h"
#include "core/tokenize/json_field.h"
#include "core/tokenize/legacy_files.h"
#include "core/tokenize/pipeline.h"

namespace attnscope::tokenize {

std::vector<int64_t> Encoding::ids() const
{
    std::vector<int64_t> out;
    out.reserve(tokens.size());
    for (const Token &t : tokens)
        out.push_back(t.id);
    return out;
}

Encoding Tokenizer::encode(const QByteArray &utf8, bool addSpecialTokens) const
{
    return encodeSequences(utf8, nullptr, addSpecialTokens);
}

Encoding Tokenizer::encode(const QString &text, bool addSpecialTokens) const
{
    return encodeSequences(text.toUtf8(), nullptr, addSpecialTokens);
}

Encoding Tokenizer::encodePair(const QByteArray &first, const QByteArray &second, bool addSpecialTokens) const
{
    return encodeSequences(first, &second, addSpecialTokens);
}

QByteArray readTokenizerFile(const QString &file)
{
    return readBoundedFile(file, kMaxTokenizerFileBytes, "a tokenizer file");
}

QJsonObject readTokenizerConfig(const QString &dir)
{
    const QString file = QDir(dir).filePath(QStringLiteral("tokenizer_config.json"));
    if (!QFileInfo::exists(file))
        return {};
    return parseJson(readTokenizerFile(file), file).object();
}

std::unique_ptr<Tokenizer> loadTokenizerJson(const QString &file)
{
    const QJsonDocument doc = parseJson(readTokenizerFile(file), file);
    return std::make_unique<PipelineTokenizer>(readPipeline(JsonField(file, QString(), doc.object())));
}

std::unique_ptr<Tokenizer> loadTokenizer(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw InputError(path, QStringLiteral("no such file or folder"));
    if (info.isFile()) {
        if (path.endsWith(QLatin1String(".json")))
            return loadTokenizerJson(path);
        if (looksLikeTiktoken(path))
            return loadTiktoken(path);
        if (path.endsWith(QLatin1String(".model")))
            return loadSentencePiece(path);
        throw InputError(path, QStringLiteral("not a tokenizer file (expected tokenizer.json, tokenizer.model or *.tiktoken)"));
    }
    const QDir dir(path);
    auto has = [&dir](const char *name) { return dir.exists(QLatin1String(name)); };
    if (has("tokenizer.json"))
        return loadTokenizerJson(dir.filePath(QStringLiteral("tokenizer.json")));
    if (has("tokenizer.model")) {
        const QString model = dir.filePath(QStringLiteral("tokenizer.model"));
        return looksLikeTiktoken(model) ? loadTiktoken(model) : loadSentencePiece(model);
    }
    const QStringList tiktoken = dir.entryList({QStringLiteral("*.tiktoken")}, QDir::Files, QDir::Name);
    if (!tiktoken.isEmpty())
        return loadTiktoken(dir.filePath(tiktoken.first()));
    if (has("vocab.json") && has("merges.txt"))
        return loadByteLevelBpeFiles(path);
    if (has("vocab.txt"))
        return loadWordPieceVocab(path);
    throw InputError(path, QStringLiteral("no tokenizer found (expected tokenizer.json, tokenizer.model, *.tiktoken, "
                                          "vocab.json + merges.txt or vocab.txt)"));
}

} // namespace attnscope::tokenize
