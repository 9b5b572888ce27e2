// DINOv2 against the transformers formulas (Dinov2Embeddings, Dinov2Layer, Dinov2SwiGLUFFN,
// Dinov2ForImageClassification): layer scale on both branches, the MLP or the SwiGLU FFN
// sized from mlp_ratio, position embeddings resized bicubically for an image larger than the
// trained grid, the classifier on the CLS token beside the mean patch token; with registers
// (Dinov2WithRegistersEmbeddings): register tokens after CLS without positions, positions
// resized with antialiasing, registers left out of the classifier's patch mean.

#include <QtTest>

#include "core/capture/attention_record.h"
#include "core/models/model.h"
#include "decoder_test_support.h"
#include "reference_formulas.h"

using namespace attnscope;
using namespace attnscope::test;
namespace ref = attnscope::test::reference;

namespace {

constexpr int kHidden = 32, kLayers = 2, kHeads = 4, kPatch = 4, kImage = 16, kLabels = 3;
constexpr double kEps = 1e-6;

int ffnWidth(bool swiGlu) { return swiGlu ? (int(128 * 2.0 / 3) + 7) / 8 * 8 : 128; } // mlp_ratio 4

std::string prefixOf(int registers) { return registers > 0 ? "dinov2_with_registers." : "dinov2."; }

QJsonObject configOf(bool swiGlu, bool classifier, int registers)
{
    const QString type = registers > 0 ? "Dinov2WithRegisters" : "Dinov2";
    return QJsonObject{
        {"model_type", registers > 0 ? "dinov2_with_registers" : "dinov2"}, {"num_register_tokens", registers},
        {"architectures", QJsonArray{type + (classifier ? "ForImageClassification" : "Model")}},
        {"hidden_size", kHidden}, {"num_hidden_layers", kLayers}, {"num_attention_heads", kHeads},
        {"mlp_ratio", 4}, {"image_size", kImage}, {"patch_size", kPatch}, {"num_channels", 3},
        {"layer_norm_eps", kEps}, {"hidden_act", "gelu"}, {"qkv_bias", true}, {"use_swiglu_ffn", swiGlu},
        {"layerscale_value", 1.0}, {"id2label", QJsonObject{{"0", "a"}, {"1", "b"}, {"2", "c"}}},
    };
}

void addWeights(TinyCheckpoint &w, bool swiGlu, bool classifier, int registers)
{
    const std::string pre = prefixOf(registers);
    if (registers > 0)
        w.add(pre + "embeddings.register_tokens", {1, registers, kHidden}, 1.0);
    const int grid = kImage / kPatch, ffn = ffnWidth(swiGlu);
    w.add(pre + "embeddings.cls_token", {1, 1, kHidden}, 1.0);
    w.add(pre + "embeddings.mask_token", {1, kHidden}, 1.0);
    w.add(pre + "embeddings.position_embeddings", {1, 1 + grid * grid, kHidden}, 1.0);
    w.add(pre + "embeddings.patch_embeddings.projection.weight", {kHidden, 3, kPatch, kPatch});
    w.add(pre + "embeddings.patch_embeddings.projection.bias", {kHidden}, 0.1);
    for (int i = 0; i < kLayers; ++i) {
        const std::string at = pre + "encoder.layer." + std::to_string(i) + ".";
        for (const char *norm : {"norm1", "norm2"}) {
            w.add(at + norm + ".weight", {kHidden}, 0.1, true);
            w.add(at + norm + ".bias", {kHidden}, 0.1);
        }
        w.add(at + "layer_scale1.lambda1", {kHidden}, 0.3, true);
        w.add(at + "layer_scale2.lambda1", {kHidden}, 0.3, true);
        const std::string in = swiGlu ? "mlp.weights_in" : "mlp.fc1", out = swiGlu ? "mlp.weights_out" : "mlp.fc2";
        for (const auto &[name, rows, cols] : std::vector<std::tuple<std::string, int64_t, int64_t>>{
                 {"attention.attention.query", kHidden, kHidden}, {"attention.attention.key", kHidden, kHidden},
                 {"attention.attention.value", kHidden, kHidden}, {"attention.output.dense", kHidden, kHidden},
                 {in, (swiGlu ? 2 : 1) * ffn, kHidden}, {out, kHidden, ffn}}) {
            w.add(at + name + ".weight", {rows, cols});
            w.add(at + name + ".bias", {rows}, 0.1);
        }
    }
    w.add(pre + "layernorm.weight", {kHidden}, 0.1, true);
    w.add(pre + "layernorm.bias", {kHidden}, 0.1);
    if (classifier) {
        w.add("classifier.weight", {kLabels, 2 * kHidden});
        w.add("classifier.bias", {kLabels}, 0.1);
    }
}

struct Reference {
    torch::Tensor attentions, output;
};

Reference referenceForward(const TinyCheckpoint &w, bool swiGlu, bool classifier, int registers, const torch::Tensor &image)
{
    const std::string pre = prefixOf(registers);
    namespace F = torch::nn::functional;
    const int64_t rows = image.size(1) / kPatch, cols = image.size(2) / kPatch, grid = kImage / kPatch;
    const torch::Tensor patches = torch::conv2d(image.unsqueeze(0), w[pre + "embeddings.patch_embeddings.projection.weight"],
                                                w[pre + "embeddings.patch_embeddings.projection.bias"], kPatch)[0]
                                      .flatten(1).t();
    const torch::Tensor positions = w[pre + "embeddings.position_embeddings"][0];
    torch::Tensor patchPositions = positions.slice(0, 1);
    if (rows != grid || cols != grid) // interpolate_pos_encoding
        patchPositions = F::interpolate(patchPositions.reshape({1, grid, grid, kHidden}).permute({0, 3, 1, 2}),
                                        F::InterpolateFuncOptions().size(std::vector<int64_t>{rows, cols})
                                            .mode(torch::kBicubic).align_corners(false).antialias(registers > 0))
                             .permute({0, 2, 3, 1}).reshape({rows * cols, kHidden});
    torch::Tensor x = torch::cat({w[pre + "embeddings.cls_token"][0], patches})
                      + torch::cat({positions.slice(0, 0, 1), patchPositions});
    if (registers > 0)
        x = torch::cat({x.slice(0, 0, 1), w[pre + "embeddings.register_tokens"][0], x.slice(0, 1)});
    std::vector<torch::Tensor> attentions;
    for (int i = 0; i < kLayers; ++i) {
        const std::string at = pre + "encoder.layer." + std::to_string(i) + ".";
        const auto proj = [&](const std::string &name, const torch::Tensor &input) {
            return ref::linear(input, w[at + name + ".weight"], w[at + name + ".bias"]);
        };
        const auto norm = [&](const std::string &name, const torch::Tensor &input) {
            return ref::layerNorm(input, w[at + name + ".weight"], w[at + name + ".bias"], kEps);
        };
        const torch::Tensor h = norm("norm1", x);
        const ref::Attention a = ref::attend(ref::heads(proj("attention.attention.query", h), kHeads),
                                             ref::heads(proj("attention.attention.key", h), kHeads),
                                             ref::heads(proj("attention.attention.value", h), kHeads),
                                             1.0 / std::sqrt(double(kHidden / kHeads)), 0, 0, false);
        attentions.push_back(a.probabilities);
        x = proj("attention.output.dense", a.output) * w[at + "layer_scale1.lambda1"] + x;
        const torch::Tensor m = norm("norm2", x);
        torch::Tensor ffn;
        if (swiGlu) {
            const torch::Tensor both = proj("mlp.weights_in", m);
            const int width = ffnWidth(true);
            ffn = proj("mlp.weights_out", ref::silu(both.narrow(1, 0, width)) * both.narrow(1, width, width));
        } else {
            ffn = proj("mlp.fc2", ref::geluExact(proj("mlp.fc1", m)));
        }
        x = ffn * w[at + "layer_scale2.lambda1"] + x;
    }
    const torch::Tensor out = ref::layerNorm(x, w[pre + "layernorm.weight"], w[pre + "layernorm.bias"], kEps);
    if (!classifier)
        return {torch::stack(attentions), out};
    const torch::Tensor pooled = torch::cat({out[0], out.slice(0, 1 + registers).mean(0)});
    return {torch::stack(attentions), ref::linear(pooled, w["classifier.weight"], w["classifier.bias"])};
}

} // namespace

