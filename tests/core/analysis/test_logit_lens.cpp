// Logit lens on three families: the last layer is the model's own log-softmax, and every
// other layer equals the output of the same checkpoint cut after that layer (its config's
// layer count lowered), which reads that layer's stream through the final norm and head.
#include <QtTest>

#include "core/analysis/logit_lens.h"
#include "stream_reference.h"

using namespace attnscope;
using namespace attnscope::test;

namespace {

constexpr int64_t kTop = 4;

AnalysisResult lensOf(const Checkpoint &checkpoint)
{
    return runAnalysisOn(checkpoint, QStringLiteral("logit-lens"), {{QStringLiteral("k"), QString::number(kTop)}});
}

// What a run ending at `logits` says: top-k log-probabilities, and the target's log-probability and rank.
struct Expected {
    torch::Tensor topLogprobs, targetLogprob, targetRank;
};

// Targets: a decoder's next token (after the last, `lastTarget`), an encoder's own token.
Expected expectedFrom(const torch::Tensor &logits, const torch::Tensor &ids, bool causal, int64_t lastTarget)
{
    const torch::Tensor lp = torch::log_softmax(logits.to(torch::kFloat64), -1);
    const int64_t tokens = ids.size(0);
    Expected expected{std::get<0>(lp.topk(kTop, -1)), torch::full({tokens}, std::nan(""), torch::kFloat64),
                      torch::full({tokens}, -1, torch::kInt64)};
    for (int64_t t = 0; t < tokens; ++t) {
        const int64_t target = causal ? (t + 1 < tokens ? ids[t + 1].item<int64_t>() : lastTarget) : ids[t].item<int64_t>();
        const double value = lp[t][target].item<double>();
        int64_t above = 0;
        for (int64_t v = 0; v < lp.size(1); ++v)
            above += lp[t][v].item<double>() > value ? 1 : 0;
        expected.targetLogprob[t] = value;
        expected.targetRank[t] = above;
    }
    return expected;
}

} // namespace

class TestLogitLens : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesTruncatedModels_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("decoder (GPT-2)") << "gpt2";
        QTest::newRow("encoder (BERT masked LM)") << "bert";
        QTest::newRow("stories260K (LLaMA)") << "stories";
    }

    void matchesTruncatedModels()
    {
        QFETCH(QString, name);
        const auto checkpoint = openCheckpoint(name);
        if (!checkpoint)
            QSKIP("shared model stories260K not found (set ATTNSCOPE_SHARED_DIR)");
        const AnalysisResult result = lensOf(*checkpoint);
        const int layers = checkpoint->model->info().layers;
        const bool causal = checkpoint->model->info().causal;
        QCOMPARE(result.tensors.at("top_ids").sizes().vec(), (std::vector<int64_t>{layers + 1, checkpoint->ids.size(0), kTop}));
        QVERIFY(torch::equal(result.tensors.at("input_ids"), checkpoint->ids));
        ModelInput input;
        input.inputIds = checkpoint->ids;
        const int64_t lastTarget = checkpoint->model->forward(input, {}, nullptr)[-1].argmax().item<int64_t>();
        QTemporaryDir dir;
        for (int layer = 1; layer <= layers; ++layer) {
            // The last layer reads the full model: its own log-softmax.
            const auto model = layer == layers ? nullptr : loadModel(truncatedCopy(checkpoint->dir, dir.filePath(QString::number(layer)), layer));
            const torch::Tensor logits = (model ? *model : *checkpoint->model).forward(input, {}, nullptr);
            const Expected expected = expectedFrom(logits, checkpoint->ids, causal, lastTarget);
            QVERIFY2(maxDifference(result.tensors.at("top_logprobs")[layer], expected.topLogprobs) < 1e-5, qPrintable(QString::number(layer)));
            QVERIFY(maxDifference(result.tensors.at("next_token_logprob")[layer], expected.targetLogprob) < 1e-5);
            QVERIFY(torch::equal(result.tensors.at("next_token_rank")[layer], expected.targetRank));
        }
    }

    // Layer 0 is the embedding read directly: GPT-2's final LayerNorm and tied head on wte + wpe.
    void embeddingLayerReadsTheEmbedding()
    {
        const auto checkpoint = openCheckpoint(QStringLiteral("gpt2"));
        const torch::Tensor ids = checkpoint->ids;
        const torch::Tensor stream = checkpoint->weight("transformer.wte.weight").index_select(0, ids)
                                     + checkpoint->weight("transformer.wpe.weight").narrow(0, 0, ids.size(0));
        const torch::Tensor mean = stream.mean(-1, true);
        const torch::Tensor normed = (stream - mean) / torch::sqrt((stream - mean).pow(2).mean(-1, true) + 1e-5)
                                         * checkpoint->finalNormWeight() + checkpoint->finalNormBias();
        const AnalysisResult result = lensOf(*checkpoint);
        const Expected expected = expectedFrom(normed.matmul(checkpoint->unembedding().t()), ids, true,
                                               result.tensors.at("top_ids")[-1][-1][0].item<int64_t>());
        QVERIFY(maxDifference(result.tensors.at("top_logprobs")[0], expected.topLogprobs) < 1e-5);
        QVERIFY(maxDifference(result.tensors.at("next_token_logprob")[0], expected.targetLogprob) < 1e-5);
    }

    void encoderWithoutHeadIsOneClearLine()
    {
        const auto checkpoint = openCheckpoint(QStringLiteral("bert-base"));
        const QString error = inputErrorOf([&] { lensOf(*checkpoint); });
        QVERIFY2(error.contains(QStringLiteral("has no LM head")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestLogitLens)
#include "test_logit_lens.moc"
