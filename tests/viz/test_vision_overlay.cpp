// Attention overlays on images: the alpha blend equals its formula pixel by pixel (below the
// threshold and outside the patch grid the image is unchanged), nearest and bilinear
// upsampling keep patch values, and a DeiT-tiny-sized random checkpoint (224 × 224, 12
// layers, 3 heads, distillation token) in Hugging Face layout runs image → preprocessing →
// forward → CLS overlay at the original resolution, end to end.

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "core/capture/vision_tokens.h"
#include "core/io/safetensors_writer.h"
#include "core/models/model.h"
#include "viz/attention_overlay.h"
#include "viz/image_decoding.h"
#include "viz/image_preprocessor.h"

using namespace attnscope;

namespace {

PatchGeometry squareGeometry(int side, int patch)
{
    PatchGeometry g;
    g.originalWidth = g.originalHeight = g.resizedWidth = g.resizedHeight = g.inputWidth = g.inputHeight = side;
    g.patchSize = patch;
    return g;
}

void writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

// A DeiT-tiny-sized checkpoint with random weights, as Hugging Face names them.
void writeDeitTiny(const QString &dir)
{
    constexpr int64_t d = 192, inner = 768, layers = 12, classes = 5, tokens = 2 + 14 * 14;
    torch::manual_seed(7);
    NamedTensors w;
    const auto add = [&w](const std::string &name, std::vector<int64_t> shape, double scale = 0.02) {
        w.push_back({name, (torch::randn(shape) * scale).contiguous()});
    };
    const auto norm = [&w](const std::string &name) {
        w.push_back({name + ".weight", torch::ones({d})});
        w.push_back({name + ".bias", torch::zeros({d})});
    };
    add("deit.embeddings.cls_token", {1, 1, d});
    add("deit.embeddings.distillation_token", {1, 1, d});
    add("deit.embeddings.position_embeddings", {1, tokens, d});
    add("deit.embeddings.patch_embeddings.projection.weight", {d, 3, 16, 16});
    add("deit.embeddings.patch_embeddings.projection.bias", {d});
    for (int l = 0; l < layers; ++l) {
        const std::string at = "deit.encoder.layer." + std::to_string(l) + ".";
        for (const char *name : {"attention.attention.query", "attention.attention.key", "attention.attention.value",
                                 "attention.output.dense"}) {
            add(at + name + ".weight", {d, d}, 0.2);
            add(at + name + ".bias", {d});
        }
        add(at + "intermediate.dense.weight", {inner, d});
        add(at + "intermediate.dense.bias", {inner});
        add(at + "output.dense.weight", {d, inner});
        add(at + "output.dense.bias", {d});
        norm(at + "layernorm_before");
        norm(at + "layernorm_after");
    }
    norm("deit.layernorm");
    for (const char *head : {"cls_classifier", "distillation_classifier"}) {
        add(std::string(head) + ".weight", {classes, d});
        add(std::string(head) + ".bias", {classes});
    }
    writeSafetensors(dir + QStringLiteral("/model.safetensors"), w, {});
    writeText(dir + QStringLiteral("/config.json"), R"({
        "architectures": ["DeiTForImageClassificationWithTeacher"], "model_type": "deit",
        "hidden_size": 192, "num_hidden_layers": 12, "num_attention_heads": 3, "intermediate_size": 768,
        "hidden_act": "gelu", "layer_norm_eps": 1e-12, "image_size": 224, "patch_size": 16, "num_channels": 3,
        "qkv_bias": true, "id2label": {"0": "circle", "1": "square", "2": "triangle", "3": "star", "4": "cross"},
        "label2id": {"circle": 0, "square": 1, "triangle": 2, "star": 3, "cross": 4}})");
    writeText(dir + QStringLiteral("/preprocessor_config.json"), R"({
        "do_resize": true, "size": {"height": 256, "width": 256}, "resample": 3, "do_center_crop": true,
        "crop_size": {"height": 224, "width": 224}, "do_rescale": true, "rescale_factor": 0.00392156862745098,
        "do_normalize": true, "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225]})");
}

} // namespace

