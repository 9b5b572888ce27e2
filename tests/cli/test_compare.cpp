// attnscope-cli compare: variant against reference on the real stories260K model, and
// usage errors for bad SPECs.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFileInfo>
#include <QtTest>

#include "cli_runner.h"

namespace {

QString storiesDir()
{
    return QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
}

// About 200 tokens of a TinyStories-like story.
const char *const kStory =
    "Once upon a time, there was a little girl named Lily. She loved to play outside in the "
    "park with her friends. One day, Lily saw a big red ball under a tree. She ran to the "
    "ball and picked it up. Her friend Tom came and said, \"Can I play with the ball too?\" "
    "Lily smiled and said, \"Yes, let's play together!\" They threw the ball high in the sky "
    "and laughed. Then the sun went down and it was time to go home. Lily gave the ball to "
    "her mom and said, \"I had so much fun today.\" Her mom hugged her and said, \"I am happy "
    "you shared with Tom.\" Lily went to bed with a big smile on her face.";

QJsonObject compare(const QString &spec)
{
    const CliResult result = runCli({QStringLiteral("compare"), storiesDir(), QStringLiteral("--text"),
                                     QString::fromUtf8(kStory), QStringLiteral("--variant"), spec});
    if (result.exitCode != 0 || result.crashed)
        qWarning("compare failed: %s", result.err.constData());
    return QJsonDocument::fromJson(result.out).object();
}

} // namespace

