// Weights stay as the checkpoint stores them: a bf16 checkpoint gives exactly the attention
// and logits of an fp32 checkpoint holding the same (bf16-representable) values — a Llama
// written by the test (separate LM head, GQA) and the induction demo (GPT-2: Conv1D weights
// held transposed, LM head tied to the embeddings) — and loading maps the file instead of
// upcasting it: memory grows by a fraction of the file at load, by less than the file
// plus a layer's work through a forward pass.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/io/safetensors_file.h"
#include "core/models/model.h"
#include "tests/support/random_llama.h"

using namespace attnscope;

namespace {

const QString kInduction = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/induction");

struct Run {
    torch::Tensor attentions, logits;
};

Run runModel(const QString &dir, const torch::Tensor &ids)
{
    const auto model = loadModel(dir);
    AttentionRecord record;
    ModelInput input;
    input.inputIds = ids;
    const torch::Tensor logits = model->forward(input, AttentionPlan{}, &record);
    return {record.all().clone(), logits};
}

double maxDifference(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

void verifySameRun(const QString &bf16Dir, const QString &fp32Dir, int64_t vocab)
{
    const torch::Tensor ids = torch::randint(vocab, {40}, torch::TensorOptions(torch::kInt64));
    const Run bf16 = runModel(bf16Dir, ids);
    const Run fp32 = runModel(fp32Dir, ids);
    QVERIFY2(maxDifference(bf16.attentions, fp32.attentions) <= 1e-6, qPrintable(QString::number(maxDifference(bf16.attentions, fp32.attentions))));
    QVERIFY2(maxDifference(bf16.logits, fp32.logits) <= 1e-6, qPrintable(QString::number(maxDifference(bf16.logits, fp32.logits))));
    QVERIFY(bf16.logits.abs().max().item<double>() > 0.1); // a run that computed something
}

// Anonymous resident memory of this process (RssAnon in /proc/self/status): a copy of the
// weights lands there, while the pages of the mapped file (read at load by the NaN scan) do not.
double residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("RssAnon:"))
            return line.mid(8).trimmed().split(' ').value(0).toDouble() * 1024;
    return -1;
}

} // namespace

class TestStoredWeights : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void llamaInBf16EqualsFp32()
    {
        test::LlamaShape shape;
        shape.layers = 3;
        shape.tied = false;
        const QString bf16 = m_dir.filePath(QStringLiteral("llama-bf16")), fp32 = m_dir.filePath(QStringLiteral("llama-fp32"));
        test::writeRandomLlama(bf16, shape, torch::kBFloat16, 2, 11);
        test::writeRandomLlama(fp32, shape, torch::kFloat32, 1, 11);
        QCOMPARE(SafetensorsFile::open(bf16 + QStringLiteral("/model-00001-of-00002.safetensors"))
                     ->entry("model.embed_tokens.weight").dtype, QStringLiteral("BF16"));
        verifySameRun(bf16, fp32, shape.vocab);
    }

    void gpt2InBf16EqualsFp32()
    {
        const auto demo = SafetensorsFile::open(kInduction + QStringLiteral("/model.safetensors"));
        for (const auto dtype : {torch::kBFloat16, torch::kFloat32}) {
            const QString dir = m_dir.filePath(dtype == torch::kFloat32 ? QStringLiteral("gpt2-fp32") : QStringLiteral("gpt2-bf16"));
            QDir().mkpath(dir);
            NamedTensors tensors;
            for (const std::string &name : demo->names()) {
                const torch::Tensor value = demo->load(name);
                tensors.push_back({name, value.is_floating_point() ? value.to(torch::kBFloat16).to(dtype) : value});
            }
            writeSafetensors(dir + QStringLiteral("/model.safetensors"), tensors);
            QVERIFY(QFile::copy(kInduction + QStringLiteral("/config.json"), dir + QStringLiteral("/config.json")));
        }
        verifySameRun(m_dir.filePath(QStringLiteral("gpt2-bf16")), m_dir.filePath(QStringLiteral("gpt2-fp32")), 339);
    }

    void bf16CheckpointIsMappedNotUpcast()
    {
        test::LlamaShape shape; // ~60 MB of bf16: an fp32 copy at load would need 120 MB more
        shape.hidden = 512;
        shape.heads = 8;
        shape.kvHeads = 2;
        shape.layers = 4;
        shape.intermediate = 1408;
        shape.vocab = 32000;
        const QString dir = m_dir.filePath(QStringLiteral("llama-mapped"));
        test::writeRandomLlama(dir, shape, torch::kBFloat16, 1, 3);
        const double fileBytes = double(QFileInfo(dir + QStringLiteral("/model.safetensors")).size());
        const double before = residentBytes();
        const auto model = loadModel(dir);
        const double loaded = residentBytes();
        QVERIFY2(loaded - before < 0.25 * fileBytes, qPrintable(QStringLiteral("load grew %1 MB for a %2 MB file")
                                                                     .arg((loaded - before) / 1e6).arg(fileBytes / 1e6)));
        ModelInput input;
        input.inputIds = torch::arange(16, torch::TensorOptions(torch::kInt64));
        AttentionRecord record;
        model->forward(input, AttentionPlan{}, &record);
        const double ran = residentBytes();
        QVERIFY2(ran - before < 1.25 * fileBytes, qPrintable(QStringLiteral("forward grew %1 MB for a %2 MB file")
                                                                  .arg((ran - before) / 1e6).arg(fileBytes / 1e6)));
    }
};

QTEST_GUILESS_MAIN(TestStoredWeights)
#include "test_stored_weights.moc"
