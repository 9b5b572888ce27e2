#include "core/corpus/corpus_store.h"

#include <functional>
#include <limits>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include "core/io/input_error.h"

namespace attnscope {

namespace {

constexpr int kMostSnippetChars = 200; // of an example's text kept in examples.jsonl

QString pathIn(const QString &dir, const char *name) { return QDir(dir).filePath(QLatin1String(name)); }

QJsonObject readJsonObject(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InputError(path, QStringLiteral("cannot read: %1").arg(file.errorString()));
    if (file.size() > (16 << 20))
        throw InputError(path, QStringLiteral("is larger than a manifest can be (%1 bytes)").arg(file.size()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        throw InputError(path, QStringLiteral("is not a JSON object"));
    return document.object();
}

void writeJsonObject(const QString &path, const QJsonObject &object)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(object).toJson()) < 0 || !file.commit())
        throw InputError(path, QStringLiteral("cannot write: %1").arg(file.errorString()));
}

void openForAppend(QFile &file)
{
    if (!file.open(QIODevice::ReadWrite | QIODevice::Append))
        throw InputError(file.fileName(), QStringLiteral("cannot write: %1").arg(file.errorString()));
}

int64_t indexOfLine(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object().value(QStringLiteral("index")).toInteger(-1);
}

// The whole lines of a .jsonl file, each passed with its example index.
void forEachLine(const QString &path, const std::function<void(const QByteArray &, int64_t)> &visit)
{
    QFile file(path);
    if (!file.exists())
        return;
    if (!file.open(QIODevice::ReadOnly))
        throw InputError(path, QStringLiteral("cannot read: %1").arg(file.errorString()));
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        if (line.endsWith('\n'))
            visit(line, indexOfLine(line));
    }
}

} // namespace

int64_t CorpusManifest::rowValues() const
{
    int64_t values = 0;
    for (const CorpusScore &block : blocks)
        values += block.size();
    return values;
}

QJsonObject CorpusManifest::toJson() const
{
    QJsonArray list;
    for (const CorpusScore &block : blocks) {
        QJsonArray shape;
        for (const int64_t extent : block.shape)
            shape.append(qint64(extent));
        list.append(QJsonObject{{QStringLiteral("name"), block.name}, {QStringLiteral("shape"), shape}});
    }
    return {{QStringLiteral("attnscope_corpus"), 1},
            {QStringLiteral("model"), model},
            {QStringLiteral("inputs"), inputs},
            {QStringLiteral("field"), field},
            {QStringLiteral("pair_field"), pairField},
            {QStringLiteral("shard"), QStringLiteral("%1/%2").arg(shardIndex).arg(shardCount)},
            {QStringLiteral("scores"), list}};
}

CorpusManifest CorpusManifest::fromJson(const QJsonObject &json, const QString &source)
{
    if (json.value(QStringLiteral("attnscope_corpus")).toInt() != 1)
        throw InputError(source, QStringLiteral("is not the manifest of an attnscope corpus run"));
    CorpusManifest manifest;
    manifest.model = json.value(QStringLiteral("model")).toString();
    manifest.inputs = json.value(QStringLiteral("inputs")).toString();
    manifest.field = json.value(QStringLiteral("field")).toString();
    manifest.pairField = json.value(QStringLiteral("pair_field")).toString();
    const QStringList shard = json.value(QStringLiteral("shard")).toString().split(QLatin1Char('/'));
    manifest.shardIndex = shard.value(0).toInt();
    manifest.shardCount = shard.value(1).toInt();
    if (manifest.shardCount < 1 || manifest.shardIndex < 0 || manifest.shardIndex >= manifest.shardCount)
        throw InputError(source, QStringLiteral("has no valid shard (found '%1')").arg(json.value(QStringLiteral("shard")).toString()));
    for (const QJsonValue &value : json.value(QStringLiteral("scores")).toArray()) {
        CorpusScore block;
        block.name = value.toObject().value(QStringLiteral("name")).toString();
        for (const QJsonValue &extent : value.toObject().value(QStringLiteral("shape")).toArray()) {
            if (extent.toInteger() < 1 || extent.toInteger() > 100000)
                throw InputError(source, QStringLiteral("score '%1' has an impossible shape").arg(block.name));
            block.shape.push_back(extent.toInteger());
        }
        manifest.blocks.push_back(block);
    }
    if (manifest.blocks.empty())
        throw InputError(source, QStringLiteral("lists no scores"));
    return manifest;
}

bool CorpusManifest::sameRunAs(const CorpusManifest &other) const
{
    if (model != other.model || inputs != other.inputs || field != other.field || pairField != other.pairField
        || blocks.size() != other.blocks.size())
        return false;
    for (size_t i = 0; i < blocks.size(); ++i)
        if (blocks[i].name != other.blocks[i].name || blocks[i].shape != other.blocks[i].shape)
            return false;
    return true;
}

