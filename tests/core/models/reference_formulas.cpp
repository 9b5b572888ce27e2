#include "reference_formulas.h"

#include <cmath>
#include <limits>

namespace attnscope::test::reference {

torch::Tensor rmsNorm(const torch::Tensor &x, const torch::Tensor &weight, double eps, bool gemma)
{
    const torch::Tensor normalized = x * torch::rsqrt(x.pow(2).mean(-1, true) + eps);
    return normalized * (gemma ? weight + 1.0 : weight);
}

torch::Tensor layerNorm(const torch::Tensor &x, const torch::Tensor &weight, const torch::Tensor &bias, double eps)
{
    const torch::Tensor centered = x - x.mean(-1, true);
    const torch::Tensor variance = centered.pow(2).mean(-1, true);
    return centered / torch::sqrt(variance + eps) * weight + bias;
}

torch::Tensor linear(const torch::Tensor &x, const torch::Tensor &weight, const torch::Tensor &bias)
{
    const torch::Tensor y = torch::matmul(x, weight.t());
    return bias.defined() ? y + bias : y;
}

torch::Tensor geluTanh(const torch::Tensor &x)
{
    return 0.5 * x * (1 + torch::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x.pow(3))));
}

torch::Tensor geluExact(const torch::Tensor &x)
{
    return 0.5 * x * (1 + torch::erf(x / std::sqrt(2.0)));
}

torch::Tensor silu(const torch::Tensor &x)
{
    return x / (1 + torch::exp(-x));
}

torch::Tensor heads(const torch::Tensor &rowsIn, int64_t count)
{
    return rowsIn.reshape({rowsIn.size(0), count, -1}).permute({1, 0, 2});
}

torch::Tensor rows(const torch::Tensor &perHead)
{
    return perHead.permute({1, 0, 2}).reshape({perHead.size(1), -1});
}

torch::Tensor inverseFrequencies(double theta, int64_t dim)
{
    const torch::Tensor exponents = torch::arange(0, dim, 2, torch::kInt64).to(torch::kFloat) / double(dim);
    return 1.0 / torch::pow(theta, exponents);
}

torch::Tensor rope(const torch::Tensor &x, const torch::Tensor &invFreq, double attentionScaling)
{
    const int64_t length = x.size(1), rotary = 2 * invFreq.size(0);
    const torch::Tensor angles = torch::arange(length, torch::kFloat).unsqueeze(1) * invFreq.unsqueeze(0);
    const torch::Tensor doubled = torch::cat({angles, angles}, -1);
    const torch::Tensor cos = doubled.cos() * attentionScaling, sin = doubled.sin() * attentionScaling;
    const torch::Tensor turned = x.narrow(-1, 0, rotary);
    const torch::Tensor half1 = turned.narrow(-1, 0, rotary / 2), half2 = turned.narrow(-1, rotary / 2, rotary / 2);
    const torch::Tensor rotatedHalf = torch::cat({-half2, half1}, -1);
    return torch::cat({turned * cos + rotatedHalf * sin, x.narrow(-1, rotary, x.size(-1) - rotary)}, -1);
}

Attention attend(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v, double scale,
                 double softCap, int64_t window, bool causal)
{
    const int64_t groups = q.size(0) / k.size(0), length = q.size(1);
    const torch::Tensor keys = k.repeat_interleave(groups, 0), values = v.repeat_interleave(groups, 0);
    torch::Tensor scores = torch::matmul(q, keys.transpose(1, 2)) * scale;
    if (softCap > 0)
        scores = torch::tanh(scores / softCap) * softCap;
    const torch::Tensor i = torch::arange(length).unsqueeze(1), j = torch::arange(length).unsqueeze(0);
    torch::Tensor hidden = causal ? j > i : torch::zeros({length, length}, torch::kBool);
    if (window > 0)
        hidden = hidden | ((i - j) >= window);
    scores = scores.masked_fill(hidden, -std::numeric_limits<float>::infinity());
    Attention result;
    result.probabilities = torch::softmax(scores, -1);
    result.output = rows(torch::matmul(result.probabilities, values));
    return result;
}

} // namespace attnscope::test::reference
