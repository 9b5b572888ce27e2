#pragma once
// Draws the visible part of a TilePyramid into a viewport: tiles at the level matching the
// zoom (a pooled cell per pixel or more), coarser cached tiles under those still missing,
// and a hatch over masked cells once they are large. Rasterized tiles are kept as images
// until the style changes.

#include <memory>
#include <unordered_map>
#include <vector>

#include <QImage>

#include "ui/views/heatmap_viewport.h"
#include "viz/heatmap_style.h"
#include "viz/pyramid_geometry.h"

class QPainter;

namespace attnscope {

class TilePyramid;

class HeatmapTileLayer {
public:
    void setPyramid(std::shared_ptr<TilePyramid> pyramid);
    void setStyle(const HeatmapStyle &style);
    const HeatmapStyle &style() const { return m_style; }

    int levelFor(double cellPixels) const;
    std::vector<TileKey> visibleTiles(const HeatmapViewport &viewport) const;
    // Asks the pyramid for the visible tiles and the overview (coarsest first).
    void request(const HeatmapViewport &viewport);
    void paint(QPainter &painter, const HeatmapViewport &viewport);

private:
    static constexpr size_t kMaxImages = 512; // 128 MiB of 256 × 256 tiles
    static constexpr double kHatchCellPixels = 6.0;

    QImage imageFor(const TileKey &key);
    QRectF pixelRect(const TileKey &key, const HeatmapViewport &viewport) const;
    void paintMaskHatch(QPainter &painter, const HeatmapViewport &viewport) const;

    std::shared_ptr<TilePyramid> m_pyramid;
    HeatmapStyle m_style;
    std::unordered_map<TileKey, QImage, TileKeyHash> m_images;
};

} // namespace attnscope
