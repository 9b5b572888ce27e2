#include "viz/vision_maps.h"

#include <torch/torch.h>

#include "core/analysis/rollout.h"
#include "core/capture/attention_record.h"
#include "viz/attention_overlay.h"

namespace attnscope {

QStringList visionMapNames()
{
    return {QStringLiteral("cls"), QStringLiteral("layer-mean"), QStringLiteral("patch"), QStringLiteral("rollout"),
            QStringLiteral("relevance")};
}

VisionMaps::VisionMaps(std::shared_ptr<const AttentionRecord> record, int leadingTokens, int gridRows, int gridCols)
    : m_record(std::move(record)), m_leading(leadingTokens), m_rows(gridRows), m_cols(gridCols)
{
}

torch::Tensor VisionMaps::overPatches(const torch::Tensor &row) const
{
    return patchMap(row.to(torch::kFloat32), m_leading, m_rows, m_cols);
}

torch::Tensor VisionMaps::map(VisionMap kind, int layer, int head, int patch)
{
    switch (kind) {
    case VisionMap::ClsHead: return overPatches(m_record->row(layer, head, 0));
    case VisionMap::ClsLayerMean: return overPatches(m_record->layer(layer).select(1, 0).mean(0));
    case VisionMap::Patch: return overPatches(m_record->row(layer, head, patch >= 0 ? m_leading + patch : 0));
    case VisionMap::Rollout:
        if (!m_rollout.defined())
            m_rollout = attentionRollout(m_record->all(), RolloutSettings{});
        return overPatches(m_rollout[layer][0]);
    case VisionMap::Relevance: return m_relevance.defined() ? overPatches(m_relevance) : torch::Tensor();
    }
    return {};
}

} // namespace attnscope
