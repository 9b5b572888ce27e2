#include "core/models/sampling.h"

#include <cmath>
#include <stdexcept>

#include <torch/torch.h>

namespace attnscope {

namespace {

void checkSettings(const SamplingSettings &settings)
{
    const QString problem = samplingProblem(settings);
    if (!problem.isEmpty())
        throw std::invalid_argument(problem.toStdString());
}

torch::Tensor renormalized(const torch::Tensor &probabilities)
{
    return probabilities / probabilities.sum();
}

// A uniform number in [0, 1) from the engine's top 53 bits: the same on every standard library,
// unlike std::uniform_real_distribution.
double uniform(std::mt19937_64 &engine)
{
    return double(engine() >> 11) * 0x1.0p-53;
}

} // namespace

QString samplingProblem(const SamplingSettings &settings)
{
    if (settings.greedy)
        return {};
    if (!(settings.temperature > 0) || !std::isfinite(settings.temperature))
        return QStringLiteral("temperature must be a number above 0, not %1").arg(settings.temperature);
    if (settings.topK < 0)
        return QStringLiteral("top-k must be 0 (all tokens) or more, not %1").arg(settings.topK);
    if (!(settings.topP > 0 && settings.topP <= 1))
        return QStringLiteral("top-p must be in (0, 1], not %1").arg(settings.topP);
    return {};
}

torch::Tensor samplingDistribution(const torch::Tensor &logits, const SamplingSettings &settings)
{
    SamplingSettings sampled = settings;
    sampled.greedy = false;
    checkSettings(sampled);
    const torch::Tensor scores = logits.detach().to(torch::kFloat64).flatten() / settings.temperature;
    torch::Tensor probabilities = torch::softmax(scores, 0);
    if (settings.topK > 0 && settings.topK < scores.numel()) {
        const torch::Tensor kth = std::get<0>(scores.topk(settings.topK)).min();
        probabilities = renormalized(probabilities.masked_fill(scores < kth, 0));
    }
    if (settings.topP < 1) {
        const auto [sorted, order] = probabilities.sort(0, /*descending=*/true);
        // A token stays while the more likely ones before it hold less than p.
        const torch::Tensor before = torch::cat({torch::zeros({1}, sorted.options()), sorted.cumsum(0).slice(0, 0, -1)});
        const torch::Tensor dropped = torch::zeros_like(probabilities, torch::kBool)
                                          .index_put_({order}, before >= settings.topP);
        probabilities = renormalized(probabilities.masked_fill(dropped, 0));
    }
    return probabilities;
}

TokenSampler::TokenSampler(const SamplingSettings &settings)
    : m_settings(settings), m_engine(settings.seed)
{
    checkSettings(settings);
}

int64_t TokenSampler::next(const torch::Tensor &logits)
{
    if (m_settings.greedy)
        return logits.argmax().item<int64_t>();
    const torch::Tensor probabilities = samplingDistribution(logits, m_settings).contiguous();
    const double *p = probabilities.data_ptr<double>();
    const double u = uniform(m_engine);
    double cumulative = 0;
    int64_t last = -1;
    for (int64_t token = 0; token < probabilities.numel(); ++token) {
        if (p[token] <= 0)
            continue;
        last = token;
        cumulative += p[token];
        if (u < cumulative)
            return token;
    }
    return last; // u beyond a sum that rounding left just under 1
}

} // namespace attnscope
