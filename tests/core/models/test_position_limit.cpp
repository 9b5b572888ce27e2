// positionLimitOf() / positionLimitWarning(): the token count each position scheme covers, read
// from config.json alone, checked against what the engine really does with the tiny test
// checkpoints (learned positions: the last token that fits runs, one more is refused; rotary:
// runs past the trained context), and the warning's wording for each case.

#include <QtTest>

#include <QJsonDocument>
#include <QJsonObject>
#include <torch/torch.h>

#include "core/attention/variant.h"
#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/models/model.h"
#include "core/models/position_limit.h"

using namespace attnscope;

namespace {

QString checkpoint(const char *name)
{
    return QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/") + QLatin1String(name);
}

ModelConfig configOf(const QByteArray &json)
{
    return ModelConfig::fromJson(QJsonDocument::fromJson(json).object(), QStringLiteral("config.json"));
}

// Runs the checkpoint on `tokens` tokens; the engine's error, or empty when it ran.
QString forwardError(const Model &model, int64_t tokens)
{
    ModelInput input;
    input.inputIds = torch::full({tokens}, 2, torch::kInt64);
    try {
        const torch::Tensor logits = model.forward(input, AttentionPlan{}, nullptr);
        if (!torch::isfinite(logits).all().item<bool>())
            return QStringLiteral("non-finite logits");
    } catch (const InputError &error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

} // namespace

class TestPositionLimit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void limitFromConfig_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("tokens");
        QTest::newRow("gpt2 n_positions") << QByteArray(R"({"model_type":"gpt2","n_positions":1024,"n_ctx":1024})")
                                          << int(PositionKind::Learned) << qint64(1024);
        QTest::newRow("gpt2 n_ctx only") << QByteArray(R"({"model_type":"gpt2","n_ctx":512})") << int(PositionKind::Learned) << qint64(512);
        QTest::newRow("bert") << QByteArray(R"({"model_type":"bert","max_position_embeddings":512})")
                              << int(PositionKind::Learned) << qint64(512);
        QTest::newRow("roberta skips pad + 1") << QByteArray(R"({"model_type":"roberta","max_position_embeddings":514,"pad_token_id":1})")
                                               << int(PositionKind::Learned) << qint64(512);
        QTest::newRow("distilbert") << QByteArray(R"({"model_type":"distilbert","max_position_embeddings":512})")
                                    << int(PositionKind::Learned) << qint64(512);
        QTest::newRow("bart (table of 1026 rows)") << QByteArray(R"({"model_type":"bart","max_position_embeddings":1024})")
                                                   << int(PositionKind::Learned) << qint64(1024);
        QTest::newRow("marian") << QByteArray(R"({"model_type":"marian","max_position_embeddings":512})")
                                << int(PositionKind::Learned) << qint64(512);
        QTest::newRow("llama") << QByteArray(R"({"model_type":"llama","max_position_embeddings":4096,"rope_scaling":null})")
                               << int(PositionKind::Rotary) << qint64(4096);
        QTest::newRow("llama 3.1 scaling") << QByteArray(R"({"model_type":"llama","max_position_embeddings":131072,
            "rope_scaling":{"rope_type":"llama3","factor":8.0,"original_max_position_embeddings":8192}})")
                                           << int(PositionKind::Rotary) << qint64(131072);
        QTest::newRow("qwen2 yarn stretches the original")
            << QByteArray(R"({"model_type":"qwen2","max_position_embeddings":32768,
                 "rope_scaling":{"type":"yarn","factor":4.0,"original_max_position_embeddings":32768}})")
            << int(PositionKind::Rotary) << qint64(131072);
        QTest::newRow("mistral without a context: assumed") << QByteArray(R"({"model_type":"mistral"})")
                                                            << int(PositionKind::Rotary) << qint64(kAssumedRotaryContext);
        QTest::newRow("vit") << QByteArray(R"({"model_type":"vit","image_size":224})") << int(PositionKind::None) << qint64(0);
        QTest::newRow("unknown") << QByteArray(R"({"model_type":"t5","n_positions":512})") << int(PositionKind::None) << qint64(0);
    }

    void limitFromConfig()
    {
        QFETCH(QByteArray, config);
        const PositionLimit limit = positionLimitOf(configOf(config));
        QTEST(int(limit.kind), "kind");
        QTEST(qint64(limit.tokens), "tokens");
    }

    void warningWording()
    {
        const ModelConfig gpt2 = configOf(R"({"model_type":"gpt2","n_positions":1024})");
        QCOMPARE(positionLimitWarning(gpt2, 1024), QString());
        QCOMPARE(positionLimitWarning(gpt2, 3674),
                 QStringLiteral("3674 tokens, but gpt2 has learned positions for only 1024: it cannot run beyond them, "
                                "so the run is refused; shorten the input to 1024 tokens"));
        const ModelConfig llama = configOf(R"({"model_type":"llama","max_position_embeddings":512})");
        QCOMPARE(positionLimitWarning(llama, 512), QString());
        QCOMPARE(positionLimitWarning(llama, 3674),
                 QStringLiteral("3674 tokens, but llama was trained on contexts of 512: it runs (rotary positions), "
                                "but attention past the first 512 tokens is out of distribution"));
        QCOMPARE(positionLimitWarning(configOf(R"({"model_type":"llama"})"), 3000),
                 QStringLiteral("3000 tokens, but llama was trained on contexts of 2048 (assumed: config.json gives no "
                                "max_position_embeddings): it runs (rotary positions), but attention past the first 2048 "
                                "tokens is out of distribution"));
        QCOMPARE(positionLimitWarning(configOf(R"({"model_type":"vit"})"), 100000), QString());
    }

    // The learned limit is exactly where the engine stops: the last token that fits runs, one more is refused.
    void learnedLimitIsTheEngines_data()
    {
        QTest::addColumn<QString>("dir");
        QTest::newRow("gpt2") << checkpoint("decoders/gpt2_lm");
        QTest::newRow("bert") << checkpoint("encoders/bert_mlm");
        QTest::newRow("roberta") << checkpoint("encoders/roberta_mlm");
        QTest::newRow("distilbert") << checkpoint("encoders/distilbert_mlm");
    }

    void learnedLimitIsTheEngines()
    {
        QFETCH(QString, dir);
        const ModelConfig config = ModelConfig::load(dir);
        const PositionLimit limit = positionLimitOf(config);
        QCOMPARE(limit.kind, PositionKind::Learned);
        const auto model = loadModel(dir);
        QCOMPARE(forwardError(*model, limit.tokens), QString());
        QVERIFY(forwardError(*model, limit.tokens + 1).contains(QLatin1String("too long")));
        QVERIFY(positionLimitWarning(config, limit.tokens + 1).contains(QLatin1String("cannot run")));
    }

    // Rotary models run past the trained context, as the warning says.
    void rotaryRunsPastTheContext_data()
    {
        QTest::addColumn<QString>("dir");
        QTest::newRow("llama") << checkpoint("decoders/llama_gqa");
        QTest::newRow("mistral") << checkpoint("decoders/mistral_window");
        QTest::newRow("dynamic rope") << checkpoint("decoders/llama_rope_dynamic");
    }

    void rotaryRunsPastTheContext()
    {
        QFETCH(QString, dir);
        const ModelConfig config = ModelConfig::load(dir);
        const PositionLimit limit = positionLimitOf(config);
        QCOMPARE(limit.kind, PositionKind::Rotary);
        QCOMPARE(qint64(limit.tokens), config.integer(QStringLiteral("max_position_embeddings")));
        const auto model = loadModel(dir);
        QCOMPARE(forwardError(*model, limit.tokens + 8), QString());
        QVERIFY(positionLimitWarning(config, limit.tokens + 8).contains(QLatin1String("it runs")));
    }
};

QTEST_GUILESS_MAIN(TestPositionLimit)
#include "test_position_limit.moc"
