#include "viz/figure/overlay_figure.h"

#include <algorithm>
#include <cmath>

#include <QPainter>
#include <torch/torch.h>

namespace attnscope {

namespace {

constexpr int kMostOverlayPixels = 4096; // a side of the overlay's raster

// The geometry of the image shown at `size` instead of its own resolution.
PatchGeometry scaledTo(PatchGeometry geometry, const QSize &size)
{
    geometry.originalWidth = size.width();
    geometry.originalHeight = size.height();
    return geometry;
}

class OverlayFigure : public FigureContent {
public:
    explicit OverlayFigure(OverlayFigureData data) : m_data(std::move(data)) {}
    QString title() const override { return m_data.title; }
    std::optional<FigureColorbar> colorbar() const override
    {
        HeatmapStyle style;
        style.colormap = m_data.style.colormap;
        style.scale.range = {0.0, m_data.map.max().item<double>()}; // the overlay colours v / peak
        return FigureColorbar{style, m_data.valueName};
    }
    std::optional<QRectF> plotRect(const QRectF &area, const FigureCanvas &) const override { return imageRect(area); }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override
    {
        const QRectF rect = imageRect(area);
        if (rect.isEmpty())
            return;
        // The overlay at the output's pixels: the image enlarged pixel by pixel (or reduced
        // smoothly), the map upsampled onto those pixels, so no band is interpolated twice.
        const QSize pixels(std::clamp(int(std::lround(rect.width() * canvas.pixelsPerPoint)), 1, kMostOverlayPixels),
                           std::clamp(int(std::lround(rect.height() * canvas.pixelsPerPoint)), 1, kMostOverlayPixels));
        const bool enlarged = pixels.width() >= m_data.original.width();
        const QImage scaled = m_data.original.scaled(pixels, Qt::IgnoreAspectRatio,
                                                     enlarged ? Qt::FastTransformation : Qt::SmoothTransformation);
        OverlayStyle style = m_data.style;
        style.gridLines = false; // drawn below as vectors
        const QImage overlay = attentionOverlay(scaled, m_data.map, scaledTo(m_data.geometry, pixels), style);
        painter.save();
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(rect, overlay);
        if (m_data.style.gridLines)
            paintGrid(painter, rect);
        painter.restore();
    }

private:
    QRectF imageRect(const QRectF &area) const
    {
        const QSizeF size = QSizeF(m_data.original.size()).scaled(area.size(), Qt::KeepAspectRatio);
        return QRectF(area.left() + (area.width() - size.width()) / 2, area.top() + (area.height() - size.height()) / 2,
                      size.width(), size.height());
    }
    void paintGrid(QPainter &painter, const QRectF &rect) const
    {
        const PatchGeometry &g = m_data.geometry;
        const QRectF grid = g.gridInOriginal();
        const double sx = rect.width() / g.originalWidth, sy = rect.height() / g.originalHeight;
        const QRectF region(rect.left() + grid.left() * sx, rect.top() + grid.top() * sy, grid.width() * sx, grid.height() * sy);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(m_data.style.gridColor, 0.4));
        painter.setClipRect(rect, Qt::IntersectClip);
        for (int col = 0; col <= g.gridCols(); ++col) {
            const double x = region.left() + col * region.width() / g.gridCols();
            painter.drawLine(QPointF(x, region.top()), QPointF(x, region.bottom()));
        }
        for (int row = 0; row <= g.gridRows(); ++row) {
            const double y = region.top() + row * region.height() / g.gridRows();
            painter.drawLine(QPointF(region.left(), y), QPointF(region.right(), y));
        }
    }

    OverlayFigureData m_data;
};

} // namespace

QString overlayValueName(VisionMap kind)
{
    switch (kind) {
    case VisionMap::ClsHead: return QStringLiteral("CLS attention weight");
    case VisionMap::ClsLayerMean: return QStringLiteral("CLS attention weight, mean of the heads");
    case VisionMap::Patch: return QStringLiteral("the patch's attention weight");
    case VisionMap::Rollout: return QStringLiteral("rollout share");
    case VisionMap::Relevance: return QStringLiteral("relevance");
    }
    return {};
}

QString overlayFigureTitle(const QString &run, VisionMap kind, int layer, int head, int patch)
{
    QString what;
    switch (kind) {
    case VisionMap::ClsHead: what = QStringLiteral("CLS → patches, layer %1, head %2").arg(layer).arg(head); break;
    case VisionMap::ClsLayerMean: what = QStringLiteral("CLS → patches, layer %1, mean of the heads").arg(layer); break;
    case VisionMap::Patch: what = QStringLiteral("patch %1 → patches, layer %2, head %3").arg(patch).arg(layer).arg(head); break;
    case VisionMap::Rollout: what = QStringLiteral("rollout after layer %1").arg(layer); break;
    case VisionMap::Relevance: what = QStringLiteral("gradient relevance"); break;
    }
    return run.isEmpty() ? what : QStringLiteral("%1: %2").arg(run, what);
}

std::unique_ptr<FigureContent> overlayFigure(OverlayFigureData data)
{
    return std::make_unique<OverlayFigure>(std::move(data));
}

} // namespace attnscope
