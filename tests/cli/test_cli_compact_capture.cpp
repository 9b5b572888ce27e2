// attnscope-cli run on an input whose dense attention exceeds the 1 GiB budget (a random
// 12-layer × 12-head Llama written by the test, ~1,600 tokens: 1.4 GiB of probabilities)
// writes the compact capture and says so; every head read back from it equals the dense
// attention of a run on a short prefix (the model is causal, so the prefix's attention is the
// long run's top-left corner), and the heads chosen with --layers/--heads are written dense
// too; render draws a head of the compact file.
#include <QTemporaryDir>
#include <QtTest>
#include <torch/torch.h>

#include "cli/cli_runner.h"
#include "core/capture/attention_file.h"
#include "core/capture/attention_record.h"
#include "core/io/safetensors_file.h"
#include "tests/support/random_llama.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
const QString kSentence = QStringLiteral("Once upon a time there was a little cat who liked to sit in the sun.");

QString repeated(int times)
{
    QStringList parts;
    for (int i = 0; i < times; ++i)
        parts << kSentence;
    return parts.join(QLatin1Char(' '));
}

double maxDifference(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

} // namespace

class TestCliCompactCapture : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_model;

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/tokenizer.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K (its tokenizer is reused)");
        m_model = m_dir.filePath(QStringLiteral("llama12"));
        test::writeRandomLlama(m_model, test::LlamaShape{}, torch::kFloat32, 1, 25, kStories);
    }

    void longInputWritesACompactCaptureThatRecomputesEveryHead()
    {
        const QString longFile = m_dir.filePath(QStringLiteral("long.safetensors"));
        const CliResult run = runCli({QStringLiteral("run"), m_model, QStringLiteral("--text"), repeated(100),
                                      QStringLiteral("--layers"), QStringLiteral("2"), QStringLiteral("--heads"),
                                      QStringLiteral("3,5"), QStringLiteral("--threads"), QStringLiteral("2"),
                                      QStringLiteral("--out"), longFile});
        QVERIFY(!run.crashed);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString note = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(!note.contains(QLatin1Char('\n')) && note.contains(QStringLiteral("12 layers × 12 heads"))
                     && note.contains(QStringLiteral("writing the compact capture")),
                 qPrintable(note));

        const QString prefixFile = m_dir.filePath(QStringLiteral("prefix.safetensors"));
        const CliResult prefixRun = runCli({QStringLiteral("run"), m_model, QStringLiteral("--text"), repeated(5),
                                            QStringLiteral("--out"), prefixFile});
        QVERIFY2(prefixRun.exitCode == 0, prefixRun.err.constData());
        QCOMPARE(prefixRun.err, QByteArray()); // dense: nothing to say

        const auto longTensors = SafetensorsFile::open(longFile);
        const auto prefixTensors = SafetensorsFile::open(prefixFile);
        const torch::Tensor longIds = longTensors->load("input_ids");
        const torch::Tensor prefixIds = prefixTensors->load("input_ids");
        const int64_t P = prefixIds.size(0);
        QVERIFY2(longIds.size(0) > 1400 && P > 60, qPrintable(QStringLiteral("%1, %2").arg(longIds.size(0)).arg(P)));
        QVERIFY(torch::equal(longIds.slice(0, 0, P), prefixIds));

        const auto compact = loadAttentionFile(longFile).record;
        QVERIFY(!compact->isDense());
        QCOMPARE(compact->layers(), int64_t(12));
        QCOMPARE(compact->heads(), int64_t(12));
        QCOMPARE(compact->queries(), longIds.size(0));
        QCOMPARE(int64_t(compact->tokens.size()), longIds.size(0));
        const torch::Tensor dense = prefixTensors->load("attentions"); // [12, 12, P, P]
        for (const auto &[layer, head] : std::vector<std::pair<int, int>>{{0, 0}, {2, 3}, {7, 5}, {11, 11}}) {
            const torch::Tensor corner = compact->tile(layer, head, 0, P, 0, P);
            QVERIFY2(maxDifference(corner, dense[layer][head]) < 1e-5,
                     qPrintable(QStringLiteral("layer %1 head %2: %3").arg(layer).arg(head).arg(maxDifference(corner, dense[layer][head]))));
            const torch::Tensor lastRow = compact->row(layer, head, compact->queries() - 1);
            QVERIFY(std::abs(lastRow.sum().item<double>() - 1) < 1e-4);
        }

        // The chosen heads, dense in the same file, are the compact record's heads.
        const torch::Tensor chosen = longTensors->load("attentions");
        QCOMPARE(chosen.sizes().vec(), (std::vector<int64_t>{1, 2, longIds.size(0), longIds.size(0)}));
        QCOMPARE(longTensors->metadata().value(QStringLiteral("attention_heads")), QStringLiteral("[\"3\",\"5\"]"));
        QVERIFY(maxDifference(chosen[0][1], compact->tile(2, 5, 0, compact->queries(), 0, compact->keys())) < 1e-6);

        const QString figure = m_dir.filePath(QStringLiteral("head.png"));
        const CliResult render = runCli({QStringLiteral("render"), longFile, QStringLiteral("--view"), QStringLiteral("head"),
                                         QStringLiteral("--layer"), QStringLiteral("7"), QStringLiteral("--head"),
                                         QStringLiteral("5"), QStringLiteral("--out"), figure});
        QVERIFY2(render.exitCode == 0, render.err.constData());
        QVERIFY(QFileInfo(figure).size() > 0);
    }

    void compactCaptureNeedsSafetensors()
    {
        const CliResult result = runCli({QStringLiteral("run"), m_model, QStringLiteral("--text"), repeated(100),
                                         QStringLiteral("--out"), m_dir.filePath(QStringLiteral("long.npy"))});
        verifyOneLineError(result, 2, QStringLiteral("compact capture is written as .safetensors only"));
    }
};

QTEST_GUILESS_MAIN(TestCliCompactCapture)
#include "test_cli_compact_capture.moc"
