// BERT, RoBERTa, DistilBERT, ViT and DeiT against the exact references written by
// tests/data/models/make_encoder_references.py, and their refusals of broken checkpoints
// and inputs.

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "core/capture/attention_recorder.h"
#include "core/io/input_error.h"
#include "core/io/safetensors_file.h"
#include "core/io/safetensors_writer.h"
#include "core/models/model.h"

using namespace attnscope;

namespace {

const QString kFixtures = QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/encoders");
constexpr double kTolerance = 1e-5;

// Keeps every probability row the kernel hands over: [L, H, T, S].
class DenseRecorder final : public AttentionRecorder {
public:
    void beginForward(int64_t layers, int64_t heads, int64_t queries, int64_t keys) override
    {
        attentions = torch::full({layers, heads, queries, keys}, std::nan(""));
    }
    void recordLayer(const AttentionInputs &, const AttentionPlan &) override {}
    bool wantsProbabilities(int) const override { return true; }
    void recordRows(int layer, int64_t rowBegin, const torch::Tensor &rows) override
    {
        attentions[layer].narrow(1, rowBegin, rows.size(1)).copy_(rows);
    }
    torch::Tensor attentions;
};

double maxDifference(const torch::Tensor &actual, const torch::Tensor &expected)
{
    if (actual.sizes() != expected.sizes())
        return std::numeric_limits<double>::infinity();
    return (actual.to(torch::kDouble) - expected.to(torch::kDouble)).abs().max().item<double>();
}

ModelInput inputFrom(const SafetensorsFile &expected)
{
    ModelInput input;
    const auto take = [&](const char *name) {
        return expected.contains(name) ? expected.load(name).clone() : torch::Tensor();
    };
    input.inputIds = take("input_ids");
    input.tokenTypeIds = take("token_type_ids");
    input.attentionMask = take("attention_mask");
    input.pixelValues = take("pixel_values");
    return input;
}

QString errorOf(const std::function<void()> &action)
{
    try {
        action();
    } catch (const InputError &error) {
        return QString::fromUtf8(error.what());
    }
    return QString();
}

// A writable copy of a fixture's config.json and weights.
QString copyFixture(const QTemporaryDir &dir, const QString &name)
{
    const QDir source(kFixtures + QLatin1Char('/') + name);
    for (const QString &file : source.entryList(QDir::Files))
        QFile::copy(source.filePath(file), dir.filePath(file));
    return dir.path();
}

void editConfig(const QString &modelDir, const std::function<void(QJsonObject &)> &edit)
{
    QFile file(modelDir + QStringLiteral("/config.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    edit(config);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(config).toJson());
}

// Rewrites model.safetensors with one tensor removed or replaced.
void editWeights(const QString &modelDir, const std::string &name, const torch::Tensor &replacement)
{
    const QString path = modelDir + QStringLiteral("/model.safetensors");
    NamedTensors tensors;
    {
        const auto weights = SafetensorsFile::open(path);
        QVERIFY2(weights->contains(name), name.c_str());
        for (const std::string &each : weights->names())
            if (each != name)
                tensors.emplace_back(each, weights->load(each).clone());
    }
    if (replacement.defined())
        tensors.emplace_back(name, replacement);
    writeSafetensors(path, tensors);
}

} // namespace

class TestEncoderFamilies : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
    void describesModel_data();
    void describesModel();
    void headGatesScaleHeadOutputs_data();
    void headGatesScaleHeadOutputs();
    void headGatesCarryGradients();
    void namesMissingConfigField_data();
    void namesMissingConfigField();
    void namesMissingTensor_data();
    void namesMissingTensor();
    void namesShapeMismatch();
    void rejectsUnsupportedConfig_data();
    void rejectsUnsupportedConfig();
    void rejectsBadInput_data();
    void rejectsBadInput();
};

void TestEncoderFamilies::matchesReference_data()
{
    QTest::addColumn<QString>("fixture");
    const QStringList cases = QDir(kFixtures).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QVERIFY(cases.size() >= 18);
    for (const QString &name : cases)
        QTest::newRow(qPrintable(name)) << name;
}

void TestEncoderFamilies::matchesReference()
{
    QFETCH(QString, fixture);
    const QString dir = kFixtures + QLatin1Char('/') + fixture;
    const auto model = loadModel(dir);
    const auto expected = SafetensorsFile::open(dir + QStringLiteral("/expected.safetensors"));
    DenseRecorder recorder;
    const torch::Tensor logits = model->forward(inputFrom(*expected), AttentionPlan(), &recorder);

    const torch::Tensor attentions = expected->load("attentions");
    QCOMPARE(recorder.attentions.sizes().vec(), attentions.sizes().vec());
    QVERIFY2(maxDifference(recorder.attentions, attentions) <= kTolerance,
             qPrintable(QString::number(maxDifference(recorder.attentions, attentions))));
    QCOMPARE(logits.sizes().vec(), expected->load("logits").sizes().vec());
    QVERIFY2(maxDifference(logits, expected->load("logits")) <= kTolerance,
             qPrintable(QString::number(maxDifference(logits, expected->load("logits")))));
    QCOMPARE(model->info().layers, int(attentions.size(0)));
    QCOMPARE(model->info().heads, int(attentions.size(1)));
}

void TestEncoderFamilies::describesModel_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("modelType");
    QTest::addColumn<bool>("vision");
    QTest::addColumn<int>("vocabSize");
    QTest::addColumn<int>("maxPositions");
    QTest::addColumn<QStringList>("labels");
    QTest::newRow("bert pair classifier") << "bert_pair_classifier" << "bert" << false << 60 << 24
        << QStringList{"negative", "neutral", "positive"};
    QTest::newRow("roberta: pad id + 1 positions reserved") << "roberta_mlm" << "roberta" << false << 60 << 24
        << QStringList();
    QTest::newRow("distilbert token-free base") << "distilbert_base" << "distilbert" << false << 50 << 20
        << QStringList();
    QTest::newRow("vit classifier") << "vit_classifier" << "vit" << true << 0 << 17
        << QStringList{"cat", "dog", "bird", "fish"};
    QTest::newRow("deit with teacher") << "deit_distilled" << "deit" << true << 0 << 18
        << QStringList{"tench", "goldfish", "shark"};
}

