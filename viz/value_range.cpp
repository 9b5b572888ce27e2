#include "viz/value_range.h"

#include <torch/torch.h>

namespace attnscope {

namespace {

// The finite, unmasked values, flattened.
torch::Tensor visibleValues(const torch::Tensor &values, const torch::Tensor &masked)
{
    torch::Tensor keep = torch::isfinite(values);
    if (masked.defined())
        keep = keep & masked.logical_not();
    return values.masked_select(keep).to(torch::kDouble);
}

} // namespace

ValueRange dataRange(const torch::Tensor &values, const torch::Tensor &masked)
{
    const torch::Tensor visible = visibleValues(values, masked);
    if (visible.numel() == 0)
        return {};
    return {visible.min().item<double>(), visible.max().item<double>()};
}

ValueRange symmetricRange(const torch::Tensor &values, const torch::Tensor &masked)
{
    const torch::Tensor visible = visibleValues(values, masked);
    if (visible.numel() == 0)
        return {-1.0, 1.0};
    const double m = visible.abs().max().item<double>();
    return {-m, m};
}

torch::Tensor normalizeRows(const torch::Tensor &values, const torch::Tensor &masked)
{
    if (values.numel() == 0)
        return values.to(torch::kFloat);
    torch::Tensor magnitude = values.to(torch::kFloat).abs().nan_to_num(0.0, 0.0, 0.0);
    if (masked.defined())
        magnitude = magnitude.masked_fill(masked, 0.0);
    torch::Tensor rowMax = std::get<0>(magnitude.max(-1, true));
    rowMax = torch::where(rowMax > 0, rowMax, torch::ones_like(rowMax));
    return values.to(torch::kFloat) / rowMax;
}

} // namespace attnscope
