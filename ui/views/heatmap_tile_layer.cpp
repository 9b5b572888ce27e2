#include "ui/views/heatmap_tile_layer.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <QPainter>
#include <torch/torch.h>

#include "viz/heatmap_raster.h"
#include "viz/tile_pyramid.h"

namespace attnscope {

void HeatmapTileLayer::setPyramid(std::shared_ptr<TilePyramid> pyramid)
{
    m_pyramid = std::move(pyramid);
    m_images.clear();
}

void HeatmapTileLayer::setStyle(const HeatmapStyle &style)
{
    m_style = style;
    m_images.clear();
}

int HeatmapTileLayer::levelFor(double cellPixels) const
{
    if (!m_pyramid || cellPixels >= 1.0)
        return 0;
    const int level = int(std::floor(std::log2(1.0 / cellPixels)));
    return std::clamp(level, 0, m_pyramid->geometry().topLevel());
}

std::vector<TileKey> HeatmapTileLayer::visibleTiles(const HeatmapViewport &viewport) const
{
    if (!m_pyramid)
        return {};
    const PyramidGeometry &geometry = m_pyramid->geometry();
    const int level = levelFor(viewport.cellPixels());
    const double span = double(geometry.tileSize()) * double(PyramidGeometry::blockSize(level));
    const QRectF cells = viewport.visibleCells();
    const auto first = [span](double at) { return int64_t(std::floor(at / span)); };
    const auto last = [span](double at, int64_t count) {
        return std::min(int64_t(std::ceil(at / span)), count) - 1;
    };
    std::vector<TileKey> keys;
    for (int64_t r = first(cells.top()); r <= last(cells.bottom(), geometry.tileRows(level)); ++r)
        for (int64_t c = first(cells.left()); c <= last(cells.right(), geometry.tileCols(level)); ++c)
            keys.push_back({level, r, c});
    return keys;
}

void HeatmapTileLayer::request(const HeatmapViewport &viewport)
{
    if (!m_pyramid)
        return;
    std::vector<TileKey> keys = visibleTiles(viewport);
    keys.push_back({m_pyramid->geometry().topLevel(), 0, 0});
    m_pyramid->request(keys);
}

QImage HeatmapTileLayer::imageFor(const TileKey &key)
{
    if (const auto found = m_images.find(key); found != m_images.end())
        return found->second;
    const PyramidTile tile = m_pyramid->cachedTile(key);
    if (!tile.isValid())
        return {};
    if (m_images.size() >= kMaxImages)
        m_images.clear();
    const QImage image = rasterizeHeatmap(tile.values, m_style, tile.masked);
    m_images.emplace(key, image);
    return image;
}

QRectF HeatmapTileLayer::pixelRect(const TileKey &key, const HeatmapViewport &viewport) const
{
    const CellRect cells = m_pyramid->geometry().tileCells(key);
    return QRectF(viewport.toPixel(QPointF(double(cells.c0), double(cells.r0))),
                  viewport.toPixel(QPointF(double(cells.c1), double(cells.r1))));
}

void HeatmapTileLayer::paint(QPainter &painter, const HeatmapViewport &viewport)
{
    if (!m_pyramid)
        return;
    const int top = m_pyramid->geometry().topLevel();
    std::vector<std::pair<TileKey, QImage>> ready;
    std::set<std::tuple<int, int64_t, int64_t>> fallbacks;
    for (const TileKey &key : visibleTiles(viewport)) {
        const QImage image = imageFor(key);
        if (!image.isNull()) {
            ready.emplace_back(key, image);
            continue;
        }
        // The finest coarser tile already computed stands in until this one arrives.
        for (int level = key.level + 1; level <= top; ++level) {
            const int shift = level - key.level;
            const TileKey parent{level, key.row >> shift, key.col >> shift};
            if (!imageFor(parent).isNull()) {
                fallbacks.insert({parent.level, parent.row, parent.col});
                break;
            }
        }
    }
    painter.save();
    painter.setClipRect(viewport.plotRect());
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    for (auto it = fallbacks.rbegin(); it != fallbacks.rend(); ++it) {
        const TileKey parent{std::get<0>(*it), std::get<1>(*it), std::get<2>(*it)};
        painter.drawImage(pixelRect(parent, viewport), imageFor(parent));
    }
    for (const auto &[key, image] : ready)
        painter.drawImage(pixelRect(key, viewport), image);
    paintMaskHatch(painter, viewport);
    painter.restore();
}

void HeatmapTileLayer::paintMaskHatch(QPainter &painter, const HeatmapViewport &viewport) const
{
    const CellMask &mask = m_pyramid->options().mask;
    if (mask.isEmpty() || viewport.cellPixels() < kHatchCellPixels)
        return;
    const QRectF shown = viewport.visibleCells();
    const int64_t r0 = int64_t(shown.top()), c0 = int64_t(shown.left());
    const int64_t r1 = int64_t(std::ceil(shown.bottom())), c1 = int64_t(std::ceil(shown.right()));
    const torch::Tensor masked = mask.blocks(r0, r1, c0, c1).contiguous();
    const bool *cell = masked.data_ptr<bool>();
    const QBrush hatch(QColor::fromRgb(m_style.maskedHatchColor), Qt::BDiagPattern);
    const QColor base = QColor::fromRgb(m_style.maskedColor);
    const double size = viewport.cellPixels();
    // The hatch brush is aligned to the widget, so its lines run on across masked cells.
    for (int64_t r = r0; r < r1; ++r) {
        for (int64_t c = c0; c < c1; ++c) {
            if (!*cell++)
                continue;
            const QRectF rect(viewport.toPixel(QPointF(double(c), double(r))), QSizeF(size, size));
            painter.fillRect(rect, base);
            painter.fillRect(rect, hatch);
        }
    }
}

} // namespace attnscope
