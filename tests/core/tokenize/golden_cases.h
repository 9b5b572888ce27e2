#pragma once
// Reads tests/data/tokenizers: the corpus and the goldens Hugging Face's tokenizers produced.

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "core/tokenize/tokenizer.h"

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

// name: "gpt2" or "synthetic/split-removed-inverted" (a file under goldens/).
inline Goldens readGoldens(const QString &name, QJsonObject *header = nullptr)
{
    const QString dir = QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/tokenizers/");
    Goldens g;
    for (const QJsonValue &s : readJsonFile(dir + QStringLiteral("corpus.json")).array())
        g.corpus << s.toString();
    const QJsonObject root = readJsonFile(dir + QStringLiteral("goldens/") + name + QStringLiteral(".json")).object();
    if (header)
        *header = root;
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

inline QString joinIds(const std::vector<int64_t> &ids)
{
    QStringList out;
    for (int64_t id : ids)
        out << QString::number(id);
    return out.join(QLatin1Char(' '));
}

// Encodes every golden string and pair; returns the first few differences (empty: all exact).
inline QStringList compareWithGoldens(const attnscope::tokenize::Tokenizer &tokenizer, const Goldens &g,
                                      bool checkOffsets, int &exact)
{
    using namespace attnscope::tokenize;
    QStringList failures;
    auto check = [&](bool ok, const QString &what) {
        if (!ok && failures.size() < 8)
            failures << what;
        return ok;
    };
    exact = 0;
    for (const GoldenCase &c : g.cases) {
        const QByteArray text = g.corpus[c.first].toUtf8();
        const Encoding full = tokenizer.encode(text, true);
        const Encoding plain = tokenizer.encode(text, false);
        bool ok = check(full.ids() == c.ids, QStringLiteral("#%1 %2: ids [%3] expected [%4]").arg(c.first)
                                                  .arg(g.corpus[c.first].left(40), joinIds(full.ids()), joinIds(c.ids)));
        ok = check(plain.ids() == c.plainIds, QStringLiteral("#%1: ids without special tokens [%2] expected [%3]")
                                                  .arg(c.first).arg(joinIds(plain.ids()), joinIds(c.plainIds))) && ok;
        for (size_t i = 0; checkOffsets && ok && i < c.offsets.size(); ++i) {
            const Token &tok = full.tokens[i];
            const std::pair<qint64, qint64> got(scalarIndex(text, tok.byteBegin), scalarIndex(text, tok.byteEnd));
            ok = check(got == c.offsets[i], QStringLiteral("#%1 %2 token %3 (%4): offsets %5-%6 expected %7-%8")
                                                .arg(c.first).arg(g.corpus[c.first].left(30)).arg(i).arg(tok.token)
                                                .arg(got.first).arg(got.second).arg(c.offsets[i].first).arg(c.offsets[i].second));
        }
        exact += ok;
    }
    for (const GoldenCase &c : g.pairs) {
        const Encoding e = tokenizer.encodePair(g.corpus[c.first].toUtf8(), g.corpus[c.second].toUtf8(), true);
        std::vector<int64_t> types;
        for (const Token &t : e.tokens)
            types.push_back(t.typeId);
        check(e.ids() == c.ids && types == c.typeIds,
              QStringLiteral("pair %1+%2: ids [%3] types [%4] expected [%5] [%6]").arg(c.first).arg(c.second)
                  .arg(joinIds(e.ids()), joinIds(types), joinIds(c.ids), joinIds(c.typeIds)));
    }
    return failures;
}
