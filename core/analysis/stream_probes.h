#pragma once
// The forward probes the analyses beyond the weights share (logit lens, value norms, direct
// logit attribution, activation patching): one that keeps what a pass carried, one that
// patches a clean pass's heads and residual positions into another, and the checks of the
// token options they take.

#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <torch/types.h>

#include "core/analysis/analysis.h"
#include "core/models/common/layer_norm.h"
#include "core/models/common/linear.h"
#include "core/models/forward_probe.h"

namespace attnscope {

// One attention layer as captured: per-head outputs, the values, the output projection.
struct CapturedHeads {
    torch::Tensor perHead; // [H, T, dv]
    torch::Tensor values;  // [Hkv, S, dv]
    Linear output;
    std::optional<LayerNorm> normAfter; // post-norm encoders
};

// Keeps the residual stream (L + 1 entries), each layer's heads and each MLP's output.
class StreamCapture : public ForwardProbe {
public:
    torch::Tensor residual(int index, const torch::Tensor &stream) override;
    torch::Tensor heads(const HeadOutputs &outputs) override;
    void mlp(int layer, const torch::Tensor &added) override;

    std::vector<torch::Tensor> residuals;
    std::vector<CapturedHeads> layers;
    std::vector<torch::Tensor> mlps;
};

// Replaces chosen head outputs (layer, head) and residual rows (stream index, position) of
// the pass with those of a clean pass.
class PatchProbe : public ForwardProbe {
public:
    explicit PatchProbe(const StreamCapture &clean) : m_clean(clean) {}
    std::set<std::pair<int, int64_t>> headsToPatch;     // (layer, head)
    std::set<std::pair<int, int64_t>> residualsToPatch; // (stream index, position)

    torch::Tensor residual(int index, const torch::Tensor &stream) override;
    torch::Tensor heads(const HeadOutputs &outputs) override;

private:
    const StreamCapture &m_clean;
};

// Runs the context's model on `input` with `probe`, no gradients: logits as float64.
torch::Tensor probedLogits(const Model &model, ModelInput input, ForwardProbe &probe);

// Each head's write into the residual stream, perHead through its slice of W_O (no b_O):
// [H, T or S, hidden] for per-row vectors [H, T or S, dv] (values repeated over KV groups).
torch::Tensor throughOutput(const torch::Tensor &perHead, const Linear &output);

// The context's input ids [T], or an InputError naming `analysis`.
torch::Tensor contextIds(const AnalysisContext &context, const QString &analysis);
// The id of option `name`'s text, which must encode to exactly one token.
int64_t singleToken(const AnalysisContext &context, const QString &analysis, const QString &name,
                    const QString &text);

} // namespace attnscope
