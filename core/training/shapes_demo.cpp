#include "core/training/shapes_demo.h"

#include <QDir>
#include <QJsonArray>
#include <torch/torch.h>

#include "core/analysis/model_run.h"
#include "core/analysis/rollout.h"
#include "core/io/json_file.h"
#include "core/models/encoder_families.h"

namespace attnscope {

namespace {

constexpr int kWidth = 64;
constexpr int kLayers = 3;
constexpr int kHeads = 4;
constexpr int kPatch = 8;
constexpr double kTouchedCoverage = 0.1; // a patch the shape covers at least this much

QJsonObject shapesConfig(const ImageDemoData &data)
{
    QJsonObject id2label, label2id;
    for (int i = 0; i < data.classes.size(); ++i) {
        id2label.insert(QString::number(i), data.classes[i]);
        label2id.insert(data.classes[i], i);
    }
    return {{QStringLiteral("model_type"), QStringLiteral("vit")},
            {QStringLiteral("architectures"), QJsonArray{QStringLiteral("ViTForImageClassification")}},
            {QStringLiteral("image_size"), data.imageSize},
            {QStringLiteral("patch_size"), kPatch},
            {QStringLiteral("num_channels"), 3},
            {QStringLiteral("hidden_size"), kWidth},
            {QStringLiteral("num_hidden_layers"), kLayers},
            {QStringLiteral("num_attention_heads"), kHeads},
            {QStringLiteral("intermediate_size"), 4 * kWidth},
            {QStringLiteral("hidden_act"), QStringLiteral("gelu")},
            {QStringLiteral("layer_norm_eps"), 1e-12},
            {QStringLiteral("qkv_bias"), true},
            {QStringLiteral("id2label"), id2label},
            {QStringLiteral("label2id"), label2id}};
}

void addVitParameters(DemoCheckpoint &checkpoint, const ImageDemoData &data)
{
    const int64_t grid = data.imageSize / kPatch;
    checkpoint.addNormal("vit.embeddings.cls_token", {1, 1, kWidth}, 0.02);
    checkpoint.addNormal("vit.embeddings.position_embeddings", {1, 1 + grid * grid, kWidth}, 0.02);
    checkpoint.addNormal("vit.embeddings.patch_embeddings.projection.weight", {kWidth, 3, kPatch, kPatch}, 0.02);
    checkpoint.addConstant("vit.embeddings.patch_embeddings.projection.bias", {kWidth}, 0);
    checkpoint.addEncoderLayers("vit.encoder.layer.", vitLayerNames(), kLayers, kWidth, 4 * kWidth);
    checkpoint.addLayerNorm("vit.layernorm", kWidth);
    checkpoint.addLinear("classifier", data.classes.size(), kWidth);
}

QString shapesAbout(const ImageDemoData &data)
{
    return QStringLiteral(
        "# shapes: a vision transformer that looks at the shape\n\n"
        "A ViT (3 layers, 4 heads, width 64, %1×%1 pixels in %2-pixel patches) trained to name "
        "the one shape in a picture: %3. Pictures are drawn with OpenCV: random size, position, "
        "slight rotation and colour, lighter than a noisy darker background; every training "
        "picture is new.\n\n"
        "**What to look at.** Open a sample picture in the Image tab: the predictions name the "
        "shape, and the CLS → patch maps and the rollout light up the patches the shape covers, "
        "not the background. Switch to the per-patch map and hover the shape's patches: they look "
        "at each other. Try your own drawing (any size: it is resized to %1×%1).")
        .arg(data.imageSize).arg(kPatch).arg(data.classes.join(QStringLiteral(", ")));
}

} // namespace

ShapesMeasure measureShapes(const Model &model, const ImageDemoData &data, uint64_t seed, int pictures)
{
    ShapesMeasure measure;
    int correct = 0;
    for (int i = 0; i < pictures; ++i) {
        const LabeledImage image = data.sample(seed, uint64_t(i));
        ModelInput input;
        input.pixelValues = image.pixelValues;
        const RecordedRun run = runWithAttention(model, input);
        correct += run.logits.argmax().item<int64_t>() == image.label;
        const torch::Tensor rollout = attentionRollout(run.attention, RolloutSettings())[-1];
        const torch::Tensor clsToPatches = rollout[0].narrow(0, 1, rollout.size(1) - 1);
        const torch::Tensor coverage = torch::nn::functional::avg_pool2d(
            image.objectMask.unsqueeze(0).unsqueeze(0), torch::nn::functional::AvgPool2dFuncOptions(kPatch)).flatten();
        const torch::Tensor touched = (coverage >= kTouchedCoverage).to(torch::kFloat);
        measure.clsOnShape += (clsToPatches * touched).sum().item<double>() / clsToPatches.sum().item<double>() / pictures;
        measure.shapeArea += touched.mean().item<double>() / pictures;
    }
    measure.accuracy = double(correct) / pictures;
    return measure;
}

DemoResult trainShapesDemo(const DemoRun &run, const ImageDemoData &data)
{
    DemoCheckpoint checkpoint(QStringLiteral("shapes"), shapesConfig(data), run.seed);
    addVitParameters(checkpoint, data);

    const TrainingSchedule schedule = demoSchedule(run, 3500, 2e-3, 5e-5);
    DemoResult result;
    result.finalLoss = train(checkpoint, schedule, [&](const Model &model, int64_t index) {
        const LabeledImage image = data.sample(run.seed, uint64_t(index));
        ModelInput input;
        input.pixelValues = image.pixelValues;
        input.differentiable = true;
        const torch::Tensor logits = model.forward(input, AttentionPlan(), nullptr);
        return torch::nn::functional::cross_entropy(logits.unsqueeze(0), torch::tensor({image.label}));
    }, run.observer);

    checkpoint.save(run.outDir);
    writeJsonFile(QDir(run.outDir).filePath(QStringLiteral("preprocessor_config.json")), data.preprocessorConfig);
    constexpr int kMeasured = 400;
    const ShapesMeasure measure = measureShapes(*checkpoint.build(), data, run.seed + 1000003, kMeasured);
    result.findings = QStringLiteral(
        "On %1 fresh pictures (seed %2, never seen in training):\n\n"
        "- accuracy %3%;\n"
        "- attention rollout (Abnar & Zuidema 2020, mean over heads, residual) puts %4% of the CLS "
        "token's attention to patches on the patches the shape touches, which are %5% of the patches.\n")
        .arg(kMeasured).arg(run.seed + 1000003).arg(100 * measure.accuracy, 0, 'f', 1)
        .arg(100 * measure.clsOnShape, 0, 'f', 1).arg(100 * measure.shapeArea, 0, 'f', 1);
    writeModelCard(run, QStringLiteral("shapes"), shapesAbout(data), schedule, result);
    return result;
}

} // namespace attnscope
