#include "core/capture/progress_recorder.h"

namespace attnscope {

ProgressRecorder::ProgressRecorder(AttentionRecorder &inner, const std::atomic<bool> &cancelled,
                                   std::function<void(int, int)> layerStarted)
    : m_inner(inner), m_cancelled(cancelled), m_layerStarted(std::move(layerStarted))
{
}

void ProgressRecorder::checkCancelled() const
{
    if (m_cancelled.load())
        throw ForwardCancelled();
}

void ProgressRecorder::beginForward(int64_t layers, int64_t heads, int64_t queries, int64_t keys)
{
    checkCancelled();
    m_layers = int(layers);
    m_inner.beginForward(layers, heads, queries, keys);
}

void ProgressRecorder::recordLayer(const AttentionInputs &inputs, const AttentionPlan &plan)
{
    checkCancelled();
    if (m_layerStarted)
        m_layerStarted(inputs.layer, m_layers);
    m_inner.recordLayer(inputs, plan);
}

bool ProgressRecorder::wantsProbabilities(int layer) const
{
    return m_inner.wantsProbabilities(layer);
}

void ProgressRecorder::recordRows(int layer, int64_t rowBegin, const torch::Tensor &probabilities)
{
    checkCancelled();
    m_inner.recordRows(layer, rowBegin, probabilities);
}

void ProgressRecorder::recordNormalizers(int layer, int64_t rowBegin, const torch::Tensor &rowMax,
                                         const torch::Tensor &rowSum)
{
    m_inner.recordNormalizers(layer, rowBegin, rowMax, rowSum);
}

} // namespace attnscope
