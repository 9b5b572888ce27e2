#pragma once
// Classical (Torgerson) multidimensional scaling: B = −½·J·D²·J with J = I − 11ᵀ/n, and the
// coordinates are the top eigenvectors of B scaled by the square roots of their eigenvalues.

#include <torch/types.h>

namespace attnscope {

// [n, dimensions] float64 coordinates for the symmetric distance matrix `distances` [n, n].
// Axes whose eigenvalue is not positive are zero. Each axis is signed so that its largest
// coordinate (in magnitude) is positive, so results are reproducible.
torch::Tensor classicalMds(const torch::Tensor &distances, int64_t dimensions = 2);

} // namespace attnscope
