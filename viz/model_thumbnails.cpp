#include "viz/model_thumbnails.h"

#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "viz/pyramid_geometry.h"

namespace attnscope {

namespace {

// One block row: [rows, S] → [ceil(S / block)], pooled over whole column blocks (the last
// one holds what is left; a mean divides by the cells it holds).
torch::Tensor poolStrip(const torch::Tensor &strip, int64_t block, Pooling pooling)
{
    const int64_t cols = strip.size(1);
    const int64_t blocks = ceilDiv(cols, block);
    const int64_t padding = blocks * block - cols;
    if (pooling == Pooling::Max) {
        const torch::Tensor peaks = strip.amax(0);
        return torch::constant_pad_nd(peaks, {0, padding}, -std::numeric_limits<double>::infinity())
            .view({blocks, block}).amax(1);
    }
    const torch::Tensor sums = torch::constant_pad_nd(strip.sum(0), {0, padding}, 0).view({blocks, block}).sum(1);
    torch::Tensor counts = torch::full({blocks}, double(block * strip.size(0)), sums.options());
    counts[blocks - 1] = double((block - padding) * strip.size(0));
    return sums / counts;
}

} // namespace

int thumbnailLevel(int64_t rows, int64_t cols, int64_t maxSide)
{
    int level = 0;
    while (ceilDiv(std::max(rows, cols), PyramidGeometry::blockSize(level)) > maxSide)
        ++level;
    return level;
}

ModelThumbnails computeModelThumbnails(const AttentionRecord &record, const ThumbnailPass &pass)
{
    const int64_t L = record.layers(), H = record.heads(), T = record.queries(), S = record.keys();
    ModelThumbnails result;
    result.pooling = pass.pooling;
    result.level = thumbnailLevel(T, S, pass.maxSide);
    const int64_t block = PyramidGeometry::blockSize(result.level);
    const int64_t rows = ceilDiv(T, block), cols = ceilDiv(S, block);
    const auto options = torch::TensorOptions(torch::kFloat);
    torch::Tensor heads = torch::empty({L, H, rows, cols}, options);
    torch::Tensor layerMeans = torch::empty({L, rows, cols}, options);
    torch::Tensor headMeans = torch::empty({H, rows, cols}, options);
    torch::Tensor entropy = torch::zeros({L, H}, torch::kDouble);
    // A mean of means pools like the means' own pooling (the blocks are the same cells); a max
    // does not, so max pooling averages the exact strips before pooling them.
    const bool poolAverages = pass.pooling == Pooling::Max;
    for (int64_t r = 0; r < rows; ++r) {
        if (pass.shouldStop && pass.shouldStop())
            return {};
        const int64_t r0 = r * block, r1 = std::min(T, r0 + block);
        torch::Tensor layerSum, headSums;
        if (poolAverages)
            headSums = torch::zeros({H, r1 - r0, S}, options);
        for (int64_t l = 0; l < L; ++l) {
            if (poolAverages)
                layerSum = torch::zeros({r1 - r0, S}, options);
            for (int64_t h = 0; h < H; ++h) {
                const torch::Tensor strip = record.tile(int(l), int(h), r0, r1, 0, S).to(torch::kFloat);
                heads[l][h][r].copy_(poolStrip(strip, block, pass.pooling));
                // 0 · log 0 = 0: masked and underflowed weights add nothing.
                entropy[l][h] += -(strip * strip.clamp_min(std::numeric_limits<float>::min()).log2()).sum().item<double>();
                if (poolAverages) {
                    layerSum += strip;
                    headSums[h] += strip;
                }
            }
            if (poolAverages)
                layerMeans[l][r].copy_(poolStrip(layerSum / double(H), block, pass.pooling));
        }
        for (int64_t h = 0; poolAverages && h < H; ++h)
            headMeans[h][r].copy_(poolStrip(headSums[h] / double(L), block, pass.pooling));
        if (pass.progress)
            pass.progress(r + 1, rows);
    }
    if (!poolAverages) {
        layerMeans = heads.mean(1);
        headMeans = heads.mean(0);
    }
    result.heads = heads;
    result.layerMeans = layerMeans;
    result.headMeans = headMeans;
    result.entropy = entropy / double(T);
    return result;
}

} // namespace attnscope