CorpusManifest readCorpusManifest(const QString &dir)
{
    const QString path = pathIn(dir, "manifest.json");
    return CorpusManifest::fromJson(readJsonObject(path), path);
}

CorpusWriter::CorpusWriter(const QString &dir, const CorpusManifest &manifest, bool resume)
    : m_dir(dir), m_rowValues(manifest.rowValues()), m_values(pathIn(dir, "values.bin")),
      m_examples(pathIn(dir, "examples.jsonl")), m_errors(pathIn(dir, "errors.jsonl"))
{
    if (!QDir().mkpath(dir))
        throw InputError(dir, QStringLiteral("cannot create the folder"));
    const bool started = QFileInfo::exists(pathIn(dir, "manifest.json"));
    if (started && !resume)
        throw InputError(dir, QStringLiteral("holds a corpus run already: --resume goes on with it, or choose another --out"));
    if (started) {
        const CorpusManifest before = readCorpusManifest(dir);
        if (!before.sameRunAs(manifest) || before.shardIndex != manifest.shardIndex || before.shardCount != manifest.shardCount)
            throw InputError(pathIn(dir, "manifest.json"), QStringLiteral("belongs to another run (model, corpus, fields or shard differ)"));
        // An example is done when its row and its line are both whole (the row is written first).
        const int64_t rowBytes = int64_t(sizeof(int64_t)) + m_rowValues * int64_t(sizeof(double));
        QByteArray examples;
        int64_t lines = 0;
        forEachLine(m_examples.fileName(), [&](const QByteArray &line, int64_t) {
            if (lines++ < QFileInfo(m_values.fileName()).size() / rowBytes)
                examples += line;
        });
        const int64_t wholeRows = QFileInfo(m_values.fileName()).size() / rowBytes;
        m_rows = std::min(lines, wholeRows);
        if (!m_values.open(QIODevice::ReadWrite))
            throw InputError(m_values.fileName(), QStringLiteral("cannot write: %1").arg(m_values.errorString()));
        const auto indexOfRow = [&](int64_t row) {
            int64_t index = -1;
            m_values.seek(row * rowBytes);
            m_values.read(reinterpret_cast<char *>(&index), sizeof(int64_t));
            return index;
        };
        // Errors come in index order with the rows: those after a dropped row are redone too.
        const int64_t redoFrom = m_rows < wholeRows ? indexOfRow(m_rows) : std::numeric_limits<int64_t>::max();
        if (m_rows > 0)
            m_lastDone = indexOfRow(m_rows - 1);
        if (!m_values.resize(m_rows * rowBytes))
            throw InputError(m_values.fileName(), QStringLiteral("cannot trim to its whole rows: %1").arg(m_values.errorString()));
        m_values.close();
        QByteArray errors;
        int64_t lastError = -1;
        forEachLine(m_errors.fileName(), [&](const QByteArray &line, int64_t index) {
            if (index >= redoFrom)
                return;
            errors += line;
            lastError = std::max(lastError, index);
        });
        for (QFile *file : {&m_examples, &m_errors}) {
            if (!file->open(QIODevice::WriteOnly | QIODevice::Truncate))
                throw InputError(file->fileName(), QStringLiteral("cannot write: %1").arg(file->errorString()));
            file->write(file == &m_examples ? examples : errors);
            file->close();
        }
        m_lastDone = std::max(m_lastDone, lastError);
    } else {
        for (QFile *file : {&m_values, &m_examples, &m_errors})
            file->remove();
        writeJsonObject(pathIn(dir, "manifest.json"), manifest.toJson());
    }
    openForAppend(m_values);
    openForAppend(m_examples);
    openForAppend(m_errors);
}

void CorpusWriter::append(QFile &file, const QByteArray &bytes)
{
    if (file.write(bytes) != bytes.size() || !file.flush())
        throw InputError(file.fileName(), QStringLiteral("cannot write: %1").arg(file.errorString()));
}

