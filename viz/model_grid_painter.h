#pragma once
// The model view drawing: a layers × heads grid of head thumbnails with row and column labels,
// an aggregate column (mean over the heads of each layer) and row (mean over the layers of
// each head), an optional per-head badge, and the selected head outlined. Thumbnails are
// heatmaps, or bertviz-style line thumbnails (a line from each query to each key, opacity =
// weight) when the input has at most kLineThumbnailTokens tokens. Images are rasterized once
// per style (ModelGridImages); a repaint only places them.

#include <optional>
#include <vector>

#include <QFont>
#include <QImage>
#include <QRectF>
#include <QString>

#include "viz/heatmap_style.h"
#include "viz/model_thumbnails.h"

class QPainter;

namespace attnscope {

constexpr int kLineThumbnailTokens = 64;

// Where the grid's cells are. Layer `layers` is the aggregate row (mean over layers) and head
// `heads` the aggregate column (mean over heads).
class ModelGridLayout {
public:
    static constexpr double kLabelSpace = 44; // left: "L11"; top: "H11"
    static constexpr double kGap = 2;         // between cells
    static constexpr double kAggregateGap = 8; // before the aggregate row and column

    // labelSpace: the room of the layer labels (width) and of the head labels (height).
    ModelGridLayout(const QRectF &area, int layers, int heads, const QSizeF &labelSpace = QSizeF(kLabelSpace, kLabelSpace));
    int layers() const { return m_layers; }
    const QSizeF &labelSpace() const { return m_labelSpace; }
    // The cells, aggregates included, without the labels.
    QRectF cellsRect() const { return cellRect(0, 0).united(cellRect(m_layers, m_heads)); }
    int heads() const { return m_heads; }
    double cellSize() const { return m_cell; }
    QRectF cellRect(int layer, int head) const;
    // The (layer, head) under pos, aggregates included; nullopt between and outside the cells.
    std::optional<std::pair<int, int>> cellAt(const QPointF &pos) const;

private:
    double columnX(int head) const;
    double rowY(int layer) const;

    QRectF m_area;
    QSizeF m_labelSpace;
    int m_layers = 0, m_heads = 0;
    double m_cell = 0;
};

enum class ThumbnailScale { Shared, PerThumbnail };
enum class ThumbnailKind { Heatmap, Lines };

struct ModelGridStyle {
    HeatmapStyle heatmap;      // colormap and scale kind; the range comes from ThumbnailScale
    ThumbnailScale scale = ThumbnailScale::Shared;
    ThumbnailKind kind = ThumbnailKind::Heatmap;
    QColor lineColor = QColor(31, 87, 163);
    int lineImageSide = 96;   // pixels of a line thumbnail
};

// The rasterized thumbnails of a ModelThumbnails in one style.
class ModelGridImages {
public:
    ModelGridImages() = default;
    // layerMasks: per layer, optional [r, c] bool, true where every cell of a block is masked
    // (hatched); the means over layers hatch what every layer masks.
    ModelGridImages(const ModelThumbnails &thumbnails, const ModelGridStyle &style,
                    const std::vector<torch::Tensor> &layerMasks = {});
    bool isEmpty() const { return m_images.empty(); }
    int layers() const { return m_layers; }
    int heads() const { return m_heads; }
    const QImage &image(int layer, int head) const; // aggregates at layer == layers / head == heads
    // The value range each thumbnail's colors span (the same for all with a shared scale).
    ValueRange range(int layer, int head) const;
    ThumbnailKind kind() const { return m_kind; }

private:
    int m_layers = 0, m_heads = 0;
    ThumbnailKind m_kind = ThumbnailKind::Heatmap;
    std::vector<QImage> m_images;      // (layers + 1) × (heads + 1), row-major
    std::vector<ValueRange> m_ranges;
};

// A per-head number drawn in each head's corner (entropy, or an analysis' score).
struct GridBadges {
    QString name;
    std::vector<std::vector<double>> values; // [L][H]; empty = no badges
};

struct GridSelection {
    int layer = -1;
    int head = -1;
};

// slidingLayers: per layer, whether it is local (its label gets a *, see slidingWindowNote).
void paintModelGrid(QPainter &painter, const ModelGridLayout &layout, const ModelGridImages &images,
                    const GridBadges &badges, const GridSelection &selection, const QFont &font,
                    const std::vector<bool> &slidingLayers = {});

} // namespace attnscope
