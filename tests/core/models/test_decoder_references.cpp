// GPT-2, LLaMA (GQA, tied head, head_dim override, rope scaling linear / dynamic / llama3),
// Mistral (sliding window) and Qwen2 (bias, windowed upper layers) against the float64
// references of tests/data/models/make_decoder_references.py: attentions and logits to 1e-5,
// dense and compact capture, and the KV cache against the full forward pass.

#include <QtTest>

#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/io/safetensors_file.h"
#include "core/models/causal_lm.h"
#include "core/models/model.h"
#include "decoder_test_support.h"

using namespace attnscope;
using attnscope::test::logitsMatch;
using attnscope::test::maxDifference;

namespace {

QString caseDir(const QString &name)
{
    return QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/decoders/") + name;
}

struct Expected {
    torch::Tensor inputIds, attentions, logits;
};

Expected expectedOf(const QString &name)
{
    const auto file = SafetensorsFile::open(caseDir(name) + QStringLiteral("/expected.safetensors"));
    return {file->load("input_ids").clone(), file->load("attentions").clone(), file->load("logits").clone()};
}

} // namespace

class TestDecoderReferences : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("modelType");
        QTest::addColumn<int>("kvHeads");
        for (const auto &[name, type, kv] : std::vector<std::tuple<const char *, const char *, int>>{
                 {"gpt2_lm", "gpt2", 4}, {"gpt2_base_bin", "gpt2", 2}, {"llama_gqa", "llama", 2},
                 {"llama_tied_head_dim", "llama", 1}, {"llama_rope_linear", "llama", 2},
                 {"llama_rope_dynamic", "llama", 2}, {"llama_rope_llama3", "llama", 2},
                 {"mistral_window", "mistral", 2}, {"qwen2_bias_window_bin", "qwen2", 2}})
            QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(type) << kv;
    }

    void matchesReference()
    {
        QFETCH(QString, name);
        QFETCH(QString, modelType);
        QFETCH(int, kvHeads);
        const Expected expected = expectedOf(name);
        const auto model = loadModel(caseDir(name));
        QCOMPARE(model->info().modelType, modelType);
        QCOMPARE(model->info().kvHeads, kvHeads);
        QVERIFY(model->info().causal);
        QCOMPARE(int64_t(model->info().layers), expected.attentions.size(0));
        QCOMPARE(int64_t(model->info().heads), expected.attentions.size(1));

        ModelInput input;
        input.inputIds = expected.inputIds;
        for (const int64_t budget : {AttentionRecord::kDefaultDenseBudgetBytes, int64_t(0)}) {
            AttentionRecord record(budget);
            const torch::Tensor logits = model->forward(input, {}, &record);
            QCOMPARE(logits.sizes(), expected.logits.sizes());
            QVERIFY2(logitsMatch(logits, expected.logits),
                     qPrintable(QString::number(maxDifference(logits, expected.logits))));
            for (int layer = 0; layer < record.layers(); ++layer)
                QVERIFY2(maxDifference(record.layer(layer), expected.attentions[layer]) < 1e-5,
                         qPrintable(QStringLiteral("layer %1, budget %2").arg(layer).arg(budget)));
        }
    }

    // Not llama_rope_dynamic: its base grows with the length each call reaches, so keys
    // cached at a shorter length keep their rotation (as in transformers' generate).
    void cacheMatchesFullForward_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name : {"gpt2_lm", "gpt2_base_bin", "llama_gqa", "llama_tied_head_dim",
                                 "llama_rope_linear", "llama_rope_llama3", "mistral_window",
                                 "qwen2_bias_window_bin"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void cacheMatchesFullForward()
    {
        QFETCH(QString, name);
        const Expected expected = expectedOf(name);
        const auto model = loadModel(caseDir(name));
        const auto *causal = dynamic_cast<const CausalLanguageModel *>(model.get());
        QVERIFY(causal);
        KvCache cache;
        const int64_t prompt = 4;
        std::vector<torch::Tensor> rows{causal->forwardCached(expected.inputIds.slice(0, 0, prompt), cache, {}, nullptr)};
        for (int64_t i = prompt; i < expected.inputIds.size(0); ++i) {
            AttentionRecord step;
            rows.push_back(causal->forwardCached(expected.inputIds.slice(0, i, i + 1), cache, {}, &step));
            QCOMPARE(step.queries(), int64_t(1));
            QCOMPARE(step.keys(), i + 1);
            // The new token's attention row is the full pass's row i.
            QVERIFY(maxDifference(step.row(0, 0, 0), expected.attentions[0][0][i].slice(0, 0, i + 1)) < 1e-5);
        }
        QVERIFY2(logitsMatch(torch::cat(rows), expected.logits),
                 qPrintable(QString::number(maxDifference(torch::cat(rows), expected.logits))));
        QCOMPARE(cache.length(), expected.inputIds.size(0));
    }

    void parametersCountEveryStoredWeightOnce()
    {
        const auto model = loadModel(caseDir(QStringLiteral("llama_gqa")));
        // 48·32 embeddings, 2 × (2·32 norms + 32·32 q + 2·(16·32) k,v + 32·32 o + 3·40·32 MLP),
        // 32 final norm, 48·32 head.
        QCOMPARE(model->info().parameters, int64_t(48 * 32 + 2 * (64 + 1024 + 1024 + 1024 + 3840) + 32 + 48 * 32));
        const auto tied = loadModel(caseDir(QStringLiteral("llama_tied_head_dim")));
        QCOMPARE(tied->info().headDim, 16);
    }

    void headGatesScaleHeadOutputs()
    {
        const Expected expected = expectedOf(QStringLiteral("llama_gqa"));
        const auto model = loadModel(caseDir(QStringLiteral("llama_gqa")));
        ModelInput input;
        input.inputIds = expected.inputIds;
        input.headGates = torch::ones({2, 4});
        QVERIFY(maxDifference(model->forward(input, {}, nullptr), expected.logits) < 1e-5);
        input.headGates = torch::ones({2, 4}, torch::requires_grad());
        model->forward(input, {}, nullptr).logsumexp(-1).sum().backward();
        QVERIFY(input.headGates.grad().defined());
        QVERIFY(input.headGates.grad().abs().sum().item<double>() > 0);
        input.headGates = torch::zeros({2, 4});
        QVERIFY(maxDifference(model->forward(input, {}, nullptr), expected.logits) > 1e-3);
    }
};

QTEST_GUILESS_MAIN(TestDecoderReferences)
#include "test_decoder_references.moc"
