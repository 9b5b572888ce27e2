#pragma once
// A recorder that reports each layer as the forward pass reaches it and stops the pass when
// asked (by throwing ForwardCancelled from the layer hook), forwarding everything else to
// the recorder that keeps the attention. Lets workers show progress and honour Cancel.

#include <atomic>
#include <functional>
#include <stdexcept>

#include "core/capture/attention_recorder.h"

namespace attnscope {

struct ForwardCancelled : std::runtime_error {
    ForwardCancelled() : std::runtime_error("forward pass cancelled") {}
};

class ProgressRecorder : public AttentionRecorder {
public:
    // layerStarted(layer, layers) runs on the forward pass's thread.
    ProgressRecorder(AttentionRecorder &inner, const std::atomic<bool> &cancelled,
                     std::function<void(int, int)> layerStarted);

    void beginForward(int64_t layers, int64_t heads, int64_t queries, int64_t keys) override;
    void recordLayer(const AttentionInputs &inputs, const AttentionPlan &plan) override;
    bool wantsProbabilities(int layer) const override;
    void recordRows(int layer, int64_t rowBegin, const torch::Tensor &probabilities) override;
    void recordNormalizers(int layer, int64_t rowBegin, const torch::Tensor &rowMax,
                           const torch::Tensor &rowSum) override;

private:
    void checkCancelled() const;

    AttentionRecorder &m_inner;
    const std::atomic<bool> &m_cancelled;
    std::function<void(int, int)> m_layerStarted;
    int m_layers = 0;
};

} // namespace attnscope
