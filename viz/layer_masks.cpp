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

bool slidesAt(const AttentionRecord &record, int layer)
{
    const int64_t window = record.slidingWindow(layer);
    return window > 0 && window < record.keys();
}

std::vector<bool> slidingLayers(const AttentionRecord &record)
{
    std::vector<bool> sliding;
    for (int layer = 0; layer < int(record.layers()); ++layer)
        sliding.push_back(slidesAt(record, layer));
    return sliding;
}

QString slidingWindowNote(const AttentionRecord &record)
{
    std::set<int64_t> windows;
    for (int layer = 0; layer < int(record.layers()); ++layer)
        if (slidesAt(record, layer))
            windows.insert(record.slidingWindow(layer));
    if (windows.empty())
        return {};
    QStringList sizes;
    for (const int64_t window : windows)
        sizes << QString::number(window);
    return QStringLiteral("* sliding window of %1 keys").arg(sizes.join(QStringLiteral(" or ")));
}

} // namespace attnscope
