#include "viz/model_grid_painter.h"

#include <algorithm>
#include <cmath>

#include <QPainter>
#include <torch/torch.h>

#include "viz/heatmap_raster.h"

namespace attnscope {

ModelGridLayout::ModelGridLayout(const QRectF &area, int layers, int heads, const QSizeF &labelSpace)
    : m_area(area), m_labelSpace(labelSpace), m_layers(layers), m_heads(heads)
{
    // One more row and column for the aggregates.
    const double width = area.width() - labelSpace.width() - kAggregateGap - (heads + 1) * kGap;
    const double height = area.height() - labelSpace.height() - kAggregateGap - (layers + 1) * kGap;
    m_cell = std::max(1.0, std::floor(std::min(width / (heads + 1), height / (layers + 1))));
}

double ModelGridLayout::columnX(int head) const
{
    return m_area.left() + m_labelSpace.width() + head * (m_cell + kGap) + (head == m_heads ? kAggregateGap : 0);
}

double ModelGridLayout::rowY(int layer) const
{
    return m_area.top() + m_labelSpace.height() + layer * (m_cell + kGap) + (layer == m_layers ? kAggregateGap : 0);
}

QRectF ModelGridLayout::cellRect(int layer, int head) const { return QRectF(columnX(head), rowY(layer), m_cell, m_cell); }

std::optional<std::pair<int, int>> ModelGridLayout::cellAt(const QPointF &pos) const
{
    for (int layer = 0; layer <= m_layers; ++layer) {
        if (pos.y() < rowY(layer) || pos.y() >= rowY(layer) + m_cell)
            continue;
        for (int head = 0; head <= m_heads; ++head)
            if (pos.x() >= columnX(head) && pos.x() < columnX(head) + m_cell)
                return std::make_pair(layer, head);
    }
    return std::nullopt;
}

namespace {

// Queries on the left, keys on the right; each line's opacity is its weight on the scale.
QImage lineThumbnail(const torch::Tensor &matrix, const ModelGridStyle &style)
{
    const int side = style.lineImageSide;
    QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    const int64_t tokens = matrix.size(0), keys = matrix.size(1);
    const double margin = 6, left = margin, right = side - margin;
    const auto y = [&](int64_t index, int64_t count) { return margin + (index + 0.5) * (side - 2 * margin) / double(count); };
    const auto values = matrix.accessor<float, 2>();
    QColor color = style.lineColor;
    for (int64_t q = 0; q < tokens; ++q)
        for (int64_t k = 0; k < keys; ++k) {
            const double opacity = style.heatmap.scale.map(values[q][k]);
            if (!(opacity >= 1.0 / 255))
                continue;
            color.setAlphaF(float(opacity));
            painter.setPen(QPen(color, 1.0));
            painter.drawLine(QPointF(left, y(q, tokens)), QPointF(right, y(k, keys)));
        }
    return image;
}

} // namespace

ModelGridImages::ModelGridImages(const ModelThumbnails &thumbnails, const ModelGridStyle &style,
                                 const std::vector<torch::Tensor> &layerMasks)
    : m_layers(int(thumbnails.heads.size(0))), m_heads(int(thumbnails.heads.size(1))), m_kind(style.kind)
{
    torch::Tensor maskedEverywhere; // what the means over layers hatch
    for (const torch::Tensor &mask : layerMasks)
        maskedEverywhere = maskedEverywhere.defined() ? maskedEverywhere.logical_and(mask) : mask;
    const auto maskOf = [&](int layer) {
        return layer < int(layerMasks.size()) ? layerMasks[size_t(layer)] : maskedEverywhere;
    };
    const auto matrixOf = [&](int layer, int head) -> torch::Tensor {
        if (layer == m_layers && head == m_heads)
            return thumbnails.heads.mean(1).mean(0); // the whole model's mean
        if (layer == m_layers)
            return thumbnails.headMeans[head];
        if (head == m_heads)
            return thumbnails.layerMeans[layer];
        return thumbnails.heads[layer][head];
    };
    // A diverging map is centred at 0: its range is ±(largest |value|).
    const bool diverging = style.heatmap.colormap.isDiverging();
    const auto highOf = [diverging](const torch::Tensor &values) {
        return (diverging ? values.abs() : values).max().item<double>();
    };
    const double sharedHigh = highOf(thumbnails.heads);
    const bool lines = style.kind == ThumbnailKind::Lines && thumbnails.level == 0
                       && thumbnails.heads.size(2) <= kLineThumbnailTokens;
    m_kind = lines ? ThumbnailKind::Lines : ThumbnailKind::Heatmap;
    for (int layer = 0; layer <= m_layers; ++layer)
        for (int head = 0; head <= m_heads; ++head) {
            const torch::Tensor matrix = matrixOf(layer, head).contiguous();
            HeatmapStyle heatmap = style.heatmap;
            const double high = style.scale == ThumbnailScale::Shared ? sharedHigh : highOf(matrix);
            heatmap.scale.range = {diverging ? -high : 0.0, high};
            m_ranges.push_back(heatmap.scale.range);
            ModelGridStyle cellStyle = style;
            cellStyle.heatmap = heatmap;
            m_images.push_back(lines ? lineThumbnail(matrix, cellStyle) : rasterizeHeatmap(matrix, heatmap, maskOf(layer)));
        }
}

const QImage &ModelGridImages::image(int layer, int head) const { return m_images[size_t(layer * (m_heads + 1) + head)]; }

ValueRange ModelGridImages::range(int layer, int head) const { return m_ranges[size_t(layer * (m_heads + 1) + head)]; }

void paintModelGrid(QPainter &painter, const ModelGridLayout &layout, const ModelGridImages &images,
                    const GridBadges &badges, const GridSelection &selection, const QFont &font,
                    const std::vector<bool> &slidingLayers)
{
    painter.save();
    painter.setFont(font);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, images.kind() == ThumbnailKind::Lines);
    const double cell = layout.cellSize();
    const QFontMetricsF metrics(font);
    const bool badgesShown = !badges.values.empty() && cell >= metrics.horizontalAdvance(QStringLiteral("0.00")) + 4;
    for (int layer = 0; layer <= layout.layers(); ++layer)
        for (int head = 0; head <= layout.heads(); ++head) {
            const QRectF rect = layout.cellRect(layer, head);
            if (!images.isEmpty())
                painter.drawImage(rect, images.image(layer, head));
            if (badgesShown && layer < layout.layers() && head < layout.heads()) {
                const QString text = QString::number(badges.values[size_t(layer)][size_t(head)], 'f', 2);
                const QRectF box(rect.right() - metrics.horizontalAdvance(text) - 4, rect.top(),
                                 metrics.horizontalAdvance(text) + 4, metrics.height());
                painter.fillRect(box, QColor(255, 255, 255, 200));
                painter.setPen(Qt::black);
                painter.drawText(box, Qt::AlignCenter, text);
            }
        }
    // Labels: layers down the left, heads across the top, the aggregates named.
    painter.setPen(Qt::black);
    const double label = layout.labelSpace().width(), headLabel = layout.labelSpace().height();
    for (int layer = 0; layer <= layout.layers(); ++layer) {
        const QRectF rect = layout.cellRect(layer, 0);
        painter.drawText(QRectF(rect.left() - label, rect.top(), label - 4, cell), Qt::AlignRight | Qt::AlignVCenter,
                         layer == layout.layers() ? QStringLiteral("mean")
                         : size_t(layer) < slidingLayers.size() && slidingLayers[size_t(layer)] ? QStringLiteral("L%1*").arg(layer)
                                                                                             : QStringLiteral("L%1").arg(layer));
    }
    for (int head = 0; head <= layout.heads(); ++head) {
        const QRectF rect = layout.cellRect(0, head);
        painter.drawText(QRectF(rect.left(), rect.top() - headLabel, cell, headLabel - 4), Qt::AlignHCenter | Qt::AlignBottom,
                         head == layout.heads() ? QStringLiteral("mean") : QStringLiteral("H%1").arg(head));
    }
    if (selection.layer >= 0 && selection.head >= 0) {
        painter.setPen(QPen(QColor(224, 96, 16), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(layout.cellRect(selection.layer, selection.head).adjusted(-1, -1, 1, 1));
    }
    painter.restore();
}

} // namespace attnscope
