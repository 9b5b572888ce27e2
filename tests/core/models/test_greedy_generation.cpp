// The real stories260K LLaMA (../shared): its tokenizer, forward pass and greedy decoding
// with the KV cache continue "Once upon a time" as the model was trained to; recomputing
// the whole sequence each step gives the same tokens; the captured attention covers the
// final sequence and each step's logits predict its token.

#include <algorithm>
#include <atomic>

#include <QtTest>

#include <torch/torch.h>

#include "core/attention/variant_spec.h"
#include "core/io/input_error.h"
#include "core/models/generation.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"

using namespace attnscope;

namespace {

const QString kContinuation = QStringLiteral(
    ", there was a little girl named Lily. She loved to play outside in the park.");

QString storiesDir()
{
    return QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
}

} // namespace

class TestGreedyGeneration : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Model> m_model;
    std::unique_ptr<tokenize::Tokenizer> m_tokenizer;

    torch::Tensor prompt() const
    {
        return torch::tensor(m_tokenizer->encode(QStringLiteral("Once upon a time")).ids(), torch::kInt64);
    }

    QString continuation(const Generation &generation) const
    {
        return m_tokenizer->decode({generation.ids.begin() + generation.promptTokens, generation.ids.end()});
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(storiesDir() + QStringLiteral("/config.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        m_model = loadModel(storiesDir());
        m_tokenizer = tokenize::loadTokenizer(storiesDir());
    }

    void describesTheModel()
    {
        const ModelInfo &info = m_model->info();
        QCOMPARE(info.modelType, QStringLiteral("llama"));
        QCOMPARE(info.architecture, QStringLiteral("LlamaForCausalLM"));
        QCOMPARE(info.layers, 5);
        QCOMPARE(info.heads, 8);
        QCOMPARE(info.kvHeads, 4);
        QCOMPARE(info.headDim, 8);
        QCOMPARE(info.hidden, 64);
        QCOMPARE(info.vocabSize, 512);
        QCOMPARE(info.maxPositions, 512);
        // Tied embeddings count once: 512·64 + 5·(2·64 + 64·64 + 2·32·64 + 64·64 + 3·172·64) + 64.
        QCOMPARE(info.parameters, int64_t(260032));
    }

    void promptStartsWithBos()
    {
        QCOMPARE(prompt()[0].item<int64_t>(), int64_t(1));
    }

    void continuesOnceUponATime()
    {
        GenerationRequest request;
        request.promptIds = prompt();
        request.maxNewTokens = 40;
        request.stopIds = {2};
        request.captureAttention = true;
        const Generation generation = generate(*m_model, request, {});
        const QString text = continuation(generation);
        QVERIFY2(text.startsWith(kContinuation), qPrintable(text));

        const int64_t tokens = int64_t(generation.ids.size());
        const torch::Tensor &attentions = generation.attentions;
        QCOMPARE(attentions.sizes().vec(), (std::vector<int64_t>{5, 8, tokens, tokens}));
        QVERIFY((attentions.sum(-1) - 1).abs().max().item<double>() < 1e-5);
        QCOMPARE(attentions.triu(1).abs().sum().item<double>(), 0.0);
        // Each step's logits predict the token it wrote.
        QCOMPARE(generation.stepLogits.size(0), tokens - generation.promptTokens);
        for (int64_t i = generation.promptTokens; i < tokens; ++i)
            QCOMPARE(generation.stepLogits[i - generation.promptTokens].argmax().item<int64_t>(),
                     generation.ids[size_t(i)]);
    }

    void recomputingEqualsTheCache()
    {
        GenerationRequest request;
        request.promptIds = prompt();
        request.maxNewTokens = 12;
        const Generation cached = generate(*m_model, request, {});
        // A variant that leaves softmax as it is forces the recompute path.
        const AttentionPlan plan = parsePlan({QStringLiteral("softmax:temperature=1")});
        const Generation recomputed = generate(*m_model, request, plan);
        QCOMPARE(cached.ids.size(), size_t(prompt().size(0) + 12));
        QVERIFY(cached.ids == recomputed.ids);
    }

    // Generation ends right after the first stop id it emits (the model rarely emits </s>
    // greedily, so the stop id is a token the free run is known to produce).
    void stopsAtAStopId()
    {
        GenerationRequest request;
        request.promptIds = prompt();
        request.maxNewTokens = 30;
        const Generation free = generate(*m_model, request, {});
        const size_t promptLength = size_t(request.promptIds.size(0));
        const int64_t stopId = free.ids[promptLength + 6];
        const size_t firstStop =
            size_t(std::find(free.ids.begin() + promptLength, free.ids.end(), stopId) - free.ids.begin());
        request.stopIds = {stopId};
        const Generation stopped = generate(*m_model, request, {});
        QCOMPARE(stopped.ids.size(), firstStop + 1);
        QVERIFY(std::equal(stopped.ids.begin(), stopped.ids.end(), free.ids.begin()));
    }

    // Progress is told after each step; a stop raised at step 5 ends generation there with the
    // steps written so far, each row captured, the same tokens as the free run.
    void reportsProgressAndStops()
    {
        GenerationRequest request;
        request.promptIds = prompt();
        request.maxNewTokens = 12;
        request.captureAttention = true;
        const Generation free = generate(*m_model, request, {});
        std::atomic<bool> stop{false};
        std::vector<std::pair<int64_t, int64_t>> told;
        request.stop = &stop;
        request.progress = [&](int64_t written, int64_t budget) {
            told.emplace_back(written, budget);
            if (written == 5)
                stop = true;
        };
        const Generation stopped = generate(*m_model, request, {});
        QCOMPARE(told.size(), size_t(5));
        for (size_t i = 0; i < told.size(); ++i)
            QVERIFY(told[i] == std::make_pair(int64_t(i + 1), int64_t(12)));
        const size_t tokens = size_t(request.promptIds.size(0)) + 5;
        QCOMPARE(stopped.ids.size(), tokens);
        QVERIFY(std::equal(stopped.ids.begin(), stopped.ids.end(), free.ids.begin()));
        QCOMPARE(stopped.stepLogits.size(0), int64_t(5));
        QCOMPARE(stopped.attentions.size(2), int64_t(tokens));
        const int64_t t = int64_t(tokens);
        QVERIFY(torch::allclose(stopped.attentions, free.attentions.slice(2, 0, t).slice(3, 0, t), 1e-6, 1e-6));
    }

    void rejectsAnEmptyPrompt()
    {
        GenerationRequest request;
        request.promptIds = torch::zeros({0}, torch::kInt64);
        QVERIFY_THROWS_EXCEPTION(InputError, generate(*m_model, request, {}));
    }
};

QTEST_GUILESS_MAIN(TestGreedyGeneration)
#include "test_greedy_generation.moc"
