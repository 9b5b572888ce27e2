// DINOv2 against the transformers formulas (Dinov2Embeddings, Dinov2Layer, Dinov2SwiGLUFFN,
// Dinov2ForImageClassification): layer scale on both branches, the MLP or the SwiGLU FFN
// sized from mlp_ratio, position embeddings resized bicubically for an image larger than the
// trained grid, the classifier on the CLS token beside the mean patch token.

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

QJsonObject configOf(bool swiGlu, bool classifier)
{
    return QJsonObject{
        {"model_type", "dinov2"},
        {"architectures", QJsonArray{classifier ? "Dinov2ForImageClassification" : "Dinov2Model"}},
        {"hidden_size", kHidden}, {"num_hidden_layers", kLayers}, {"num_attention_heads", kHeads},
        {"mlp_ratio", 4}, {"image_size", kImage}, {"patch_size", kPatch}, {"num_channels", 3},
        {"layer_norm_eps", kEps}, {"hidden_act", "gelu"}, {"qkv_bias", true}, {"use_swiglu_ffn", swiGlu},
        {"layerscale_value", 1.0}, {"id2label", QJsonObject{{"0", "a"}, {"1", "b"}, {"2", "c"}}},
    };
}

void addWeights(TinyCheckpoint &w, bool swiGlu, bool classifier)
{
    const int grid = kImage / kPatch, ffn = ffnWidth(swiGlu);
    w.add("dinov2.embeddings.cls_token", {1, 1, kHidden}, 1.0);
    w.add("dinov2.embeddings.mask_token", {1, kHidden}, 1.0);
    w.add("dinov2.embeddings.position_embeddings", {1, 1 + grid * grid, kHidden}, 1.0);
    w.add("dinov2.embeddings.patch_embeddings.projection.weight", {kHidden, 3, kPatch, kPatch});
    w.add("dinov2.embeddings.patch_embeddings.projection.bias", {kHidden}, 0.1);
    for (int i = 0; i < kLayers; ++i) {
        const std::string at = "dinov2.encoder.layer." + std::to_string(i) + ".";
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
    w.add("dinov2.layernorm.weight", {kHidden}, 0.1, true);
    w.add("dinov2.layernorm.bias", {kHidden}, 0.1);
    if (classifier) {
        w.add("classifier.weight", {kLabels, 2 * kHidden});
        w.add("classifier.bias", {kLabels}, 0.1);
    }
}

struct Reference {
    torch::Tensor attentions, output;
};

Reference referenceForward(const TinyCheckpoint &w, bool swiGlu, bool classifier, const torch::Tensor &image)
{
    namespace F = torch::nn::functional;
    const int64_t rows = image.size(1) / kPatch, cols = image.size(2) / kPatch, grid = kImage / kPatch;
    const torch::Tensor patches = torch::conv2d(image.unsqueeze(0), w["dinov2.embeddings.patch_embeddings.projection.weight"],
                                                w["dinov2.embeddings.patch_embeddings.projection.bias"], kPatch)[0]
                                      .flatten(1).t();
    const torch::Tensor positions = w["dinov2.embeddings.position_embeddings"][0];
    torch::Tensor patchPositions = positions.slice(0, 1);
    if (rows != grid || cols != grid) // interpolate_pos_encoding
        patchPositions = F::interpolate(patchPositions.reshape({1, grid, grid, kHidden}).permute({0, 3, 1, 2}),
                                        F::InterpolateFuncOptions().size(std::vector<int64_t>{rows, cols})
                                            .mode(torch::kBicubic).align_corners(false))
                             .permute({0, 2, 3, 1}).reshape({rows * cols, kHidden});
    torch::Tensor x = torch::cat({w["dinov2.embeddings.cls_token"][0], patches})
                      + torch::cat({positions.slice(0, 0, 1), patchPositions});
    std::vector<torch::Tensor> attentions;
    for (int i = 0; i < kLayers; ++i) {
        const std::string at = "dinov2.encoder.layer." + std::to_string(i) + ".";
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
    const torch::Tensor out = ref::layerNorm(x, w["dinov2.layernorm.weight"], w["dinov2.layernorm.bias"], kEps);
    if (!classifier)
        return {torch::stack(attentions), out};
    const torch::Tensor pooled = torch::cat({out[0], out.slice(0, 1).mean(0)});
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
        QTest::newRow("MLP, classifier, trained size") << false << true << 16 << 16;
        QTest::newRow("SwiGLU, classifier, 24×20 (positions resized)") << true << true << 24 << 20;
        QTest::newRow("MLP, base model, 20×28 (positions resized)") << false << false << 20 << 28;
    }

    void matchesTransformersFormulas()
    {
        QFETCH(bool, swiGlu);
        QFETCH(bool, classifier);
        QFETCH(int, height);
        QFETCH(int, width);
        TinyCheckpoint weights(29);
        addWeights(weights, swiGlu, classifier);
        const QString dir = weights.write(configOf(swiGlu, classifier));
        const torch::Tensor image = torch::randn({3, height, width});
        const Reference expected = referenceForward(weights, swiGlu, classifier, image);

        const auto model = loadModel(dir);
        QVERIFY(model->info().vision);
        QCOMPARE(model->info().leadingTokens, 1);
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
