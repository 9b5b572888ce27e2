#include "ui/views/heatmap_axes.h"

#include <algorithm>
#include <cmath>

#include <QFontInfo>
#include <QFontMetricsF>
#include <QPainter>
#include <QPalette>

namespace attnscope {

namespace {

constexpr double kMinTickPixels = 40.0; // between index labels
constexpr double kGap = 4;              // between a label and the matrix
constexpr double kLineShare = 0.9;      // a token fits a cell at least this share of a line tall
constexpr double kMarginShare = 0.3;    // labels take at most this share of the widget's side

QFont withPixelSize(QFont font, int pixels)
{
    font.setPixelSize(pixels);
    return font;
}

// The largest font in which every `step`-th token fits its cells: the widget's, smaller ones
// down to kMinLabelPixels, then sparser labels; indices when even that fails.
AxisLabels chooseLabels(const QStringList &tokens, qint64 count, double cellPixels, const QFont &base)
{
    AxisLabels chosen;
    chosen.font = base;
    if (count > 0 && tokens.size() == count) {
        chosen.tokens = true;
        for (int pixels = QFontInfo(base).pixelSize(); pixels >= kMinLabelPixels; --pixels) {
            chosen.font = withPixelSize(base, pixels);
            if (QFontMetricsF(chosen.font).height() * kLineShare <= cellPixels)
                return chosen;
        }
        chosen.step = qint64(std::ceil(QFontMetricsF(chosen.font).height() * kLineShare / cellPixels));
        if (chosen.step <= kMaxTokenStep)
            return chosen;
    }
    chosen.font = base;
    chosen.tokens = false;
    chosen.step = roundTickStep(kMinTickPixels / cellPixels);
    return chosen;
}

// The labels of cells [first, last) whose centres are visible, every `step`-th from 0;
// `place` gives the box of a label `width` pixels long at the centre `at` of its cell.
template <typename Place>
void placeLabels(AxisLabels &axis, const QStringList &tokens, double first, double last, double band,
                 const Place &place)
{
    const QFontMetricsF metrics(axis.font);
    const qint64 from = qint64(std::ceil((first - 0.5) / double(axis.step))) * axis.step;
    for (qint64 i = std::max<qint64>(from, 0); double(i) + 0.5 <= last; i += axis.step) {
        const QString full = axis.tokens ? tokens.at(int(i)) : QString::number(i);
        const QString text = metrics.elidedText(full, Qt::ElideRight, std::max(0.0, band));
        axis.labels.push_back({i, text, place(double(i) + 0.5, metrics.horizontalAdvance(text))});
    }
}

} // namespace

double widestAxisLabel(const QStringList &tokens, qint64 count, const QFont &font)
{
    const QFontMetricsF metrics(font);
    // Indices need the room of the largest one when the tokens do not fit.
    double widest = metrics.horizontalAdvance(QString::number(std::max<qint64>(count - 1, 0)));
    for (const QString &token : tokens)
        widest = std::max(widest, metrics.horizontalAdvance(token));
    return widest;
}

HeatmapMargins heatmapMargins(double widestQueryLabel, double widestKeyLabel, const QSize &widget, int rightSpace)
{
    const auto side = [&](double widest, int length) {
        return int(std::ceil(std::min(widest + 2 * kGap, kMarginShare * length)));
    };
    HeatmapMargins margins;
    margins.left = side(widestQueryLabel, widget.width());
    margins.top = side(widestKeyLabel, widget.height());
    margins.right = rightSpace;
    return margins;
}

HeatmapAxes layoutHeatmapAxes(const HeatmapViewport &viewport, const QStringList &queryTokens,
                              const QStringList &keyTokens, const QFont &font)
{
    const QRectF plot = viewport.plotRect();
    const QRectF shown = viewport.visibleCells();
    // The matrix where it is drawn: the labels stand against it, not against the plot area.
    const QRectF matrix = QRectF(viewport.toPixel(shown.topLeft()), viewport.toPixel(shown.bottomRight())).intersected(plot);
    const double size = viewport.cellPixels();
    HeatmapAxes axes;

    axes.rows = chooseLabels(queryTokens, viewport.rows(), size, font);
    const double rowLine = QFontMetricsF(axes.rows.font).height();
    const double right = matrix.left() - kGap;
    placeLabels(axes.rows, queryTokens, shown.top(), shown.bottom(), right - kGap, [&](double at, double width) {
        const double y = viewport.toPixel(QPointF(0, at)).y();
        return QRectF(right - width, y - rowLine / 2, width, rowLine);
    });

    axes.columns = chooseLabels(keyTokens, viewport.cols(), size, font);
    const double columnLine = QFontMetricsF(axes.columns.font).height();
    const double bottom = matrix.top() - kGap;
    placeLabels(axes.columns, keyTokens, shown.left(), shown.right(), bottom - kGap, [&](double at, double width) {
        const double x = viewport.toPixel(QPointF(at, 0)).x();
        return QRectF(x - columnLine / 2, bottom - width, columnLine, width);
    });
    return axes;
}

void paintHeatmapAxes(QPainter &painter, const HeatmapAxes &axes)
{
    painter.save();
    painter.setPen(QPalette().color(QPalette::WindowText));
    painter.setFont(axes.rows.font);
    for (const AxisLabel &label : axes.rows.labels)
        painter.drawText(label.box, Qt::AlignRight | Qt::AlignVCenter | Qt::TextDontClip, label.text);
    painter.setFont(axes.columns.font);
    for (const AxisLabel &label : axes.columns.labels) {
        // Upright: the text reads bottom to top, its start against the matrix.
        painter.save();
        painter.translate(label.box.center().x(), label.box.bottom());
        painter.rotate(-90);
        painter.drawText(QRectF(0, -label.box.width() / 2, label.box.height(), label.box.width()),
                         Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip, label.text);
        painter.restore();
    }
    painter.restore();
}

} // namespace attnscope
