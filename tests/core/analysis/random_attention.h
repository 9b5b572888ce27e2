#pragma once
// Random row-stochastic attention for the analysis tests, and a tensor ↔ nested-vector bridge
// so the references can be written as plain loops.

#include <vector>

#include <torch/torch.h>

using Matrix = std::vector<std::vector<double>>;

// [L, H, T, T] softmax of seeded random scores; `causal` masks keys after the query.
inline torch::Tensor randomAttention(int64_t layers, int64_t heads, int64_t tokens, bool causal,
                                     uint64_t seed, double sharpness = 2.0)
{
    torch::manual_seed(seed);
    torch::Tensor scores = sharpness * torch::randn({layers, heads, tokens, tokens}, torch::kFloat64);
    if (causal)
        scores.masked_fill_(torch::ones({tokens, tokens}, torch::kBool).triu(1), -INFINITY);
    return scores.softmax(-1);
}

inline Matrix toMatrix(const torch::Tensor &tensor)
{
    const torch::Tensor values = tensor.to(torch::kFloat64).contiguous();
    Matrix matrix(values.size(0), std::vector<double>(values.size(1)));
    for (int64_t i = 0; i < values.size(0); ++i)
        for (int64_t j = 0; j < values.size(1); ++j)
            matrix[i][j] = values[i][j].item<double>();
    return matrix;
}

inline double maxDifference(const Matrix &a, const Matrix &b)
{
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = 0; j < a[i].size(); ++j)
            worst = std::max(worst, std::abs(a[i][j] - b[i][j]));
    return worst;
}
