// Bad input to attnscope-cli run, each one clear line and exit code 3: a weight whose dtype
// is not a float, a weight whose shape disagrees with config.json, a shard the index lists
// but the folder lacks, and --dense attention larger than the memory available (refused
// before the forward pass, from the size estimate).
#include <QTemporaryDir>
#include <QtTest>
#include <torch/torch.h>

#include "cli/cli_runner.h"
#include "tests/support/random_llama.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");

test::LlamaShape smallShape()
{
    test::LlamaShape shape;
    shape.layers = 2;
    return shape;
}

// A small random Llama in `dir`, with `alter` applied to its tensors as they are written.
QString writeModel(const QTemporaryDir &dir, const QString &name, int shards,
                   const std::function<torch::Tensor(const std::string &, torch::Tensor)> &alter = {})
{
    const QString model = dir.filePath(name);
    test::writeRandomLlama(model, smallShape(), torch::kBFloat16, shards, 4, kStories, alter);
    return model;
}

CliResult runOn(const QString &model, const QString &text, const QStringList &extra = {})
{
    QTemporaryDir out;
    return runCli(QStringList{QStringLiteral("run"), model, QStringLiteral("--text"), text} + extra
                  + QStringList{QStringLiteral("--out"), out.filePath(QStringLiteral("out.safetensors"))});
}

} // namespace

class TestCliBadWeights : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/tokenizer.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K (its tokenizer is reused)");
    }

    void goodCheckpointRuns()
    {
        const CliResult result = runOn(writeModel(m_dir, QStringLiteral("good"), 2), QStringLiteral("Once upon a time"));
        QVERIFY2(result.exitCode == 0, result.err.constData());
    }

    void weightOfIntegers()
    {
        const QString model = writeModel(m_dir, QStringLiteral("integers"), 1, [](const std::string &name, torch::Tensor value) {
            return name == "model.layers.1.mlp.up_proj.weight" ? value.to(torch::kInt32) : value;
        });
        verifyOneLineError(runOn(model, QStringLiteral("Once")), 3,
                           QStringLiteral("model.safetensors: tensor 'model.layers.1.mlp.up_proj.weight' holds Int values, not floating-point weights"));
    }

    void weightOfTheWrongShape()
    {
        const QString model = writeModel(m_dir, QStringLiteral("shape"), 1, [](const std::string &name, torch::Tensor value) {
            return name == "model.layers.0.self_attn.k_proj.weight" ? value.narrow(0, 0, 16).contiguous() : value;
        });
        verifyOneLineError(runOn(model, QStringLiteral("Once")), 3,
                           QStringLiteral("tensor 'model.layers.0.self_attn.k_proj.weight' has shape [16, 96], expected [32, 96]"));
    }

    void shardMissingFromTheFolder()
    {
        const QString model = writeModel(m_dir, QStringLiteral("sharded"), 2);
        QVERIFY(QFile::remove(QDir(model).filePath(QStringLiteral("model-00002-of-00002.safetensors"))));
        verifyOneLineError(runOn(model, QStringLiteral("Once")), 3,
                           QStringLiteral("model.safetensors.index.json: lists shard 'model-00002-of-00002.safetensors'"));
    }

    void denseAttentionBeyondMemory()
    {
        test::LlamaShape shape; // 12 layers × 12 heads: 24,000 tokens need 300+ GiB of probabilities
        const QString model = m_dir.filePath(QStringLiteral("llama12"));
        test::writeRandomLlama(model, shape, torch::kBFloat16, 1, 4, kStories);
        QStringList words;
        for (int i = 0; i < 6000; ++i)
            words << QStringLiteral("cat sat on");
        QElapsedTimer timer;
        timer.start();
        const CliResult result = runOn(model, words.join(QLatin1Char(' ')), {QStringLiteral("--dense")});
        verifyOneLineError(result, 3, QStringLiteral("--dense: 12 layers × 12 heads × "));
        QVERIFY2(QString::fromUtf8(result.err).contains(QStringLiteral("of memory is available")), result.err.constData());
        QVERIFY2(timer.elapsed() < 20000, "refused before the forward pass");
    }
};

QTEST_GUILESS_MAIN(TestCliBadWeights)
#include "test_cli_bad_weights.moc"