void TestEncoderFamilies::describesModel()
{
    QFETCH(QString, fixture);
    QFETCH(QString, modelType);
    QFETCH(bool, vision);
    QFETCH(int, vocabSize);
    QFETCH(int, maxPositions);
    QFETCH(QStringList, labels);
    const QString dir = kFixtures + QLatin1Char('/') + fixture;
    const ModelInfo info = loadModel(dir)->info();
    QCOMPARE(info.modelType, modelType);
    QCOMPARE(info.vision, vision);
    QCOMPARE(info.causal, false);
    QCOMPARE(info.vocabSize, vocabSize);
    QCOMPARE(info.maxPositions, maxPositions);
    QCOMPARE(info.labels, labels);
    QCOMPARE(info.kvHeads, info.heads);
    QCOMPARE(info.headDim * info.heads, info.hidden);
    QVERIFY(info.parameters > 0);
}

void TestEncoderFamilies::headGatesScaleHeadOutputs_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::newRow("post-norm (BERT)") << "bert_mlm";
    QTest::newRow("pre-norm (ViT)") << "vit_classifier";
}

void TestEncoderFamilies::headGatesScaleHeadOutputs()
{
    QFETCH(QString, fixture);
    const QString dir = kFixtures + QLatin1Char('/') + fixture;
    const auto model = loadModel(dir);
    const auto expected = SafetensorsFile::open(dir + QStringLiteral("/expected.safetensors"));
    ModelInput input = inputFrom(*expected);
    input.headGates = expected->load("head_gates").clone();
    const torch::Tensor logits = model->forward(input, AttentionPlan(), nullptr);
    QVERIFY2(maxDifference(logits, expected->load("logits_gated")) <= kTolerance,
             qPrintable(QString::number(maxDifference(logits, expected->load("logits_gated")))));
    input.headGates = torch::ones_like(input.headGates);
    QVERIFY(maxDifference(model->forward(input, AttentionPlan(), nullptr), expected->load("logits")) <= kTolerance);
}

