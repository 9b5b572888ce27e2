#include "core/models/common/rotary_embedding.h"

#include <cmath>

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

RotaryEmbedding::RotaryEmbedding(const ModelConfig &config, int64_t headDim)
{
    const double partial = config.number(QStringLiteral("partial_rotary_factor"), 1.0);
    m_rotaryDim = int64_t(double(headDim) * partial);
    if (m_rotaryDim <= 0 || m_rotaryDim > headDim || m_rotaryDim % 2 != 0)
        config.fail(QStringLiteral("rotary dimension %1 (head_dim %2 × partial_rotary_factor %3) must be even and within the head")
                        .arg(m_rotaryDim).arg(headDim).arg(partial));
    m_theta = config.number(QStringLiteral("rope_theta"), 10000.0);
    m_maxPositions = config.integer(QStringLiteral("max_position_embeddings"), 2048);
    m_inverseFrequencies = defaultFrequencies(m_theta, m_rotaryDim);

    const QJsonObject scaling = config.object(QStringLiteral("rope_scaling"));
    if (scaling.isEmpty())
        return;
    QString type = scaling.value(QStringLiteral("rope_type")).toString();
    if (type.isEmpty())
        type = scaling.value(QStringLiteral("type")).toString();
    const double factor = scaling.value(QStringLiteral("factor")).toDouble(1.0);
    if (type == QLatin1String("default"))
        return;
    if (type != QLatin1String("llama3") && factor <= 0)
        config.fail(QStringLiteral("rope_scaling factor must be positive"));
    if (type == QLatin1String("linear"))
        m_inverseFrequencies = m_inverseFrequencies / factor;
    else if (type == QLatin1String("dynamic"))
        m_dynamicFactor = factor;
    else if (type == QLatin1String("llama3"))
        m_inverseFrequencies = llama3Frequencies(m_inverseFrequencies, config, scaling);
    else
        config.fail(QStringLiteral("rope_scaling type '%1' is not supported (supported: default, linear, dynamic, llama3)")
                        .arg(type));
}

torch::Tensor RotaryEmbedding::frequenciesFor(int64_t length) const
{
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
    const torch::Tensor cos = both.cos().to(x.dtype());
    const torch::Tensor sin = both.sin().to(x.dtype());
    if (m_rotaryDim == x.size(-1))
        return x * cos + rotateHalf(x) * sin;
    const torch::Tensor rotary = x.slice(-1, 0, m_rotaryDim);
    return torch::cat({rotary * cos + rotateHalf(rotary) * sin, x.slice(-1, m_rotaryDim)}, -1);
}

} // namespace attnscope