void CorpusWriter::addRow(const CorpusExample &example, const ExampleScores &scores)
{
    QByteArray row(reinterpret_cast<const char *>(&example.index), sizeof(int64_t));
    row.append(reinterpret_cast<const char *>(scores.values.data()), qsizetype(scores.values.size() * sizeof(double)));
    append(m_values, row);
    const QJsonObject line{{QStringLiteral("index"), qint64(example.index)},
                           {QStringLiteral("line"), qint64(example.line)},
                           {QStringLiteral("tokens"), qint64(scores.tokens)},
                           {QStringLiteral("text"), QString::fromUtf8(example.text).left(kMostSnippetChars)}};
    append(m_examples, QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    m_lastDone = example.index;
    ++m_rows;
}

void CorpusWriter::addError(const CorpusExample &example, const QString &error)
{
    const QJsonObject line{{QStringLiteral("index"), qint64(example.index)},
                           {QStringLiteral("line"), qint64(example.line)},
                           {QStringLiteral("error"), error}};
    append(m_errors, QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    m_lastDone = example.index;
}

CorpusRowReader::CorpusRowReader(const QString &dir) : m_manifest(readCorpusManifest(dir)), m_file(pathIn(dir, "values.bin"))
{
    if (!m_file.open(QIODevice::ReadOnly))
        throw InputError(m_file.fileName(), QStringLiteral("cannot read: %1").arg(m_file.errorString()));
    const int64_t rowBytes = int64_t(sizeof(int64_t)) + m_manifest.rowValues() * int64_t(sizeof(double));
    if (m_file.size() % rowBytes != 0)
        throw InputError(m_file.fileName(), QStringLiteral("ends inside a row (an interrupted run: --resume completes it)"));
    m_rows = m_file.size() / rowBytes;
}

bool CorpusRowReader::next(CorpusRow &row)
{
    row.values.resize(size_t(m_manifest.rowValues()));
    if (m_file.read(reinterpret_cast<char *>(&row.index), sizeof(int64_t)) != sizeof(int64_t))
        return false;
    const qint64 bytes = qint64(row.values.size() * sizeof(double));
    if (m_file.read(reinterpret_cast<char *>(row.values.data()), bytes) != bytes)
        throw InputError(m_file.fileName(), QStringLiteral("ends inside a row"));
    return true;
}

void mergeCorpusRuns(const QStringList &dirs, const QString &out)
{
    if (dirs.isEmpty())
        throw InputError(out, QStringLiteral("nothing to merge"));
    std::vector<CorpusManifest> manifests;
    for (const QString &dir : dirs) {
        manifests.push_back(readCorpusManifest(dir));
        if (!manifests.back().sameRunAs(manifests.front()))
            throw InputError(dir, QStringLiteral("is a run of another model, corpus or score set than %1").arg(dirs.front()));
    }
    CorpusManifest whole = manifests.front();
    whole.shardIndex = 0;
    whole.shardCount = 1;
    if (QFileInfo::exists(pathIn(out, "manifest.json")))
        throw InputError(out, QStringLiteral("holds a corpus run already: choose another --out"));
    if (!QDir().mkpath(out))
        throw InputError(out, QStringLiteral("cannot create the folder"));
    writeJsonObject(pathIn(out, "manifest.json"), whole.toJson());
    // Rows: a k-way merge by example index, one row of each shard in memory.
    std::vector<std::unique_ptr<CorpusRowReader>> readers;
    std::vector<CorpusRow> heads(size_t(dirs.size()));
    std::vector<bool> live(size_t(dirs.size()));
    for (qsizetype i = 0; i < dirs.size(); ++i) {
        readers.push_back(std::make_unique<CorpusRowReader>(dirs[i]));
        live[size_t(i)] = readers.back()->next(heads[size_t(i)]);
    }
    QFile values(pathIn(out, "values.bin"));
    if (!values.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw InputError(values.fileName(), QStringLiteral("cannot write: %1").arg(values.errorString()));
    int64_t previous = -1;
    for (;;) {
        int chosen = -1;
        for (size_t i = 0; i < heads.size(); ++i)
            if (live[i] && (chosen < 0 || heads[i].index < heads[size_t(chosen)].index))
                chosen = int(i);
        if (chosen < 0)
            break;
        CorpusRow &row = heads[size_t(chosen)];
        if (row.index == previous)
            throw InputError(dirs[chosen], QStringLiteral("example %1 is in two shards").arg(row.index));
        previous = row.index;
        values.write(reinterpret_cast<const char *>(&row.index), sizeof(int64_t));
        values.write(reinterpret_cast<const char *>(row.values.data()), qint64(row.values.size() * sizeof(double)));
        live[size_t(chosen)] = readers[size_t(chosen)]->next(row);
    }
    // The examples' and errors' lines: small, merged in memory by index.
    for (const char *name : {"examples.jsonl", "errors.jsonl"}) {
        std::vector<std::pair<int64_t, QByteArray>> lines;
        for (const QString &dir : dirs)
            forEachLine(pathIn(dir, name), [&](const QByteArray &line, int64_t index) { lines.emplace_back(index, line); });
        std::stable_sort(lines.begin(), lines.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        QFile file(pathIn(out, name));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            throw InputError(file.fileName(), QStringLiteral("cannot write: %1").arg(file.errorString()));
        for (const auto &line : lines)
            file.write(line.second);
    }
}

} // namespace attnscope
