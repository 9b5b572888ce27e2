#pragma once
// A long head the way an AttentionRecord beyond its dense budget serves it: random q, k
// (d = 64) with each row's log-sum-exp, cells recomputed as exp(q·kᵀ·scale − logsumexp).

#include <cmath>

#include <torch/torch.h>

#include "viz/tile_source.h"

namespace attnscope {

constexpr int64_t kHeadDim = 64;

// Random q, k of one head with the per-row log-sum-exp a record keeps beside them.
struct RecomputedHead {
    torch::Tensor q, k, logSumExp;
    double scale = 1.0 / std::sqrt(double(kHeadDim));

    explicit RecomputedHead(int64_t tokens)
    {
        torch::manual_seed(1);
        q = torch::randn({tokens, kHeadDim});
        k = torch::randn({tokens, kHeadDim});
        logSumExp = torch::empty({tokens});
        for (int64_t r = 0; r < tokens; r += 256) {
            const int64_t end = std::min(tokens, r + 256);
            logSumExp.slice(0, r, end).copy_(torch::logsumexp(q.slice(0, r, end).matmul(k.t()) * scale, 1));
        }
    }

    TileSource source() const
    {
        return [this](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
            const torch::Tensor scores = q.slice(0, r0, r1).matmul(k.slice(0, c0, c1).t()) * scale;
            return (scores - logSumExp.slice(0, r0, r1).unsqueeze(1)).exp_();
        };
    }
};

} // namespace attnscope
