// Components no shared tokenizer uses (NFKC/NFKD/NFC, Lowercase, StripAccents, Strip, Replace
// with a regex, Whitespace, Punctuation, Digits, Split with every behavior and invert,
// Metaspace prepend schemes, BertProcessing, TemplateProcessing, added-token flags, both
// merges formats), each in a pipeline built on a shared model and checked against the
// goldens Hugging Face produced for it (tests/data/tokenizers/synthetic_pipelines.mjs).
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "core/tokenize/golden_cases.h"
#include "core/tokenize/tokenizer.h"

using namespace attnscope::tokenize;

namespace {

// The gpt2 files as a tokenizer.json object, as the golden generator builds it.
QJsonObject gpt2Json(const QString &dir, bool arrayMerges)
{
    QFile merges(dir + QStringLiteral("/merges.txt"));
    merges.open(QIODevice::ReadOnly);
    QJsonArray mergeList;
    for (const QByteArray &line : merges.readAll().split('\n')) {
        if (line.isEmpty() || line.startsWith("#version"))
            continue;
        const QString merge = QString::fromUtf8(line);
        if (arrayMerges)
            mergeList.append(QJsonArray::fromStringList(merge.split(QLatin1Char(' '))));
        else
            mergeList.append(merge);
    }
    QJsonObject model{{QStringLiteral("type"), QStringLiteral("BPE")},
                      {QStringLiteral("vocab"), readJsonFile(dir + QStringLiteral("/vocab.json")).object()},
                      {QStringLiteral("merges"), mergeList}};
    const QJsonObject byteLevel{{QStringLiteral("type"), QStringLiteral("ByteLevel")},
                                {QStringLiteral("add_prefix_space"), false}, {QStringLiteral("trim_offsets"), false}};
    const QJsonObject endOfText{{QStringLiteral("id"), 50256}, {QStringLiteral("content"), QStringLiteral("<|endoftext|>")},
                                {QStringLiteral("special"), true}};
    return QJsonObject{{QStringLiteral("model"), model}, {QStringLiteral("pre_tokenizer"), byteLevel},
                       {QStringLiteral("post_processor"), byteLevel}, {QStringLiteral("decoder"), byteLevel},
                       {QStringLiteral("added_tokens"), QJsonArray{endOfText}}};
}

} // namespace

class TestTokenizerComponents : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pipeline_data()
    {
        QTest::addColumn<QString>("golden");
        const QDir dir(QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/tokenizers/goldens/synthetic"));
        for (const QString &file : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            const QString name = QFileInfo(file).completeBaseName();
            QTest::newRow(qPrintable(name)) << QStringLiteral("synthetic/") + name;
        }
        QVERIFY(dir.entryList({QStringLiteral("*.json")}).size() >= 9);
    }

    void pipeline()
    {
        QFETCH(QString, golden);
        QJsonObject header;
        const Goldens g = readGoldens(golden, &header);
        const QString base = header.value(QStringLiteral("base")).toString();
        const QString shared = QStringLiteral(ATTNSCOPE_SHARED_DIR "/");
        const QString baseDir = base == QLatin1String("gpt2") ? shared + QStringLiteral("tokenizers/gpt2") : shared + base;
        if (!QFileInfo::exists(baseDir))
            QSKIP(qPrintable(QStringLiteral("shared tokenizer %1 is absent").arg(baseDir)));
        QJsonObject json = base == QLatin1String("gpt2")
            ? gpt2Json(baseDir, header.value(QStringLiteral("array_merges")).toBool())
            : readJsonFile(baseDir).object();
        const QJsonObject override = header.value(QStringLiteral("override")).toObject();
        for (auto it = override.begin(); it != override.end(); ++it)
            json.insert(it.key(), it.value());
        QTemporaryDir tmp;
        QFile out(tmp.filePath(QStringLiteral("tokenizer.json")));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(json).toJson(QJsonDocument::Compact));
        out.close();

        const auto tokenizer = loadTokenizer(tmp.path());
        int exact = 0;
        const QStringList failures = compareWithGoldens(*tokenizer, g, true, exact);
        if (!failures.isEmpty())
            qWarning().noquote() << golden << ":" << exact << "of" << g.cases.size() << "strings exact\n  " << failures.join("\n  ");
        QVERIFY2(failures.isEmpty(), qPrintable(failures.value(0)));
    }
};

QTEST_GUILESS_MAIN(TestTokenizerComponents)
#include "test_tokenizer_components.moc"