void TestEncoderFamilies::headGatesCarryGradients()
{
    const QString dir = kFixtures + QStringLiteral("/vit_classifier");
    const auto model = loadModel(dir);
    const auto expected = SafetensorsFile::open(dir + QStringLiteral("/expected.safetensors"));
    ModelInput input = inputFrom(*expected);
    input.headGates = torch::ones({model->info().layers, model->info().heads}, torch::requires_grad());
    model->forward(input, AttentionPlan(), nullptr)[0].backward();
    const torch::Tensor gradient = input.headGates.grad();
    QVERIFY(gradient.defined());
    // Against a central difference of the same logit in the gate of layer 1, head 2.
    const double step = 1e-2;
    const auto logitAt = [&](double gate) {
        ModelInput shifted = input;
        shifted.headGates = torch::ones({model->info().layers, model->info().heads});
        shifted.headGates[1][2] = gate;
        return model->forward(shifted, AttentionPlan(), nullptr)[0].item<double>();
    };
    const double numeric = (logitAt(1 + step) - logitAt(1 - step)) / (2 * step);
    QVERIFY2(std::abs(gradient[1][2].item<double>() - numeric) < 1e-3 * std::max(1.0, std::abs(numeric)),
             qPrintable(QStringLiteral("%1 vs %2").arg(gradient[1][2].item<double>()).arg(numeric)));
}

void TestEncoderFamilies::namesMissingConfigField_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("field");
    QTest::newRow("bert heads") << "bert_base" << "num_attention_heads";
    QTest::newRow("roberta vocabulary") << "roberta_mlm" << "vocab_size";
    QTest::newRow("distilbert width") << "distilbert_mlm" << "dim";
    QTest::newRow("vit patch") << "vit_classifier" << "patch_size";
    QTest::newRow("deit layers") << "deit_distilled" << "num_hidden_layers";
}

void TestEncoderFamilies::namesMissingConfigField()
{
    QFETCH(QString, fixture);
    QFETCH(QString, field);
    QTemporaryDir dir;
    const QString modelDir = copyFixture(dir, fixture);
    editConfig(modelDir, [&](QJsonObject &config) { config.remove(field); });
    const QString error = errorOf([&] { loadModel(modelDir); });
    QVERIFY2(error.contains(QStringLiteral("config.json")) && error.contains(field), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
}

void TestEncoderFamilies::namesMissingTensor_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("tensor");
    QTest::newRow("bert key") << "bert_base" << "encoder.layer.1.attention.self.key.weight";
    QTest::newRow("bert token classifier") << "bert_token_classifier" << "classifier.bias";
    QTest::newRow("roberta lm head") << "roberta_mlm" << "lm_head.dense.weight";
    QTest::newRow("distilbert ffn") << "distilbert_mlm" << "distilbert.transformer.layer.2.ffn.lin1.bias";
    QTest::newRow("vit cls token") << "vit_classifier" << "vit.embeddings.cls_token";
    QTest::newRow("deit distillation token") << "deit_distilled" << "deit.embeddings.distillation_token";
    QTest::newRow("deit distillation head") << "deit_distilled" << "distillation_classifier.weight";
}

void TestEncoderFamilies::namesMissingTensor()
{
    QFETCH(QString, fixture);
    QFETCH(QString, tensor);
    QTemporaryDir dir;
    const QString modelDir = copyFixture(dir, fixture);
    editWeights(modelDir, tensor.toStdString(), {});
    const QString error = errorOf([&] { loadModel(modelDir); });
    QVERIFY2(error.contains(QStringLiteral("model.safetensors")) && error.contains(tensor), qPrintable(error));
}

void TestEncoderFamilies::namesShapeMismatch()
{
    QTemporaryDir dir;
    const QString modelDir = copyFixture(dir, QStringLiteral("bert_mlm"));
    editWeights(modelDir, "bert.encoder.layer.1.intermediate.dense.weight", torch::zeros({64, 30}));
    const QString error = errorOf([&] { loadModel(modelDir); });
    QVERIFY2(error.contains(QStringLiteral("bert.encoder.layer.1.intermediate.dense.weight"))
                 && error.contains(QStringLiteral("[72, 32]")) && error.contains(QStringLiteral("[64, 30]")),
             qPrintable(error));
}

