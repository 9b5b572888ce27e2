#include "core/capture/neuron_breakdown.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include <torch/torch.h>

#include "core/capture/attention_record.h"

namespace attnscope {

NeuronBreakdown neuronBreakdown(const AttentionRecord &record, int layer, int head, int64_t query, int64_t key)
{
    if (!record.hasQueriesAndKeys())
        throw std::invalid_argument("this attention has no query and key vectors (it was not computed by a model here)");
    if (layer < 0 || layer >= record.layers() || head < 0 || head >= record.heads() || query < 0
        || query >= record.queries() || key < 0 || key >= record.keys())
        throw std::invalid_argument("no query " + std::to_string(query) + ", key " + std::to_string(key) + " in layer "
                                    + std::to_string(layer) + ", head " + std::to_string(head));
    NeuronBreakdown breakdown;
    breakdown.query = record.queries(layer)[head][query].to(torch::kDouble);
    breakdown.key = record.keys(layer)[head][key].to(torch::kDouble);
    breakdown.scale = record.scoreScale(layer);
    breakdown.contributions = breakdown.query * breakdown.key * breakdown.scale;
    breakdown.score = breakdown.contributions.sum().item<double>();
    breakdown.softCap = record.softCap(layer);
    breakdown.cappedScore = breakdown.softCap > 0 ? breakdown.softCap * std::tanh(breakdown.score / breakdown.softCap)
                                                  : breakdown.score;
    breakdown.weight = record.tile(layer, head, query, query + 1, key, key + 1).item<double>();
    return breakdown;
}

} // namespace attnscope
