#include "viz/figure/figure_page.h"

#include <cmath>

namespace attnscope {

QStringList lengthUnitNames() { return {QStringLiteral("cm"), QStringLiteral("in")}; }

QString lengthUnitName(LengthUnit unit) { return lengthUnitNames().at(int(unit)); }

QSize FigurePage::pixelSize() const
{
    return QSize(int(std::lround(inches(width) * dpi)), int(std::lround(inches(height) * dpi)));
}

QFont FigurePage::font() const
{
    QFont font(fontFamily);
    // A pixel size, not a point size: the page's unit is the point on every output, and the
    // metrics the painters take without a device then match what they draw.
    font.setPixelSize(fontPoints);
    font.setHintingPreference(QFont::PreferNoHinting);
    font.setStyleStrategy(QFont::PreferAntialias);
    return font;
}

QString FigurePage::problem() const
{
    if (!(width > 0) || !(height > 0) || !std::isfinite(width) || !std::isfinite(height))
        return QStringLiteral("the page size %1 × %2 %3 is not positive").arg(width).arg(height).arg(lengthUnitName(unit));
    if (dpi < 10 || dpi > 2400)
        return QStringLiteral("dpi %1 is outside 10 … 2400").arg(dpi);
    const QSize pixels = pixelSize();
    if (pixels.width() < 16 || pixels.height() < 16)
        return QStringLiteral("the page %1 × %2 %3 at %4 dpi is under 16 pixels on a side")
            .arg(width).arg(height).arg(lengthUnitName(unit)).arg(dpi);
    if (pixels.width() > kMaxPixelSide || pixels.height() > kMaxPixelSide)
        return QStringLiteral("the page %1 × %2 %3 at %4 dpi is over %5 pixels on a side")
            .arg(width).arg(height).arg(lengthUnitName(unit)).arg(dpi).arg(kMaxPixelSide);
    if (fontPoints < kLeastFontPoints || fontPoints > 72)
        return QStringLiteral("font size %1 pt is outside %2 … 72").arg(fontPoints).arg(kLeastFontPoints);
    if (vectorCellLimit < 0)
        return QStringLiteral("the vector cell limit %1 is negative").arg(vectorCellLimit);
    return {};
}

QStringList FigurePage::arguments() const
{
    const FigurePage defaults;
    QStringList list{QStringLiteral("--width"), QString::number(width), QStringLiteral("--height"), QString::number(height)};
    if (unit != defaults.unit)
        list << QStringLiteral("--unit") << lengthUnitName(unit);
    if (dpi != defaults.dpi)
        list << QStringLiteral("--dpi") << QString::number(dpi);
    if (!showTitle)
        list << QStringLiteral("--no-title");
    else if (!title.isEmpty())
        list << QStringLiteral("--title") << title;
    if (!colorbar)
        list << QStringLiteral("--no-colorbar");
    if (!labels)
        list << QStringLiteral("--no-labels");
    if (fontFamily != defaults.fontFamily)
        list << QStringLiteral("--font") << fontFamily;
    if (fontPoints != defaults.fontPoints)
        list << QStringLiteral("--font-size") << QString::number(fontPoints);
    if (vectorCellLimit != defaults.vectorCellLimit)
        list << QStringLiteral("--vector-cells") << QString::number(vectorCellLimit);
    return list;
}

bool FigurePage::operator==(const FigurePage &other) const
{
    return width == other.width && height == other.height && unit == other.unit && dpi == other.dpi
           && title == other.title && showTitle == other.showTitle && colorbar == other.colorbar
           && labels == other.labels && fontFamily == other.fontFamily && fontPoints == other.fontPoints
           && vectorCellLimit == other.vectorCellLimit;
}

} // namespace attnscope
