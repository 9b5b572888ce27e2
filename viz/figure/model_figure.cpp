// The model figure: every head of every layer as a thumbnail, with the mean over the heads
// of each layer and over the layers of each head, on one shared color scale.

#include <torch/torch.h>

#include "viz/cell_mask.h"
#include "viz/figure/view_figures.h"
#include "viz/model_grid_painter.h"

namespace attnscope {

namespace {

class ModelGridFigure : public FigureContent {
public:
    ModelGridFigure(ModelGridImages images, HeatmapStyle style, QString title)
        : m_images(std::move(images)), m_style(std::move(style)), m_title(std::move(title))
    {
        m_style.scale.range = m_images.range(0, 0);
    }
    QString title() const override { return m_title; }
    std::optional<FigureColorbar> colorbar() const override
    {
        return FigureColorbar{m_style, QStringLiteral("attention weight (max-pooled)")};
    }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override
    {
        // Square cells: the grid takes the largest square-celled rectangle that fits.
        const ModelGridLayout fitted(area, m_images.layers(), m_images.heads());
        const double cell = fitted.cellSize();
        const double width = ModelGridLayout::kLabelSpace + ModelGridLayout::kAggregateGap + (m_images.heads() + 1) * (cell + ModelGridLayout::kGap);
        const QRectF grid(area.left() + std::max(0.0, (area.width() - width) / 2), area.top(), std::min(width, area.width()), area.height());
        paintModelGrid(painter, ModelGridLayout(grid, m_images.layers(), m_images.heads()), m_images, GridBadges{}, GridSelection{},
                       canvas.font);
    }

private:
    ModelGridImages m_images;
    HeatmapStyle m_style;
    QString m_title;
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
    torch::Tensor masked;
    if (source.causal)
        masked = CellMask::causal(record.queries(), record.keys())
                     .blocks(0, record.queries(), 0, record.keys(), int64_t(1) << thumbnails.level);
    return std::make_unique<ModelGridFigure>(ModelGridImages(thumbnails, style, masked), style.heatmap,
                                             QStringLiteral("%1 layers × %2 heads").arg(record.layers()).arg(record.heads()));
}

} // namespace attnscope
