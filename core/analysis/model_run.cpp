#include "core/analysis/model_run.h"

#include <torch/torch.h>

#include "core/capture/attention_recorder.h"

namespace attnscope {

namespace {

// Keeps every probability row the kernel hands over, in one [L, H, T, S] tensor.
class DenseCapture : public AttentionRecorder {
public:
    void beginForward(int64_t layers, int64_t heads, int64_t queries, int64_t keys) override
    {
        attention = torch::zeros({layers, heads, queries, keys}, torch::kFloat64);
    }
    void recordLayer(const AttentionInputs &, const AttentionPlan &) override {}
    bool wantsProbabilities(int) const override { return true; }
    void recordRows(int layer, int64_t rowBegin, const torch::Tensor &probabilities) override
    {
        attention[layer].narrow(1, rowBegin, probabilities.size(1)).copy_(probabilities.detach());
    }

    torch::Tensor attention;
};

} // namespace

RecordedRun runWithAttention(const Model &model, const ModelInput &input, const AttentionPlan &plan)
{
    DenseCapture capture;
    RecordedRun run;
    run.logits = model.forward(input, plan, &capture);
    run.attention = capture.attention;
    return run;
}

} // namespace attnscope
