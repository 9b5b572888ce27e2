#pragma once
// A colorbar: the colormap as a vertical bar from the scale's low (bottom) to its high (top),
// ticks at round values of the scale (powers of ten on a log scale), and the bar's label.

#include <QFont>
#include <QRectF>

#include "viz/figure/figure_content.h"

class QPainter;

namespace attnscope {

class ColorbarLayout {
public:
    // The bar is `barWidth` points wide; ticks and labels follow it to the right.
    ColorbarLayout(const FigureColorbar &colorbar, const QFont &font, double barWidth);
    double width() const; // the bar, its tick labels and its label
    const FigureColorbar &colorbar() const { return m_colorbar; }
    double barWidth() const { return m_barWidth; }
    const QFont &font() const { return m_font; }

private:
    FigureColorbar m_colorbar;
    QFont m_font;
    double m_barWidth = 10;
    double m_tickLabelWidth = 0;
};

// Where paintColorbar puts the bar in `area`: clear of the first and last tick labels.
QRectF colorbarBarRect(const QRectF &area, const ColorbarLayout &layout);

// `area` spans the whole strip; the bar keeps clear of the first and last tick labels.
void paintColorbar(QPainter &painter, const QRectF &area, const ColorbarLayout &layout, double pixelsPerPoint);

} // namespace attnscope