class TestCompare : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        if (!QFileInfo::exists(storiesDir() + QStringLiteral("/config.json")))
            QSKIP("shared model stories260K not found (set ATTNSCOPE_SHARED_DIR)");
    }

    // Top-64 of a ~200-token story hardly changes the predictions; a window of 4 does.
    void topkAgreesWindowDoesNot()
    {
        const QJsonObject topk = compare(QStringLiteral("topk:k=64"));
        const QJsonObject window = compare(QStringLiteral("window:size=4"));
        QVERIFY(topk.value(QStringLiteral("tokens")).toInt() >= 200);
        const double topkAgreement = topk.value(QStringLiteral("top1_agreement")).toDouble(-1);
        const double windowAgreement = window.value(QStringLiteral("top1_agreement")).toDouble(-1);
        QVERIFY2(topkAgreement >= 0.99, qPrintable(QString::number(topkAgreement)));
        QVERIFY2(windowAgreement >= 0 && windowAgreement < topkAgreement - 0.1,
                 qPrintable(QString::number(windowAgreement)));
        // The divergence, kept fraction and perplexity move the same way.
        QVERIFY(window.value(QStringLiteral("js_divergence")).toDouble()
                > topk.value(QStringLiteral("js_divergence")).toDouble());
        QVERIFY(window.value(QStringLiteral("kept_fraction")).toDouble()
                < topk.value(QStringLiteral("kept_fraction")).toDouble());
        const auto perplexity = [](const QJsonObject &json, const char *which) {
            return json.value(QStringLiteral("outputs")).toObject().value(QStringLiteral("perplexity"))
                .toObject().value(QLatin1String(which)).toDouble();
        };
        QVERIFY(perplexity(window, "variant") > perplexity(topk, "variant"));
        QCOMPARE(perplexity(window, "reference"), perplexity(topk, "reference"));
    }

    void reportsEveryLayerAndHead()
    {
        const QJsonObject json = compare(QStringLiteral("sinks:sinks=2,window=8@layers=1-2@heads=0,3"));
        QCOMPARE(json.value(QStringLiteral("variants")).toArray().first().toString(),
                 QStringLiteral("sinks:sinks=2,window=8@layers=1-2@heads=0,3"));
        const QJsonArray layers = json.value(QStringLiteral("layers")).toArray();
        QCOMPARE(layers.size(), 5);
        for (int layer = 0; layer < 5; ++layer) {
            const QJsonArray heads = layers[layer].toObject().value(QStringLiteral("heads")).toArray();
            QCOMPARE(heads.size(), 8);
            for (int head = 0; head < 8; ++head) {
                const QJsonObject h = heads[head].toObject();
                const bool covered = (layer == 1 || layer == 2) && (head == 0 || head == 3);
                // Heads upstream of the variant see the reference; downstream ones get changed
                // hidden states, so only the kept fraction tells where the variant itself runs.
                // (a renormalized fp32 row differs from its reference by rounding: ~1e-16).
                const double js = h.value(QStringLiteral("js_divergence")).toDouble();
                if (covered)
                    QVERIFY(js > 1e-6);
                else if (layer == 0)
                    QVERIFY(js < 1e-12);
                // Uncovered heads keep every entry but the few that underflow to 0 in fp32.
                const double kept = h.value(QStringLiteral("kept_fraction")).toDouble();
                QVERIFY(covered ? kept < 0.5 : kept > 0.999);
                QVERIFY(h.value(QStringLiteral("mass_kept")).toDouble() <= 1 + 1e-6); // fp32 rows sum to 1 ± 1e-7
            }
        }
        const QJsonObject outputs = json.value(QStringLiteral("outputs")).toObject();
        QCOMPARE(outputs.value(QStringLiteral("top5_reference")).toArray().size(), 5);
        QCOMPARE(outputs.value(QStringLiteral("top5_variant")).toArray().size(), 5);
        // Each prediction by its vocabulary string and as the views show it: "▁" is "␣" there,
        // a byte token such as "<0x0A>" its visible mark ("↵").
        for (const QJsonValue &entry : outputs.value(QStringLiteral("top5_reference")).toArray()) {
            const QString token = entry.toObject().value(QStringLiteral("token")).toString();
            const QString text = entry.toObject().value(QStringLiteral("text")).toString();
            QVERIFY(!token.isEmpty() && !text.isEmpty() && !text.contains(QChar(0x2581)));
            if (token.startsWith(QChar(0x2581)))
                QCOMPARE(text, QChar(0x2423) + token.mid(1));
            else if (token == QLatin1String("<0x0A>"))
                QCOMPARE(text, QString(QChar(0x21B5)));
        }
        const QJsonObject cost = json.value(QStringLiteral("cost")).toObject();
        QVERIFY(cost.value(QStringLiteral("variant")).toObject().value(QStringLiteral("flops")).toDouble()
                < cost.value(QStringLiteral("reference")).toObject().value(QStringLiteral("flops")).toDouble());
    }

    void badSpecIsUsageError_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown variant") << "topq:k=3" << "unknown variant 'topq'";
        QTest::newRow("unknown parameter") << "topk:kk=3" << "unknown parameter 'kk'";
        QTest::newRow("bad value") << "window:size=-2" << "parameter 'size'";
        QTest::newRow("layer beyond model") << "topk@layers=9" << "layer 9 does not exist";
        QTest::newRow("head beyond model") << "topk@heads=8" << "head 8 does not exist";
    }

    void badSpecIsUsageError()
    {
        QFETCH(QString, spec);
        QFETCH(QString, named);
        const CliResult result = runCli({QStringLiteral("compare"), storiesDir(), QStringLiteral("--text"),
                                         QStringLiteral("Once upon a time"), QStringLiteral("--variant"), spec});
        QVERIFY(!result.crashed);
        QCOMPARE(result.exitCode, 2);
        const QString err = QString::fromUtf8(result.err).trimmed();
        QVERIFY2(err.contains(named), qPrintable(err));
        QVERIFY(!err.contains(QLatin1Char('\n')));
        QVERIFY(result.out.isEmpty());
    }

    void missingVariantOrModel()
    {
        CliResult result = runCli({QStringLiteral("compare"), storiesDir(), QStringLiteral("--text"), QStringLiteral("Hi")});
        QCOMPARE(result.exitCode, 2);
        result = runCli({QStringLiteral("compare"), QStringLiteral("/nonexistent/model"), QStringLiteral("--text"),
                         QStringLiteral("Hi"), QStringLiteral("--variant"), QStringLiteral("topk")});
        QCOMPARE(result.exitCode, 3);
        QVERIFY(!result.crashed);
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "test_compare.moc"
