#include "core/models/common/rotary_embedding.h"

#include <cmath>

#include <QJsonArray>
#include <torch/torch.h>

#include "core/io/model_config.h"

namespace attnscope {

namespace {

torch::Tensor defaultFrequencies(double theta, int64_t dim)
{
    const torch::Tensor exponents = torch::arange(0, dim, 2, torch::kInt64).to(torch::kFloat32) / double(dim);
    return 1.0 / torch::pow(theta, exponents);
}

// Llama 3.1: long wavelengths slowed by `factor`, short ones kept, a smooth blend between.
torch::Tensor llama3Frequencies(const torch::Tensor &frequencies, const ModelConfig &config,
                                const QJsonObject &scaling)
{
    const auto field = [&](const char *name) {
        const QJsonValue value = scaling.value(QLatin1String(name));
        if (!value.isDouble())
            config.fail(QStringLiteral("rope_scaling of type llama3 needs a number '%1'").arg(QLatin1String(name)));
        return value.toDouble();
    };
    const double factor = field("factor");
    const double lowFactor = field("low_freq_factor");
    const double highFactor = field("high_freq_factor");
    const double original = field("original_max_position_embeddings");
    if (highFactor == lowFactor)
        config.fail(QStringLiteral("rope_scaling llama3 needs low_freq_factor != high_freq_factor"));
    const double lowWavelength = original / lowFactor;
    const double highWavelength = original / highFactor;
    const torch::Tensor wavelength = 2 * M_PI / frequencies;
    torch::Tensor scaled = torch::where(wavelength > lowWavelength, frequencies / factor, frequencies);
    const torch::Tensor smooth = (original / wavelength - lowFactor) / (highFactor - lowFactor);
    const torch::Tensor smoothed = (1 - smooth) * scaled / factor + smooth * scaled;
    const torch::Tensor medium = wavelength.ge(highWavelength) & wavelength.le(lowWavelength);
    return torch::where(medium, smoothed, scaled);
}

// transformers' rotate_half: [x1, x2] → [-x2, x1] over the two halves of the last dim.
torch::Tensor rotateHalf(const torch::Tensor &x)
{
    const int64_t half = x.size(-1) / 2;
    return torch::cat({-x.slice(-1, half), x.slice(-1, 0, half)}, -1);
}

} // namespace

RotarySettings RotarySettings::fromConfig(const ModelConfig &config)
{
    RotarySettings settings;
    settings.theta = config.number(QStringLiteral("rope_theta"), 10000.0);
    settings.partialFactor = config.number(QStringLiteral("partial_rotary_factor"), 1.0);
    settings.scaling = config.object(QStringLiteral("rope_scaling"));
    return settings;
}

RotaryEmbedding::RotaryEmbedding(const ModelConfig &config, int64_t headDim)
    : RotaryEmbedding(config, headDim, RotarySettings::fromConfig(config))
{
}

RotaryEmbedding::RotaryEmbedding(const ModelConfig &config, int64_t headDim, const RotarySettings &settings)
{
    const double partial = settings.partialFactor;
    m_rotaryDim = int64_t(double(headDim) * partial);
    if (m_rotaryDim <= 0 || m_rotaryDim > headDim || m_rotaryDim % 2 != 0)
        config.fail(QStringLiteral("rotary dimension %1 (head_dim %2 × partial rotary factor %3) must be even and within the head")
                        .arg(m_rotaryDim).arg(headDim).arg(partial));
    m_theta = settings.theta;
    m_maxPositions = config.integer(QStringLiteral("max_position_embeddings"), 2048);
    m_inverseFrequencies = defaultFrequencies(m_theta, m_rotaryDim);

    const QJsonObject &scaling = settings.scaling;
    if (scaling.isEmpty())
        return;
    QString type = scaling.value(QStringLiteral("rope_type")).toString();
    if (type.isEmpty())
        type = scaling.value(QStringLiteral("type")).toString();
    const double factor = scaling.value(QStringLiteral("factor")).toDouble(1.0);
    if (type == QLatin1String("default"))
        return;
    if (type != QLatin1String("llama3") && type != QLatin1String("longrope") && factor <= 0)
        config.fail(QStringLiteral("rope_scaling factor must be positive"));
    if (type == QLatin1String("linear"))
        m_inverseFrequencies = m_inverseFrequencies / factor;
    else if (type == QLatin1String("dynamic"))
        m_dynamicFactor = factor;
    else if (type == QLatin1String("llama3"))
        m_inverseFrequencies = llama3Frequencies(m_inverseFrequencies, config, scaling);
    else if (type == QLatin1String("longrope"))
        readLongRope(config, scaling);
    else
        config.fail(QStringLiteral("rope_scaling type '%1' is not supported (supported: default, linear, dynamic, llama3, longrope)")
                        .arg(type));
}

// transformers' _compute_longrope_parameters: frequencies divided by per-dimension factors
// (short ones within the original context, long ones beyond), and cos/sin scaled by
// sqrt(1 + ln(factor) / ln(original)) unless attention_factor says otherwise.
void RotaryEmbedding::readLongRope(const ModelConfig &config, const QJsonObject &scaling)
{
    const auto factors = [&](const char *name) {
        const QJsonArray values = scaling.value(QLatin1String(name)).toArray();
        if (values.size() != m_rotaryDim / 2)
            config.fail(QStringLiteral("rope_scaling longrope needs '%1' with %2 numbers (rotary dimension / 2)")
                            .arg(QLatin1String(name)).arg(m_rotaryDim / 2));
        std::vector<float> numbers;
        for (const QJsonValue &value : values)
            numbers.push_back(float(value.toDouble()));
        const torch::Tensor exponents = torch::arange(0, m_rotaryDim, 2, torch::kInt64).to(torch::kFloat32) / double(m_rotaryDim);
        return 1.0 / (torch::tensor(numbers) * torch::pow(m_theta, exponents));
    };
    m_inverseFrequencies = factors("short_factor");
    m_longFrequencies = factors("long_factor");
    const QString originalField = QStringLiteral("original_max_position_embeddings");
    m_originalPositions = scaling.contains(originalField)
        ? int64_t(scaling.value(originalField).toDouble())
        : config.integer(originalField, m_maxPositions);
    if (m_originalPositions <= 0)
        config.fail(QStringLiteral("original_max_position_embeddings must be positive for longrope"));
    const double factor = scaling.contains(QStringLiteral("factor"))
        ? scaling.value(QStringLiteral("factor")).toDouble()
        : double(m_maxPositions) / double(m_originalPositions);
    m_attentionScaling = scaling.contains(QStringLiteral("attention_factor"))
        ? scaling.value(QStringLiteral("attention_factor")).toDouble()
        : factor <= 1.0 ? 1.0 : std::sqrt(1 + std::log(factor) / std::log(double(m_originalPositions)));
}

torch::Tensor RotaryEmbedding::frequenciesFor(int64_t length) const
{
    if (m_longFrequencies.defined())
        return length > m_originalPositions ? m_longFrequencies : m_inverseFrequencies;
    if (m_dynamicFactor <= 0 || length <= m_maxPositions)
        return m_inverseFrequencies;
    const double dim = double(m_rotaryDim);
    const double base = m_theta * std::pow(m_dynamicFactor * double(length) / double(m_maxPositions)
                                               - (m_dynamicFactor - 1),
                                           dim / (dim - 2));
    return defaultFrequencies(base, m_rotaryDim);
}

torch::Tensor RotaryEmbedding::apply(const torch::Tensor &x, const torch::Tensor &positions) const
{
    const int64_t length = positions.max().item<int64_t>() + 1;
    const torch::Tensor angles = torch::outer(positions.to(torch::kFloat32), frequenciesFor(length));
    const torch::Tensor both = torch::cat({angles, angles}, -1);
    const torch::Tensor cos = (both.cos() * m_attentionScaling).to(x.dtype());
    const torch::Tensor sin = (both.sin() * m_attentionScaling).to(x.dtype());
    if (m_rotaryDim == x.size(-1))
        return x * cos + rotateHalf(x) * sin;
    const torch::Tensor rotary = x.slice(-1, 0, m_rotaryDim);
    return torch::cat({rotary * cos + rotateHalf(rotary) * sin, x.slice(-1, m_rotaryDim)}, -1);
}

} // namespace attnscope
