// The model figure: every head of every layer as a thumbnail, with the mean over the heads
// of each layer and over the layers of each head, on one shared color scale.

#include <QFontMetricsF>
#include <torch/torch.h>

#include "viz/figure/view_figures.h"
#include "viz/layer_masks.h"
#include "viz/model_grid_painter.h"

namespace attnscope {

namespace {

class ModelGridFigure : public FigureContent {
public:
    ModelGridFigure(ModelGridImages images, HeatmapStyle style, QString title, std::vector<bool> slidingLayers)
        : m_images(std::move(images)), m_style(std::move(style)), m_title(std::move(title)),
          m_slidingLayers(std::move(slidingLayers))
    {
        m_style.scale.range = m_images.range(0, 0);
    }
    QString title() const override { return m_title; }
    std::optional<FigureColorbar> colorbar() const override
    {
        return FigureColorbar{m_style, QStringLiteral("attention weight (max-pooled)")};
    }
    std::optional<QRectF> plotRect(const QRectF &area, const FigureCanvas &canvas) const override
    {
        return gridIn(area, canvas).cellsRect();
    }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override
    {
        paintModelGrid(painter, gridIn(area, canvas), m_images, GridBadges{}, GridSelection{}, canvas.font, m_slidingLayers);
    }

private:
    // Square cells as large as the area allows, labels as wide as the font needs, centred.
    ModelGridLayout gridIn(const QRectF &area, const FigureCanvas &canvas) const
    {
        const QFontMetricsF metrics(canvas.font);
        const QSizeF labels(metrics.horizontalAdvance(QStringLiteral("mean")) + 6, metrics.height() + 4);
        const int layers = m_images.layers(), heads = m_images.heads();
        const double cell = ModelGridLayout(area, layers, heads, labels).cellSize();
        const QSizeF used(labels.width() + ModelGridLayout::kAggregateGap + (heads + 1) * (cell + ModelGridLayout::kGap),
                          labels.height() + ModelGridLayout::kAggregateGap + (layers + 1) * (cell + ModelGridLayout::kGap));
        const QPointF corner(area.left() + std::max(0.0, (area.width() - used.width()) / 2),
                             area.top() + std::max(0.0, (area.height() - used.height()) / 2));
        // Half a point over, so that the cell size it floors comes out the same.
        return ModelGridLayout(QRectF(corner, (used + QSizeF(0.5, 0.5)).boundedTo(area.size())), layers, heads, labels);
    }

    ModelGridImages m_images;
    HeatmapStyle m_style;
    QString m_title;
    std::vector<bool> m_slidingLayers;
};

} // namespace

std::unique_ptr<FigureContent> modelFigure(const FigureRequest &request, const FigureSource &source)
{
    const AttentionRecord &record = *source.record;
    ThumbnailPass pass;
    const ModelThumbnails thumbnails = computeModelThumbnails(record, pass);
    ModelGridStyle style;
    style.heatmap = requestedStyle(request, QStringLiteral("viridis"));
    style.scale = ThumbnailScale::Shared;
    const ModelGridImages images(thumbnails, style, layerBlockMasks(record, source.causal, int64_t(1) << thumbnails.level));
    QString title = QStringLiteral("%1 layers × %2 heads").arg(record.layers()).arg(record.heads());
    if (const QString note = slidingWindowNote(record); !note.isEmpty())
        title += QStringLiteral(" (%1)").arg(note);
    return std::make_unique<ModelGridFigure>(images, style.heatmap, title, slidingLayers(record));
}

} // namespace attnscope
