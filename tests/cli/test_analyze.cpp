// attnscope-cli analyze: methods on the real stories260K model, JSON and safetensors output,
// entropies in bits, and the exit codes for usage errors (2) and bad input (3).
#include <cmath>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "cli/cli_runner.h"
#include "cli/safetensors_header.h"

namespace {

QString storiesDir()
{
    return QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
}

} // namespace

class TestAnalyze : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        if (!QFile::exists(storiesDir() + QStringLiteral("/config.json")))
            QSKIP("shared model stories260K not found under ATTNSCOPE_SHARED_DIR");
    }

    void methodsWriteJson_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<QList<int>>("shape");
        QTest::newRow("rollout") << QStringList{"--method", "rollout", "--head-fusion", "max"} << "rollout" << QList<int>{-1, -1};
        QTest::newRow("flow") << QStringList{"--method", "flow"} << "flow" << QList<int>{-1};
        QTest::newRow("head-stats") << QStringList{"--method", "head-stats"} << "entropy" << QList<int>{5, 8};
        QTest::newRow("head-distances") << QStringList{"--method", "head-distances"} << "mds" << QList<int>{40, 2};
        QTest::newRow("sinks") << QStringList{"--method", "sinks"} << "first_token" << QList<int>{5, 8};
        QTest::newRow("importance") << QStringList{"--method", "importance", "--prune-fraction", "0.25"} << "importance" << QList<int>{5, 8};
        QTest::newRow("relevance") << QStringList{"--method", "relevance"} << "relevance" << QList<int>{-1, -1};
    }
    void methodsWriteJson()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, tensor);
        QFETCH(QList<int>, shape);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out.json"));
        const CliResult result = runCli(QStringList{"analyze", storiesDir(), "--text", "Once upon a time"} + options
                                        + QStringList{"--out", out});
        QVERIFY2(result.exitCode == 0 && !result.crashed, result.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(json.value(QStringLiteral("method")).toString(), options[1]);
        // -1 in the expected shape stands for the number of tokens.
        const CliResult tokens = runCli({"tokenize", storiesDir(), "--text", "Once upon a time"});
        const int count = int(QJsonDocument::fromJson(tokens.out).object()[QStringLiteral("ids")].toArray().size());
        QVERIFY(count > 2);
        for (int &size : shape)
            size = size < 0 ? count : size;
        QList<int> actual;
        for (const QJsonValue &size : json[QStringLiteral("tensors")][tensor][QStringLiteral("shape")].toArray())
            actual << size.toInt();
        QCOMPARE(actual, shape);
        // Every method run from a model writes the ids it read, so the file stands on its own.
        QList<int> ids;
        for (const QJsonValue &id : json[QStringLiteral("tensors")][QStringLiteral("input_ids")][QStringLiteral("data")].toArray())
            ids << id.toInt();
        QList<int> expected;
        for (const QJsonValue &id : QJsonDocument::fromJson(tokens.out).object()[QStringLiteral("ids")].toArray())
            expected << id.toInt();
        QCOMPARE(ids, expected);
    }

    // head-stats writes entropy in bits: −Σ p log2 p of each row of the attention that `run`
    // saved, averaged over the rows, computed here from the file's floats.
    void entropyIsInBits()
    {
        QTemporaryDir dir;
        const QString attention = dir.filePath(QStringLiteral("attn.safetensors"));
        const CliResult ran = runCli({"run", storiesDir(), "--text", "Once upon a time there was a cat", "--out", attention});
        QVERIFY2(ran.exitCode == 0, ran.err.constData());
        const SafetensorsContents contents = readSafetensors(attention);
        const QList<qint64> shape = contents.shape(QStringLiteral("attentions"));
        QCOMPARE(shape.size(), 4);
        const QVector<float> p = contents.floats(QStringLiteral("attentions"));
        const qint64 heads = shape[1], tokens = shape[2];

        const QString out = dir.filePath(QStringLiteral("stats.json"));
        const CliResult analyzed = runCli({"analyze", attention, "--method", "head-stats", "--out", out});
        QVERIFY2(analyzed.exitCode == 0, analyzed.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(json[QStringLiteral("summary")][QStringLiteral("entropy_unit")].toString(), QStringLiteral("bits"));
        const QJsonArray entropy = json[QStringLiteral("tensors")][QStringLiteral("entropy")][QStringLiteral("data")].toArray();
        QCOMPARE(entropy.size(), int(shape[0]));
        double largest = 0;
        for (qint64 layer = 0; layer < shape[0]; ++layer)
            for (qint64 head = 0; head < heads; ++head) {
                double total = 0;
                for (qint64 row = 0; row < tokens; ++row)
                    for (qint64 key = 0; key < tokens; ++key) {
                        const double weight = p[int(((layer * heads + head) * tokens + row) * tokens + key)];
                        if (weight > 0)
                            total -= weight * std::log2(weight);
                    }
                const double expected = total / double(tokens);
                const double written = entropy[int(layer)].toArray()[int(head)].toDouble();
                QVERIFY2(std::abs(written - expected) < 1e-4, qPrintable(QStringLiteral("L%1 H%2: %3 written, %4 bits")
                                                                             .arg(layer).arg(head).arg(written).arg(expected)));
                largest = std::max(largest, written);
            }
        QVERIFY(largest > 0.5); // some head spreads its attention: the check above compares non-zero values
        QVERIFY(largest <= std::log2(double(tokens)) + 1e-9);
    }

    // The figures of those entropies (render --view charts) say bits too, on the axis of the
    // per-layer chart and on the colour scale of the table.
    void entropyFiguresSayBits_data()
    {
        QTest::addColumn<QString>("chart");
        QTest::newRow("layers") << QStringLiteral("layers");
        QTest::newRow("table") << QStringLiteral("table");
    }
    void entropyFiguresSayBits()
    {
        QFETCH(QString, chart);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("entropy.svg"));
        const CliResult result = runCli({"render", storiesDir(), "--text", "Once upon a time", "--view", "charts",
                                         "--score", "entropy", "--chart", chart, "--out", out});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray svg = file.readAll();
        QVERIFY2(svg.contains("entropy (bits)"), "the SVG names no unit");
        QVERIFY(!svg.contains("nats"));
    }

    void inductionWritesSafetensors()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("induction.safetensors"));
        const CliResult result = runCli({"analyze", storiesDir(), "--method", "induction", "--period", "20",
                                         "--sequences", "2", "--out", out});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY(QFileInfo(out).size() > 8);
        const QJsonObject summary = QJsonDocument::fromJson(result.out).object()[QStringLiteral("summary")].toObject();
        QVERIFY(summary[QStringLiteral("best_over_uniform")].toDouble() > 1);
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("no method") << QStringList{"analyze", storiesDir(), "--text", "a", "--out", "x.json"} << 2;
        QTest::newRow("unknown method") << QStringList{"analyze", storiesDir(), "--method", "magic", "--text", "a", "--out", "x.json"} << 2;
        QTest::newRow("bad option value") << QStringList{"analyze", storiesDir(), "--method", "rollout", "--discard-ratio", "2", "--text", "a", "--out", "x.json"} << 2;
        QTest::newRow("bad out suffix") << QStringList{"analyze", storiesDir(), "--method", "rollout", "--text", "a", "--out", "x.txt"} << 2;
        QTest::newRow("missing model") << QStringList{"analyze", "/nonexistent/model", "--method", "rollout", "--text", "a", "--out", "x.json"} << 3;
        QTest::newRow("token out of range") << QStringList{"analyze", storiesDir(), "--method", "flow", "--token", "99", "--text", "a", "--out", "x.json"} << 3;
    }
    void errors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QTemporaryDir dir;
        arguments.last() = dir.filePath(arguments.last());
        const CliResult result = runCli(arguments);
        QVERIFY(!result.crashed);
        QCOMPARE(result.exitCode, exitCode);
        QCOMPARE(result.err.trimmed().count('\n'), 0); // one line
    }
};

QTEST_GUILESS_MAIN(TestAnalyze)
#include "test_analyze.moc"
