#pragma once
// The page a figure is drawn on, as an author sets it: the physical size (cm or inches), the
// resolution of the PNG (and of the rasters an SVG or PDF embeds), the title, the colorbar,
// the axis labels and the font. Everything is laid out in points (1/72 inch), so the PNG, SVG
// and PDF of one figure agree, and a PNG has exactly physical size × dpi pixels.

#include <QFont>
#include <QSize>
#include <QSizeF>
#include <QString>
#include <QStringList>

namespace attnscope {

enum class LengthUnit { Centimeters, Inches };

QStringList lengthUnitNames(); // "cm", "in"
QString lengthUnitName(LengthUnit unit);

struct FigurePage {
    static constexpr int kDefaultDpi = 300;
    static constexpr int kMaxPixelSide = 20000; // a PNG larger than this is refused
    static constexpr int kLeastFontPoints = 6;  // printed text under 6 pt is not legible

    double width = 12.0;
    double height = 10.0;
    LengthUnit unit = LengthUnit::Centimeters;
    int dpi = kDefaultDpi;
    QString title;        // empty: the view's own title
    bool showTitle = true;
    bool colorbar = true;
    bool labels = true;   // token labels on the axes (indices when the cells are too small)
    QString fontFamily = QStringLiteral("DejaVu Sans");
    int fontPoints = 7; // whole points: the font is sized in page units, alike on every device
    int vectorCellLimit = 128; // matrices up to this many rows and columns are drawn as rectangles

    double inches(double length) const { return unit == LengthUnit::Inches ? length : length / 2.54; }
    QSizeF sizeInPoints() const { return QSizeF(inches(width) * 72.0, inches(height) * 72.0); }
    QSize pixelSize() const; // PNG: round(physical size × dpi)
    QFont font() const;      // the family at fontPoints page units, unhinted

    // Empty when every field is usable; otherwise one line naming the field.
    QString problem() const;
    // The options of `attnscope-cli render` that set this page (the defaults left out).
    QStringList arguments() const;

    bool operator==(const FigurePage &other) const;
};

} // namespace attnscope
