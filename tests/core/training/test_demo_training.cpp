// The demo trainer: the model it trains is the one the loader reads back, gradients reach
// every parameter, training lowers the loss and is deterministic, the learning-rate schedule
// has its shape, and the demo tokenizers tokenize as written.

#include <ATen/CPUGeneratorImpl.h>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>
#include <torch/torch.h>

#include "core/io/json_file.h"
#include "core/models/bert.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"
#include "core/training/demo_checkpoint.h"
#include "core/training/demo_tokenizer.h"
#include "core/training/grammar_demo.h"
#include "core/training/trainer.h"

using namespace attnscope;
using attnscope::tokenize::loadTokenizerJson;
using attnscope::tokenize::Token;

namespace {

constexpr int kVocab = 12;
constexpr int kWidth = 16;

// A 2-layer BERT masked LM small enough to train in a test.
DemoCheckpoint tinyBert(uint64_t seed)
{
    const QJsonObject config{{QStringLiteral("model_type"), QStringLiteral("bert")},
                             {QStringLiteral("architectures"), QJsonArray{QStringLiteral("BertForMaskedLM")}},
                             {QStringLiteral("vocab_size"), kVocab},
                             {QStringLiteral("hidden_size"), kWidth},
                             {QStringLiteral("num_hidden_layers"), 2},
                             {QStringLiteral("num_attention_heads"), 2},
                             {QStringLiteral("intermediate_size"), 32},
                             {QStringLiteral("max_position_embeddings"), 16}};
    DemoCheckpoint checkpoint(QStringLiteral("tiny"), config, seed);
    checkpoint.addNormal("bert.embeddings.word_embeddings.weight", {kVocab, kWidth}, 0.02);
    checkpoint.addNormal("bert.embeddings.position_embeddings.weight", {16, kWidth}, 0.02);
    checkpoint.addNormal("bert.embeddings.token_type_embeddings.weight", {2, kWidth}, 0.02);
    checkpoint.addLayerNorm("bert.embeddings.LayerNorm", kWidth);
    checkpoint.addEncoderLayers("bert.encoder.layer.", bertLayerNames(), 2, kWidth, 32);
    checkpoint.addLinear("cls.predictions.transform.dense", kWidth, kWidth);
    checkpoint.addLayerNorm("cls.predictions.transform.LayerNorm", kWidth);
    checkpoint.addConstant("cls.predictions.bias", {kVocab}, 0);
    return checkpoint;
}

// Predict a sequence's tokens from the sequence shifted by one: needs attention to neighbours.
torch::Tensor neighbourLoss(const Model &model, int64_t index)
{
    const torch::Tensor ids = (torch::arange(8, torch::kLong) * (index % 3 + 1) + index) % kVocab;
    ModelInput input;
    input.inputIds = ids;
    input.differentiable = true;
    const torch::Tensor logits = model.forward(input, AttentionPlan(), nullptr);
    return torch::nn::functional::cross_entropy(logits.narrow(0, 0, 7), ids.narrow(0, 1, 7));
}

} // namespace

class DemoTrainingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void savedCheckpointLoadsAsTheTrainedModel()
    {
        const DemoCheckpoint checkpoint = tinyBert(1);
        QTemporaryDir dir;
        checkpoint.save(dir.path());
        ModelInput input;
        input.inputIds = torch::tensor({2, 5, 7, 1, 3}, torch::kLong);
        const torch::Tensor trained = checkpoint.build()->forward(input, AttentionPlan(), nullptr);
        const torch::Tensor loaded = loadModel(dir.path())->forward(input, AttentionPlan(), nullptr);
        QCOMPARE(trained.sizes(), (c10::IntArrayRef{5, kVocab}));
        QCOMPARE((trained - loaded).abs().max().item<double>(), 0.0);
    }

    void gradientsReachEveryParameter()
    {
        const DemoCheckpoint checkpoint = tinyBert(2);
        const torch::AutoGradMode gradients(true);
        neighbourLoss(*checkpoint.build(), 0).backward();
        for (const auto &[name, value] : checkpoint.parameters()) {
            QVERIFY2(value.grad().defined(), name.c_str());
            QVERIFY2(value.grad().abs().sum().item<double>() > 0, name.c_str());
        }
    }

    void trainingLowersTheLossAndIsDeterministic()
    {
        TrainingSchedule schedule;
        schedule.steps = 60;
        schedule.batch = 4;
        schedule.learningRate = 1e-2;
        schedule.warmupSteps = 5;
        DemoCheckpoint first = tinyBert(3), second = tinyBert(3);
        const torch::NoGradGuard measuring;
        const double before = neighbourLoss(*first.build(), 1000).item<double>();
        std::vector<double> losses;
        TrainingObserver observer;
        observer.stepDone = [&](int, int, double loss) { losses.push_back(loss); };
        const double tail = train(first, schedule, neighbourLoss, observer);
        train(second, schedule, neighbourLoss);
        QCOMPARE(int(losses.size()), schedule.steps);
        QVERIFY2(tail < 0.5 * before, qPrintable(QStringLiteral("%1 → %2").arg(before).arg(tail)));
        for (size_t i = 0; i < first.parameters().size(); ++i)
            QVERIFY(torch::equal(first.parameters()[i].second, second.parameters()[i].second));
    }

    void trainingStopsWhenCancelled()
    {
        DemoCheckpoint checkpoint = tinyBert(4);
        std::atomic<bool> cancelled{false};
        TrainingObserver observer;
        observer.cancelled = &cancelled;
        observer.stepDone = [&](int step, int, double) { cancelled = step == 3; };
        TrainingSchedule schedule;
        schedule.steps = 100;
        QVERIFY_THROWS_EXCEPTION(TrainingCancelled, train(checkpoint, schedule, neighbourLoss, observer));
    }

    void learningRateWarmsUpThenDecays()
    {
        TrainingSchedule schedule;
        schedule.steps = 1000;
        schedule.warmupSteps = 100;
        schedule.learningRate = 1e-3;
        schedule.finalLearningRate = 1e-4;
        QCOMPARE(learningRateAt(schedule, 50), 5e-4);
        QCOMPARE(learningRateAt(schedule, 100), 1e-3);
        QVERIFY(std::abs(learningRateAt(schedule, 550) - 5.5e-4) < 1e-12); // cosine midpoint
        QVERIFY(std::abs(learningRateAt(schedule, 1000) - 1e-4) < 1e-12);
    }

    void demoTokenizerFramesSequencesAndFallsBackToLetters()
    {
        DemoVocabulary vocabulary;
        vocabulary.specials = {QStringLiteral("[PAD]"), QStringLiteral("[BOS]"), QStringLiteral("[UNK]")};
        vocabulary.words = {QStringLiteral("the"), QStringLiteral("cat"), QStringLiteral(".")};
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("tokenizer.json"));
        writeJsonFile(file, demoTokenizerJson(vocabulary, {QStringLiteral("[BOS]")}, {}));
        const auto tokenizer = loadTokenizerJson(file);
        QStringList tokens;
        for (const Token &token : tokenizer->encode(QStringLiteral("The cat ZIG.")).tokens)
            tokens << token.token;
        QCOMPARE(tokens, (QStringList{"[BOS]", "the", "cat", "z", "##i", "##g", "."}));
        QCOMPARE(tokenizer->tokenToId(QStringLiteral("[BOS]")), int64_t(1));
        QCOMPARE(tokenizer->vocabSize(), int64_t(vocabulary.tokens().size()));
    }

    void grammarSentencesAgreeWithTheirSubjects()
    {
        torch::Generator generator = at::detail::createCPUGenerator(5);
        for (int i = 0; i < 300; ++i) {
            const GrammarSentence sentence = randomGrammarSentence(generator, i % 2 == 0);
            QVERIFY(sentence.mainVerb > 0 && sentence.mainVerb < sentence.words.size());
            QCOMPARE(sentence.words.last(), QStringLiteral("."));
            int open = 0;
            for (int w = 0; w < sentence.words.size(); ++w) {
                open += sentence.words[w] == QLatin1String("(") || sentence.words[w] == QLatin1String("[");
                open -= sentence.words[w] == QLatin1String(")") || sentence.words[w] == QLatin1String("]");
                QVERIFY(open >= 0);
                const int subject = sentence.subjectOf[size_t(w)];
                if (subject < 0)
                    continue;
                // A verb ends in -s exactly when its subject noun is singular (no -s / -ren).
                const QString noun = sentence.words[subject];
                const bool pluralNoun = noun.endsWith(QLatin1Char('s')) || noun == QLatin1String("children");
                QCOMPARE(sentence.words[w].endsWith(QLatin1Char('s')), !pluralNoun);
                QVERIFY(subject != w);
                QCOMPARE(otherNumberForm(otherNumberForm(sentence.words[w])), sentence.words[w]);
            }
            QCOMPARE(open, 0);
            QCOMPARE(sentence.subjectOf[size_t(sentence.mainVerb)] >= 0, true);
        }
    }
};

QTEST_GUILESS_MAIN(DemoTrainingTest)
#include "test_demo_training.moc"
