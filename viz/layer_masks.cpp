#include "viz/layer_masks.h"

#include <set>

#include <QStringList>

#include "core/capture/attention_record.h"

namespace attnscope {

CellMask layerCellMask(const AttentionRecord &record, int layer, bool causal)
{
    if (!causal)
        return {};
    return CellMask::slidingWindow(record.queries(), record.keys(), record.slidingWindow(layer));
}

std::vector<torch::Tensor> layerBlockMasks(const AttentionRecord &record, bool causal, int64_t block)
{
    std::vector<torch::Tensor> masks;
    if (!causal)
        return masks;
    for (int layer = 0; layer < int(record.layers()); ++layer)
        masks.push_back(layerCellMask(record, layer, causal).blocks(0, record.queries(), 0, record.keys(), block));
    return masks;
}

std::vector<bool> slidingLayers(const AttentionRecord &record)
{
    std::vector<bool> sliding;
    for (int layer = 0; layer < int(record.layers()); ++layer) {
        const int64_t window = record.slidingWindow(layer);
        sliding.push_back(window > 0 && window < record.keys());
    }
    return sliding;
}

QString slidingWindowNote(const AttentionRecord &record)
{
    std::set<int64_t> windows;
    const std::vector<bool> sliding = slidingLayers(record);
    for (int layer = 0; layer < int(sliding.size()); ++layer)
        if (sliding[size_t(layer)])
            windows.insert(record.slidingWindow(layer));
    if (windows.empty())
        return {};
    QStringList sizes;
    for (const int64_t window : windows)
        sizes << QString::number(window);
    return QStringLiteral("* sliding window of %1 keys").arg(sizes.join(QStringLiteral(" or ")));
}

} // namespace attnscope