void TestEncoderFamilies::rejectsUnsupportedConfig_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("relative positions") << "bert_base" << "position_embedding_type" << QJsonValue("relative_key");
    QTest::newRow("causal bert") << "bert_mlm" << "is_decoder" << QJsonValue(true);
    QTest::newRow("heads do not divide width") << "bert_base" << "num_attention_heads" << QJsonValue(5);
    QTest::newRow("id2label with a gap") << "bert_pair_classifier" << "id2label"
        << QJsonValue(QJsonObject{{"0", "a"}, {"2", "c"}});
    QTest::newRow("labels unlike classifier rows") << "vit_classifier" << "id2label"
        << QJsonValue(QJsonObject{{"0", "a"}, {"1", "b"}});
    QTest::newRow("type of a field") << "distilbert_mlm" << "n_layers" << QJsonValue("three");
}

void TestEncoderFamilies::rejectsUnsupportedConfig()
{
    QFETCH(QString, fixture);
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QTemporaryDir dir;
    const QString modelDir = copyFixture(dir, fixture);
    editConfig(modelDir, [&](QJsonObject &config) { config.insert(field, value); });
    const QString error = errorOf([&] { loadModel(modelDir); });
    QVERIFY2(!error.isEmpty(), "no InputError");
    QVERIFY2(error.contains(QStringLiteral("config.json")) || error.contains(QStringLiteral("model.safetensors")),
             qPrintable(error));
}

void TestEncoderFamilies::rejectsBadInput_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("problem");
    QTest::newRow("id beyond vocabulary") << "bert_base" << "vocabulary";
    QTest::newRow("negative id") << "distilbert_mlm" << "vocabulary";
    QTest::newRow("token types unlike ids") << "bert_pair_classifier" << "token type ids";
    QTest::newRow("token type beyond table") << "bert_pair_classifier" << "token type id 2";
    QTest::newRow("too long") << "roberta_mlm" << "too long";
    QTest::newRow("no tokens") << "bert_base" << "no token ids";
    QTest::newRow("mask hides all") << "bert_padded" << "hides every token";
    QTest::newRow("gates of wrong shape") << "bert_mlm" << "head gates";
    QTest::newRow("no image") << "vit_classifier" << "no pixel values";
    QTest::newRow("grey image") << "vit_classifier" << "[3, height, width]";
    QTest::newRow("image smaller than a patch") << "deit_distilled" << "smaller than one";
}

void TestEncoderFamilies::rejectsBadInput()
{
    QFETCH(QString, fixture);
    QFETCH(QString, problem);
    const QString dir = kFixtures + QLatin1Char('/') + fixture;
    const auto model = loadModel(dir);
    ModelInput input = inputFrom(*SafetensorsFile::open(dir + QStringLiteral("/expected.safetensors")));
    const QString row = QString::fromLatin1(QTest::currentDataTag());
    if (row == QLatin1String("id beyond vocabulary"))
        input.inputIds[1] = model->info().vocabSize;
    else if (row == QLatin1String("negative id"))
        input.inputIds[0] = -1;
    else if (row == QLatin1String("token types unlike ids"))
        input.tokenTypeIds = input.tokenTypeIds.slice(0, 1);
    else if (row == QLatin1String("token type beyond table"))
        input.tokenTypeIds[3] = 2;
    else if (row == QLatin1String("too long"))
        input.inputIds = torch::full({model->info().maxPositions + 1}, 7, torch::kLong);
    else if (row == QLatin1String("no tokens"))
        input.inputIds = torch::zeros({0}, torch::kLong);
    else if (row == QLatin1String("mask hides all"))
        input.attentionMask = torch::zeros_like(input.attentionMask);
    else if (row == QLatin1String("gates of wrong shape"))
        input.headGates = torch::ones({model->info().layers, model->info().heads + 1});
    else if (row == QLatin1String("no image"))
        input.pixelValues = torch::Tensor();
    else if (row == QLatin1String("grey image"))
        input.pixelValues = input.pixelValues.slice(0, 0, 1);
    else if (row == QLatin1String("image smaller than a patch"))
        input.pixelValues = torch::zeros({3, 4, 32});
    const QString error = errorOf([&] { model->forward(input, AttentionPlan(), nullptr); });
    QVERIFY2(error.contains(problem), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestEncoderFamilies)
#include "test_encoder_families.moc"
