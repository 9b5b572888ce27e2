#include "core/models/common/linear.h"

#include <torch/torch.h>

#include "core/io/input_error.h"

namespace attnscope {

namespace {
// Weights wider than this in fp32 (an LM head over 128k words) are widened in row blocks.
constexpr int64_t kWidenedBlockBytes = int64_t(64) << 20;
} // namespace

torch::Tensor Linear::operator()(const torch::Tensor &x) const
{
    if (weight.scalar_type() == x.scalar_type())
        return torch::linear(x, weight, bias);
    const int64_t out = weight.size(0);
    const int64_t blockRows = std::max<int64_t>(1, kWidenedBlockBytes / (weight.size(1) * x.element_size()));
    if (out <= blockRows)
        return torch::linear(x, weight.to(x.scalar_type()), bias);
    // Each output column is the same dot product whichever block its row is widened in.
    std::vector<torch::Tensor> blocks;
    for (int64_t begin = 0; begin < out; begin += blockRows) {
        const int64_t rows = std::min(blockRows, out - begin);
        blocks.push_back(torch::linear(x, weight.narrow(0, begin, rows).to(x.scalar_type()),
                                       bias.defined() ? bias.narrow(0, begin, rows) : torch::Tensor()));
    }
    return torch::cat(blocks, -1);
}

torch::Tensor embeddingRows(const torch::Tensor &table, const torch::Tensor &ids)
{
    // A tokenizer whose ids pass the table (vocab_size smaller than its vocabulary) is the
    // input's fault: one line, not LibTorch's "index out of range".
    if (ids.numel() > 0) {
        const int64_t lowest = ids.min().item<int64_t>(), highest = ids.max().item<int64_t>();
        if (lowest < 0 || highest >= table.size(0))
            throw InputError(QStringLiteral("config.json"),
                             QStringLiteral("token id %1 is past the %2 rows of the model's embedding table "
                                            "(vocab_size is smaller than the tokenizer's vocabulary)")
                                 .arg(lowest < 0 ? lowest : highest).arg(table.size(0)));
    }
    return table.index_select(0, ids).to(torch::kFloat32);
}

} // namespace attnscope