class TestDinov2 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesTransformersFormulas_data()
    {
        QTest::addColumn<bool>("swiGlu");
        QTest::addColumn<bool>("classifier");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("registers");
        QTest::newRow("MLP, classifier, trained size") << false << true << 16 << 16 << 0;
        QTest::newRow("SwiGLU, classifier, 24×20 (positions resized)") << true << true << 24 << 20 << 0;
        QTest::newRow("MLP, base model, 20×28 (positions resized)") << false << false << 20 << 28 << 0;
        QTest::newRow("4 registers, classifier, 24×20") << false << true << 24 << 20 << 4;
        QTest::newRow("2 registers, SwiGLU, base model, trained size") << true << false << 16 << 16 << 2;
    }

    void matchesTransformersFormulas()
    {
        QFETCH(bool, swiGlu);
        QFETCH(bool, classifier);
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(int, registers);
        TinyCheckpoint weights(29);
        addWeights(weights, swiGlu, classifier, registers);
        const QString dir = weights.write(configOf(swiGlu, classifier, registers));
        const torch::Tensor image = torch::randn({3, height, width});
        const Reference expected = referenceForward(weights, swiGlu, classifier, registers, image);

        const auto model = loadModel(dir);
        QVERIFY(model->info().vision);
        QCOMPARE(model->info().leadingTokens, 1 + registers);
        if (registers > 0)
            QCOMPARE(model->info().leadingTokenNames.last(), QStringLiteral("[REG%1]").arg(registers));
        ModelInput input;
        input.pixelValues = image;
        AttentionRecord record;
        const torch::Tensor output = model->forward(input, {}, &record);
        std::vector<torch::Tensor> layers;
        for (int layer = 0; layer < record.layers(); ++layer)
            layers.push_back(record.layer(layer));
        QVERIFY2(maxDifference(torch::stack(layers), expected.attentions) < 1e-5,
                 qPrintable(QString::number(maxDifference(torch::stack(layers), expected.attentions))));
        QVERIFY2(logitsMatch(output, expected.output), qPrintable(QString::number(maxDifference(output, expected.output))));
    }
};

QTEST_GUILESS_MAIN(TestDinov2)
#include "test_dinov2.moc"
