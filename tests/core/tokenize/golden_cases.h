#pragma once
// Reads tests/data/tokenizers: the corpus and the goldens Hugging Face's tokenizers produced.

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <vector>

struct GoldenCase {
    std::vector<int64_t> ids, plainIds, typeIds;
    std::vector<std::pair<qint64, qint64>> offsets, plainOffsets; // in Unicode scalar values
    int first = -1, second = -1; // corpus indices (second only for pairs)
};

struct Goldens {
    QStringList corpus;
    std::vector<GoldenCase> cases, pairs;
};

inline QJsonDocument readJsonFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll());
}

inline std::vector<int64_t> toIds(const QJsonValue &v)
{
    std::vector<int64_t> out;
    for (const QJsonValue &x : v.toArray())
        out.push_back(x.toInteger());
    return out;
}

inline std::vector<std::pair<qint64, qint64>> toOffsets(const QJsonValue &v)
{
    std::vector<std::pair<qint64, qint64>> out;
    for (const QJsonValue &x : v.toArray())
        out.emplace_back(x.toArray().at(0).toInteger(), x.toArray().at(1).toInteger());
    return out;
}

inline Goldens readGoldens(const QString &name)
{
    const QString dir = QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/tokenizers/");
    Goldens g;
    for (const QJsonValue &s : readJsonFile(dir + QStringLiteral("corpus.json")).array())
        g.corpus << s.toString();
    const QJsonObject root = readJsonFile(dir + QStringLiteral("goldens/") + name + QStringLiteral(".json")).object();
    int index = 0;
    for (const QJsonValue &v : root.value(QStringLiteral("cases")).toArray()) {
        const QJsonObject o = v.toObject();
        GoldenCase c;
        c.first = index++;
        c.ids = toIds(o.value(QStringLiteral("ids")));
        c.plainIds = toIds(o.value(QStringLiteral("plain_ids")));
        c.offsets = toOffsets(o.value(QStringLiteral("offsets")));
        c.plainOffsets = toOffsets(o.value(QStringLiteral("plain_offsets")));
        g.cases.push_back(std::move(c));
    }
    for (const QJsonValue &v : root.value(QStringLiteral("pairs")).toArray()) {
        const QJsonObject o = v.toObject();
        GoldenCase c;
        c.first = o.value(QStringLiteral("a")).toInt();
        c.second = o.value(QStringLiteral("b")).toInt();
        c.ids = toIds(o.value(QStringLiteral("ids")));
        c.typeIds = toIds(o.value(QStringLiteral("type_ids")));
        c.offsets = toOffsets(o.value(QStringLiteral("offsets")));
        g.pairs.push_back(std::move(c));
    }
    return g;
}

// Byte offset in utf8 → index in Unicode scalar values.
inline qint64 scalarIndex(const QByteArray &utf8, qint64 byteOffset)
{
    qint64 count = 0;
    for (qint64 i = 0; i < byteOffset && i < utf8.size(); ++i)
        if ((uchar(utf8[i]) & 0xC0) != 0x80)
            ++count;
    return count;
}
