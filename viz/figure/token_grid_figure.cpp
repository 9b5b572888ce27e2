#include "viz/figure/token_grid_figure.h"

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QPainter>

#include "viz/colormap.h"
#include "viz/figure/figure_page.h"

namespace attnscope {

namespace {

constexpr double kLeastCellChars = 4.5; // a cell is at least this many average characters wide
constexpr double kMostCellChars = 10;   // and, for its longest token, at most this many

QString colormapName() { return QStringLiteral("viridis"); }

// The page's font, smaller (never under the page's least size) until `text` fits the cell;
// the page's fonts are sized in pixels, one pixel a point.
QFont cellFont(const QFont &pageFont, const QString &text, const QRectF &cell)
{
    QFont font = pageFont;
    int size = std::min(pageFont.pixelSize(), int(cell.height() * 0.7));
    for (;; --size) {
        font.setPixelSize(std::max(size, FigurePage::kLeastFontPoints));
        if (size <= FigurePage::kLeastFontPoints || QFontMetricsF(font).horizontalAdvance(text) <= cell.width() - 2)
            return font;
    }
}

} // namespace

struct TokenGridFigure::Layout {
    int firstColumn = 0;
    QRectF cells;       // the shown columns × every row
    double labelWidth = 0;
    double headerHeight = 0;
    double cellWidth = 0;
    double cellHeight = 0;
};

TokenGridFigure::TokenGridFigure(TokenGridFigureData data) : m_data(std::move(data)) {}

std::optional<FigureColorbar> TokenGridFigure::colorbar() const
{
    HeatmapStyle style;
    style.colormap = Colormap::byName(colormapName());
    style.scale.range = {0, 1};
    return FigureColorbar{style, QStringLiteral("probability")};
}

TokenGridFigure::Layout TokenGridFigure::layoutIn(const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const double line = metrics.height();
    Layout layout;
    for (const QString &label : m_data.rowLabels)
        layout.labelWidth = std::max(layout.labelWidth, metrics.horizontalAdvance(label) + 4);
    const int rows = int(m_data.texts.size());
    const int columns = int(m_data.columnLabels.size());
    // Wide enough for every top token at the page's least font size: fewer positions in
    // full rather than many cut short.
    QFont smallest = canvas.font;
    smallest.setPixelSize(FigurePage::kLeastFontPoints);
    const QFontMetricsF smallMetrics(smallest);
    double widest = 0;
    for (const QStringList &row : m_data.texts)
        for (const QString &text : row)
            widest = std::max(widest, smallMetrics.horizontalAdvance(text) + 4);
    const double least = std::clamp(widest, kLeastCellChars * metrics.averageCharWidth(), kMostCellChars * metrics.averageCharWidth());
    const double width = area.width() - layout.labelWidth - line; // the axis title under the cells
    const int fitting = std::max(1, int(std::floor(width / least)));
    layout.firstColumn = std::max(0, columns - fitting);
    const int shown = columns - layout.firstColumn;
    double header = 0;
    for (int column = layout.firstColumn; column < columns; ++column)
        header = std::max(header, metrics.horizontalAdvance(m_data.columnLabels[column]));
    layout.headerHeight = canvas.labels ? std::min(header, area.height() * 0.25) + 4 : 0;
    layout.cellWidth = std::min(width / std::max(1, shown), 12 * metrics.averageCharWidth());
    layout.cellHeight = std::min((area.height() - layout.headerHeight - line - 2) / std::max(1, rows), 4 * line);
    layout.cells = QRectF(area.left() + layout.labelWidth, area.top() + layout.headerHeight,
                          layout.cellWidth * shown, layout.cellHeight * rows);
    return layout;
}

std::optional<QRectF> TokenGridFigure::plotRect(const QRectF &area, const FigureCanvas &canvas) const
{
    return layoutIn(area, canvas).cells;
}

void TokenGridFigure::paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const
{
    const Layout layout = layoutIn(area, canvas);
    const Colormap colours = Colormap::byName(colormapName());
    const QFontMetricsF metrics(canvas.font);
    const int columns = int(m_data.columnLabels.size());
    bool abbreviated = false;

    painter.save();
    painter.setFont(canvas.font);
    painter.setPen(Qt::black);
    if (canvas.labels)
        for (int column = layout.firstColumn; column < columns; ++column) {
            painter.save();
            painter.translate(layout.cells.left() + (column - layout.firstColumn + 0.5) * layout.cellWidth,
                              layout.cells.top() - 2);
            painter.rotate(-90);
            painter.drawText(QRectF(0, -metrics.height() / 2, layout.headerHeight, metrics.height()),
                             Qt::AlignLeft | Qt::AlignVCenter,
                             metrics.elidedText(m_data.columnLabels[column], Qt::ElideRight, layout.headerHeight - 4));
            painter.restore();
        }
    for (int row = 0; row < int(m_data.texts.size()); ++row) {
        const double top = layout.cells.top() + row * layout.cellHeight;
        painter.setFont(canvas.font);
        painter.setPen(Qt::black);
        painter.drawText(QRectF(area.left(), top, layout.labelWidth - 4, layout.cellHeight), Qt::AlignRight | Qt::AlignVCenter,
                         m_data.rowLabels.value(row));
        for (int column = layout.firstColumn; column < columns; ++column) {
            const QRectF cell(layout.cells.left() + (column - layout.firstColumn) * layout.cellWidth, top,
                              layout.cellWidth, layout.cellHeight);
            const QColor background = QColor::fromRgb(colours.color(m_data.probabilities[size_t(row)][size_t(column)]));
            painter.fillRect(cell, background);
            painter.setPen(background.lightness() > 128 ? Qt::black : Qt::white);
            const QString &text = m_data.texts[size_t(row)][column];
            const QFont font = cellFont(canvas.font, text, cell);
            painter.setFont(font);
            const QString shown = QFontMetricsF(font).elidedText(text, Qt::ElideRight, cell.width() - 2);
            if (shown != text)
                abbreviated = true;
            painter.drawText(cell.adjusted(1, 0, -1, 0), Qt::AlignCenter, shown);
        }
    }
    painter.setFont(canvas.font);
    painter.setPen(Qt::black);
    const QString axis = layout.firstColumn == 0
                             ? QStringLiteral("position (input token)")
                             : QStringLiteral("position (input token): the last %1 of %2").arg(columns - layout.firstColumn).arg(columns);
    painter.drawText(QRectF(layout.cells.left(), layout.cells.bottom() + 2, std::max(layout.cells.width(), area.right() - layout.cells.left()),
                            metrics.height()),
                     Qt::AlignLeft | Qt::AlignTop, axis);
    if (layout.firstColumn > 0 && canvas.notes)
        *canvas.notes << QStringLiteral("the first %1 positions do not fit the page").arg(layout.firstColumn);
    if (abbreviated && canvas.notes)
        *canvas.notes << QStringLiteral("top tokens too long for their cells abbreviated");
    painter.restore();
}

} // namespace attnscope
