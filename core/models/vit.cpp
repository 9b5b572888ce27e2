// ViT, DeiT and DINOv2: patches of the image (a strided convolution) after a CLS token (and
// DeiT's distillation token), learned position embeddings — bicubically resized for other
// image sizes, as transformers' interpolate_pos_encoding does — a pre-norm encoder, a final
// LayerNorm, and a classifier on the CLS token (DeiT with teacher: the mean of its two heads;
// DINOv2: on the CLS token beside the mean patch token). DINOv2's layers scale each branch
// (layer_scale) and may use a SwiGLU FFN (use_swiglu_ffn) sized from mlp_ratio; with
// registers, register tokens (no position) follow the CLS token and positions are resized
// with antialiasing.

#include <cmath>
#include <optional>

#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/models/common/encoder_heads.h"
#include "core/models/common/encoder_layer.h"
#include "core/models/common/head_gates.h"
#include "core/models/common/weight_resolver.h"
#include "core/models/encoder_families.h"

namespace attnscope {

namespace {

class VisionTransformer final : public Model {
public:
    VisionTransformer(const QString &modelDir, const ModelConfig &config, const WeightSource &source);

    const ModelInfo &info() const override { return m_info; }
    torch::Tensor forward(const ModelInput &input, const AttentionPlan &plan,
                          AttentionRecorder *recorder) const override;

private:
    EncoderHead loadHead(const WeightResolver &weights, const ModelConfig &config) const;
    torch::Tensor patches(const torch::Tensor &pixelValues) const; // [rows, cols, hidden]
    torch::Tensor positions(int64_t rows, int64_t cols) const;      // [extra + rows·cols, hidden]
    int64_t registerCount() const { return m_registers.defined() ? m_registers.size(0) : 0; }

