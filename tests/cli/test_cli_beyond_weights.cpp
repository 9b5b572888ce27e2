// `analyze` with the analyses beyond the weights on stories260K: each writes its tensors and
// the input ids it saw; bad input is one line and exit 3 (inputs of different token lengths,
// an --answer of several tokens, direct logit attribution on an encoder).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cli_runner.h"

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
const QString kGrammar = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/grammar");
const QString kClean = QStringLiteral("Lily had a big ball. Lily gave the ball to");

} // namespace

class TestCliBeyondWeights : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writesTensorsAndInputIds_data()
    {
        QTest::addColumn<QStringList>("method");
        QTest::addColumn<QStringList>("tensors");
        QTest::newRow("logit lens") << QStringList{"--method", "logit-lens", "--k", "3"}
                                    << QStringList{"top_ids", "top_logprobs", "next_token_rank", "next_token_logprob"};
        QTest::newRow("value norms") << QStringList{"--method", "value-norms"}
                                     << QStringList{"norms", "norms_summed", "rank_correlation"};
        QTest::newRow("direct logit attribution") << QStringList{"--method", "direct-logit-attribution", "--answer", "Lily", "--wrong", "Tim"}
                                                  << QStringList{"head_logit", "mlp_logit", "embedding_logit", "full_logit"};
        QTest::newRow("activation patching") << QStringList{"--method", "activation-patching", "--corrupted-text",
                                                            "Tim had a big ball. Tim gave the ball to", "--answer", "Lily", "--wrong", "Tim"}
                                             << QStringList{"head_recovered", "residual_recovered", "corrupted_input_ids"};
    }

    void writesTensorsAndInputIds()
    {
        QFETCH(QStringList, method);
        QFETCH(QStringList, tensors);
        if (!QFileInfo::exists(kStories + QStringLiteral("/config.json")))
            QSKIP("shared model stories260K not found under ATTNSCOPE_SHARED_DIR");
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("result.json"));
        const CliResult result = runCli(QStringList{"analyze", kStories, "--text", kClean, "--out", out} + method);
        QVERIFY2(result.exitCode == 0 && !result.crashed, result.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject written = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("tensors")).toObject();
        for (const QString &name : tensors + QStringList{"input_ids"})
            QVERIFY2(written.contains(name), qPrintable(name));
        QCOMPARE(written.value(QStringLiteral("input_ids")).toObject().value(QStringLiteral("data")).toArray().first().toInt(), 1); // <s>
    }

    void badInputIsOneLine_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("different lengths") << kStories
            << QStringList{"--method", "activation-patching", "--corrupted-text", "Tim had a ball."} << "must be as long";
        QTest::newRow("answer of several tokens") << kStories
            << QStringList{"--method", "direct-logit-attribution", "--answer", "Tim and Lily"} << "not one";
        QTest::newRow("encoder") << kGrammar
            << QStringList{"--method", "direct-logit-attribution"} << "needs a decoder language model";
    }

    void badInputIsOneLine()
    {
        QFETCH(QString, model);
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        if (!QFileInfo::exists(model + QStringLiteral("/config.json")))
            QSKIP("shared model stories260K not found under ATTNSCOPE_SHARED_DIR");
        QTemporaryDir dir;
        const QString text = model == kGrammar ? QStringLiteral("the dogs that the cat sees run .") : kClean;
        verifyOneLineError(runCli(QStringList{"analyze", model, "--text", text, "--out", dir.filePath(QStringLiteral("x.json"))} + arguments),
                           3, mentions);
    }
};

QTEST_GUILESS_MAIN(TestCliBeyondWeights)
#include "test_cli_beyond_weights.moc"
