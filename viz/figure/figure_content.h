#pragma once
// What a view hands the figure exporter: a drawing that fits itself into a rectangle given in
// points, its own title, and the color scale its colorbar shows (if it has one). The page
// (figure_writer) places the title, the drawing and the colorbar, and picks the output.

#include <optional>

#include <QFont>
#include <QRectF>
#include <QString>
#include <QStringList>

#include "viz/heatmap_style.h"

class QPainter;

namespace attnscope {

// How the drawing is made on this page.
struct FigureCanvas {
    QFont font;                 // the page's font (points = painter units)
    bool labels = true;         // token labels on the axes
    int vectorCellLimit = 128;  // matrices up to this size as rectangles, larger ones as rasters
    double pixelsPerPoint = 1;  // resolution of the rasters the drawing embeds
    QStringList *notes = nullptr; // what the drawing did to fit (e.g. abbreviated labels), or null
};

struct FigureColorbar {
    HeatmapStyle style; // its scale's range is what the bar spans
    QString label;      // beside the bar, e.g. "attention weight"
};

class FigureContent {
public:
    virtual ~FigureContent() = default;
    virtual QString title() const = 0;
    virtual std::optional<FigureColorbar> colorbar() const { return std::nullopt; }
    // Where the drawing's colored cells will be in `area`, for a colorbar aligned with them;
    // nullopt: the bar spans the whole height.
    virtual std::optional<QRectF> plotRect(const QRectF & /*area*/, const FigureCanvas & /*canvas*/) const { return std::nullopt; }
    // Draws into `area` (points); the page is already white.
    virtual void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const = 0;
};

} // namespace attnscope
