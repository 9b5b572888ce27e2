#pragma once
// The attention maps a vision run offers over its patches: the CLS row of one head or the
// mean over a layer's heads, one patch's row, rollout (Abnar & Zuidema) after a layer, and
// gradient relevance (Chefer et al.) of the explained output. Shared by the image view and
// `attnscope-cli render --view overlay`, so both draw the same numbers.

#include <QStringList>
#include <torch/types.h>

namespace attnscope {

class AttentionRecord;

enum class VisionMap { ClsHead, ClsLayerMean, Patch, Rollout, Relevance };
QStringList visionMapNames(); // "cls", "layer-mean", "patch", "rollout", "relevance"

class VisionMaps {
public:
    VisionMaps(std::shared_ptr<const AttentionRecord> record, int leadingTokens, int gridRows, int gridCols);
    // relevance: [T] (the explained output's row of the relevance matrix).
    void setRelevance(const torch::Tensor &relevance) { m_relevance = relevance; }
    bool hasRelevance() const { return m_relevance.defined(); }
    // [rows, cols] float; undefined for relevance before setRelevance. `patch` is used by
    // VisionMap::Patch (-1: the CLS row). Rollout is computed on first use.
    torch::Tensor map(VisionMap kind, int layer, int head, int patch = -1);

private:
    torch::Tensor overPatches(const torch::Tensor &row) const;
    std::shared_ptr<const AttentionRecord> m_record;
    int m_leading = 1, m_rows = 0, m_cols = 0;
    torch::Tensor m_rollout;   // [L, T, T] after each layer
    torch::Tensor m_relevance; // [T]
};

} // namespace attnscope