class TestVisionOverlay : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void blendEqualsTheFormula()
    {
        const PatchGeometry g = squareGeometry(40, 10);
        const torch::Tensor map = torch::tensor({0.1, 0.4, 0.0, 0.2, 0.8, 0.3, 0.05, 0.6, 0.7, 0.1, 0.2, 0.3, 0.0, 0.0, 0.5, 0.25},
                                                torch::kFloat32).view({4, 4});
        QImage image(40, 40, QImage::Format_RGB32);
        image.fill(QColor(30, 120, 200));
        OverlayStyle style;
        style.opacity = 0.35;
        style.threshold = 0.2;
        style.upsampling = Upsampling::Nearest;
        const QImage overlay = attentionOverlay(image, map, g, style);
        QCOMPARE(overlay.size(), image.size());
        const float peak = 0.8f; // values are float32, divided by the peak in float32
        for (int row = 0; row < 4; ++row)
            for (int col = 0; col < 4; ++col) {
                const double t = map[row][col].item<float>() / peak;
                const QRgb got = overlay.pixel(col * 10 + 5, row * 10 + 5);
                if (t < style.threshold) {
                    QCOMPARE(got, image.pixel(0, 0));
                    continue;
                }
                const QRgb c = style.colormap.color(t);
                const auto formula = [&](int base, int overlayValue) {
                    return int(std::lround((1 - style.opacity) * base + style.opacity * overlayValue));
                };
                QCOMPARE(qRed(got), formula(30, qRed(c)));
                QCOMPARE(qGreen(got), formula(120, qGreen(c)));
                QCOMPARE(qBlue(got), formula(200, qBlue(c)));
            }
    }

    void upsamplingKeepsPatchValues()
    {
        PatchGeometry g = squareGeometry(64, 16);
        g.inputWidth = g.inputHeight = 56; // a crop: the grid covers 3 × 3 patches
        g.resizedWidth = g.resizedHeight = 64;
        g.cropLeft = g.cropTop = 4;
        const torch::Tensor map = torch::arange(1, 10, torch::kFloat32).view({3, 3});
        const torch::Tensor nearest = upsampledMap(map, g, Upsampling::Nearest);
        QCOMPARE(nearest.sizes().vec(), (std::vector<int64_t>{64, 64}));
        QVERIFY(std::isnan(nearest[2][30].item<float>()));  // above the grid
        QVERIFY(std::isnan(nearest[30][60].item<float>())); // right of the grid
        for (int patch = 0; patch < 9; ++patch) {
            const QPointF centre = g.patchInOriginal(patch).center();
            QCOMPARE(nearest[int(centre.y())][int(centre.x())].item<float>(), float(patch + 1) / 9);
        }
        const torch::Tensor bilinear = upsampledMap(map, g, Upsampling::Bilinear);
        // Between the centres of patches 0 and 1 the value is their mean.
        QVERIFY(std::abs(bilinear[11][20].item<float>() - 1.5f / 9) < 0.01f);
        QCOMPARE(bilinear.nan_to_num(0).max().item<float>(), 1.0f);
    }

    void deitTinyImageToOverlay()
    {
        QTemporaryDir dir;
        writeDeitTiny(dir.path());
        const std::unique_ptr<Model> model = loadModel(dir.path());
        QVERIFY(model->info().vision);
        QCOMPARE(model->info().leadingTokens, 2);
        QCOMPARE(model->info().patchSize, 16);

        // A 320 × 240 photo-like PNG: a bright disc on a dark ground.
        cv::Mat bgr(240, 320, CV_8UC3, cv::Scalar(40, 30, 20));
        cv::circle(bgr, cv::Point(200, 110), 50, cv::Scalar(80, 200, 240), cv::FILLED);
        const QString path = dir.filePath(QStringLiteral("disc.png"));
        QVERIFY(cv::imwrite(path.toStdString(), bgr));
        const DecodedImage decoded = decodeImage(path);
        const PreparedImage prepared = prepareImage(decoded.rgb, ImagePreprocessing::load(dir.path()), 16, path);
        QCOMPARE(prepared.pixelValues.sizes().vec(), (std::vector<int64_t>{3, 224, 224}));
        QCOMPARE(prepared.geometry.gridRows(), 14);

        AttentionRecord record;
        record.tokens = visionTokens(model->info(), 14, 14);
        ModelInput input;
        input.pixelValues = prepared.pixelValues;
        const torch::Tensor logits = model->forward(input, parsePlan(QStringList()), &record);
        QCOMPARE(logits.sizes().vec(), std::vector<int64_t>{5});
        QCOMPARE(record.queries(), int64_t(198));
        QCOMPARE(record.tokens[1].text, QStringLiteral("[DIST]"));
        QCOMPARE(record.tokens[2 + 14 + 3].text, QStringLiteral("patch 1,3"));
        const torch::Tensor cls = record.row(11, 2, 0);
        QVERIFY(std::abs(cls.sum().item<double>() - 1) < 1e-5);

        const torch::Tensor map = patchMap(cls, 2, 14, 14);
        QCOMPARE(map[1][3].item<float>(), cls[2 + 14 + 3].item<float>());
        const QImage original(path);
        OverlayStyle style;
        style.upsampling = Upsampling::Nearest;
        style.gridLines = true;
        const QImage overlay = attentionOverlay(original, map, prepared.geometry, style);
        QCOMPARE(overlay.size(), QSize(320, 240)); // the original resolution
        const int strongest = int(map.argmax().item<int64_t>());
        const QPointF centre = prepared.geometry.patchInOriginal(strongest).center();
        const QRgb c = style.colormap.color(1.0);
        const QRgb base = original.pixel(centre.toPoint());
        QCOMPARE(qRed(overlay.pixel(centre.toPoint())), int(std::lround(0.4 * qRed(base) + 0.6 * qRed(c))));
        // The image outside the centre crop is left as it was.
        QCOMPARE(overlay.pixel(2, 120), original.pixel(2, 120));
    }
};

QTEST_MAIN(TestVisionOverlay)
#include "test_vision_overlay.moc"