    ModelInfo m_info;
    int64_t m_patchSize = 0;
    int64_t m_gridSide = 0; // patches per side at the trained image size
    torch::Tensor m_leadingTokens; // [1 or 2, hidden]: CLS (and DeiT's distillation token)
    torch::Tensor m_registers;     // [R, hidden]: DINOv2's register tokens, or undefined
    bool m_antialiasPositions = false;
    torch::Tensor m_positionEmbeddings;
    torch::Tensor m_patchWeight, m_patchBias;
    std::optional<EncoderStack> m_encoder;
    LayerNorm m_finalNorm;
    EncoderHead m_head;
};

bool withRegisters(const ModelConfig &config)
{
    return config.modelType() == QLatin1String("dinov2_with_registers");
}

bool isDinov2(const ModelConfig &config)
{
    return config.modelType() == QLatin1String("dinov2") || withRegisters(config);
}

// DINOv2 has no intermediate_size: its FFN is mlp_ratio × hidden wide, or for SwiGLU
// two thirds of that rounded up to a multiple of 8 (Dinov2SwiGLUFFN).
EncoderShape dinov2Shape(const ModelConfig &config)
{
    EncoderShape shape;
    shape.layers = config.integer(QStringLiteral("num_hidden_layers"));
    shape.hidden = config.integer(QStringLiteral("hidden_size"));
    shape.heads = config.integer(QStringLiteral("num_attention_heads"));
    shape.layerNormEps = config.number(QStringLiteral("layer_norm_eps"), 1e-6);
    shape.activation = activationByName(config, config.string(QStringLiteral("hidden_act"), QStringLiteral("gelu")));
    shape.layerScale = true;
    shape.swiGlu = config.boolean(QStringLiteral("use_swiglu_ffn"), false);
    const int64_t features = int64_t(double(shape.hidden) * config.number(QStringLiteral("mlp_ratio"), 4.0));
    shape.intermediate = shape.swiGlu ? (int64_t(double(features) * 2 / 3) + 7) / 8 * 8 : features;
    if (shape.intermediate <= 0)
        config.fail(QStringLiteral("mlp_ratio must be positive"));
    return shape;
}

EncoderShape vitShape(const ModelConfig &config)
{
    EncoderShape shape = isDinov2(config) ? dinov2Shape(config) : bertStyleShape(config);
    shape.preNorm = true;
    shape.qkvBias = config.boolean(QStringLiteral("qkv_bias"), true);
    return shape;
}

EncoderLayerNames dinov2LayerNames(bool swiGlu)
{
    EncoderLayerNames names{"attention.attention.query", "attention.attention.key", "attention.attention.value",
                            "attention.output.dense", "norm1", swiGlu ? "mlp.weights_in" : "mlp.fc1",
                            swiGlu ? "mlp.weights_out" : "mlp.fc2", "norm2"};
    names.attentionScale = "layer_scale1.lambda1";
    names.ffnScale = "layer_scale2.lambda1";
    return names;
}

const char *basePrefix(const ModelConfig &config)
{
    if (config.modelType() == QLatin1String("deit"))
        return "deit.";
    if (withRegisters(config))
        return "dinov2_with_registers.";
    return isDinov2(config) ? "dinov2." : "vit.";
}

VisionTransformer::VisionTransformer(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    const bool deit = config.modelType() == QLatin1String("deit");
    const WeightResolver weights(source, config, {basePrefix(config)});
    const EncoderShape shape = vitShape(config);
    const int64_t d = shape.hidden;
    const int64_t imageSize = config.integer(QStringLiteral("image_size"));
    const int64_t channels = config.integer(QStringLiteral("num_channels"), 3);
    m_patchSize = config.integer(QStringLiteral("patch_size"));
    if (m_patchSize <= 0 || imageSize < m_patchSize)
        config.fail(QStringLiteral("patch_size %1 does not fit image_size %2").arg(m_patchSize).arg(imageSize));
    m_gridSide = imageSize / m_patchSize;

    std::vector<torch::Tensor> leading{weights.tensor("embeddings.cls_token", {1, 1, d})[0]};
    if (deit)
        leading.push_back(weights.tensor("embeddings.distillation_token", {1, 1, d})[0]);
    m_leadingTokens = torch::cat(leading);
    const int64_t tokens = m_leadingTokens.size(0) + m_gridSide * m_gridSide;
    m_positionEmbeddings = weights.tensor("embeddings.position_embeddings", {1, tokens, d})[0];
    m_patchWeight = weights.tensor("embeddings.patch_embeddings.projection.weight", {d, channels, m_patchSize, m_patchSize});
    m_patchBias = weights.tensor("embeddings.patch_embeddings.projection.bias", {d});
    if (withRegisters(config)) {
        const int64_t registers = config.integer(QStringLiteral("num_register_tokens"), 4);
        if (registers < 0)
            config.fail(QStringLiteral("num_register_tokens must not be negative"));
        m_registers = weights.tensor("embeddings.register_tokens", {1, registers, d})[0];
        m_antialiasPositions = true;
    }
    m_encoder.emplace(weights, "encoder.layer.", isDinov2(config) ? dinov2LayerNames(shape.swiGlu) : vitLayerNames(), shape);
    m_finalNorm = weights.layerNorm("layernorm", d, shape.layerNormEps);
    m_head = loadHead(weights, config);

    m_info = encoderInfo(modelDir, config, shape);
    m_info.vision = true;
    m_info.leadingTokens = int(m_leadingTokens.size(0) + registerCount());
    if (registerCount() > 0) {
        m_info.leadingTokenNames << QStringLiteral("[CLS]");
        for (int64_t i = 1; i <= registerCount(); ++i)
            m_info.leadingTokenNames << QStringLiteral("[REG%1]").arg(i);
    }
    m_info.patchSize = int(m_patchSize);
    m_info.maxPositions = int(tokens);
    m_info.labels = taskLabels(config);
    m_info.parameters = weights.loadedParameters();
}

EncoderHead VisionTransformer::loadHead(const WeightResolver &weights, const ModelConfig &config) const
{
    const QStringList architectures = config.architectures();
    const QString architecture = architectures.isEmpty() ? QString() : architectures.first();
    const int64_t hidden = m_leadingTokens.size(1);
    if (architecture.endsWith(QLatin1String("ForImageClassificationWithTeacher"))) {
        const int64_t classes = classLabels(config).size();
        const Linear cls = weights.linear("cls_classifier", classes, hidden);
        const Linear distillation = weights.linear("distillation_classifier", classes, hidden);
        return [=](const torch::Tensor &x) { return (cls(x[0]) + distillation(x[1])) / 2; };
    }
    if (architecture.endsWith(QLatin1String("ForImageClassification")) && isDinov2(config)) {
        const Linear classifier = weights.linear("classifier", classLabels(config).size(), 2 * hidden);
        const int64_t firstPatch = 1 + registerCount();
        return [=](const torch::Tensor &x) { return classifier(torch::cat({x[0], x.slice(0, firstPatch).mean(0)})); };
    }
    if (architecture.endsWith(QLatin1String("ForImageClassification"))) {
        const Linear classifier = weights.linear("classifier", classLabels(config).size(), hidden);
        return [=](const torch::Tensor &x) { return classifier(x[0]); };
    }
    return [](const torch::Tensor &x) { return x; };
}

torch::Tensor VisionTransformer::patches(const torch::Tensor &pixelValues) const
{
    const QString input = QStringLiteral("input");
    if (!pixelValues.defined())
        throw InputError(input, QStringLiteral("no pixel values (this is a vision model)"));
    const int64_t channels = m_patchWeight.size(1);
    if (pixelValues.dim() != 3 || pixelValues.size(0) != channels)
        throw InputError(input, QStringLiteral("pixel values must have shape [%1, height, width], not %2")
                                    .arg(channels).arg(QString::fromStdString(c10::str(pixelValues.sizes()))));
    if (pixelValues.size(1) < m_patchSize || pixelValues.size(2) < m_patchSize)
        throw InputError(input, QStringLiteral("image of %1×%2 pixels is smaller than one %3-pixel patch")
                                    .arg(pixelValues.size(2)).arg(pixelValues.size(1)).arg(m_patchSize));
    if (!pixelValues.is_floating_point())
        throw InputError(input, QStringLiteral("pixel values must be floating point"));
    const torch::Tensor image = pixelValues.to(torch::kFloat).unsqueeze(0);
    return torch::conv2d(image, m_patchWeight, m_patchBias, m_patchSize)[0].permute({1, 2, 0});
}

torch::Tensor VisionTransformer::positions(int64_t rows, int64_t cols) const
{
    if (rows == m_gridSide && cols == m_gridSide)
        return m_positionEmbeddings;
    const int64_t extra = m_leadingTokens.size(0);
    const int64_t d = m_positionEmbeddings.size(1);
    const torch::Tensor grid = m_positionEmbeddings.slice(0, extra)
                                   .reshape({1, m_gridSide, m_gridSide, d}).permute({0, 3, 1, 2});
    namespace F = torch::nn::functional;
    const torch::Tensor resized = F::interpolate(grid, F::InterpolateFuncOptions()
                                                           .size(std::vector<int64_t>{rows, cols})
                                                           .mode(torch::kBicubic)
                                                           .align_corners(false)
                                                           .antialias(m_antialiasPositions));
    return torch::cat({m_positionEmbeddings.slice(0, 0, extra),
                       resized[0].permute({1, 2, 0}).reshape({rows * cols, d})});
}

torch::Tensor VisionTransformer::forward(const ModelInput &input, const AttentionPlan &plan,
                                         AttentionRecorder *recorder) const
{
    const GradientScope gradients(input);
    checkHeadGates(input, m_info);
    const torch::Tensor grid = patches(input.pixelValues);
    const int64_t rows = grid.size(0), cols = grid.size(1);
    torch::Tensor x = torch::cat({m_leadingTokens, grid.reshape({rows * cols, -1})}) + positions(rows, cols);
    if (m_registers.defined())
        x = torch::cat({x.slice(0, 0, 1), m_registers, x.slice(0, 1)});
    return m_head(m_finalNorm(m_encoder->forward(x, {}, input, plan, recorder)));
}

} // namespace

EncoderLayerNames vitLayerNames()
{
    return {"attention.attention.query", "attention.attention.key", "attention.attention.value",
            "attention.output.dense", "layernorm_before", "intermediate.dense", "output.dense",
            "layernorm_after"};
}

std::unique_ptr<Model> loadVit(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    return std::make_unique<VisionTransformer>(modelDir, config, source);
}

} // namespace attnscope
