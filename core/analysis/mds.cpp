#include "core/analysis/mds.h"

#include <torch/torch.h>

#include "core/io/input_error.h"

namespace attnscope {

torch::Tensor classicalMds(const torch::Tensor &distances, int64_t dimensions)
{
    if (!distances.defined() || distances.dim() != 2 || distances.size(0) != distances.size(1))
        throw InputError(QStringLiteral("MDS"), QStringLiteral("distances must be a square matrix"));
    const torch::Tensor d = distances.to(torch::kFloat64);
    if (!torch::isfinite(d).all().item<bool>())
        throw InputError(QStringLiteral("MDS"), QStringLiteral("distances hold NaN or infinite values"));
    const int64_t n = d.size(0);
    const torch::Tensor centering = torch::eye(n, torch::kFloat64) - 1.0 / double(n);
    const torch::Tensor b = -0.5 * centering.matmul(d.square()).matmul(centering);
    const auto [eigenvalues, eigenvectors] = torch::linalg_eigh(0.5 * (b + b.t()));
    torch::Tensor coordinates = torch::zeros({n, dimensions}, torch::kFloat64);
    for (int64_t axis = 0; axis < std::min(dimensions, n); ++axis) {
        const int64_t column = n - 1 - axis; // eigh sorts eigenvalues ascending
        const double value = eigenvalues[column].item<double>();
        if (value <= 0)
            continue;
        torch::Tensor coordinate = eigenvectors.select(1, column) * std::sqrt(value);
        if (coordinate[coordinate.abs().argmax()].item<double>() < 0)
            coordinate = -coordinate;
        coordinates.select(1, axis).copy_(coordinate);
    }
    return coordinates;
}

} // namespace attnscope
