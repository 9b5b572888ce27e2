#include "ui/views/heatmap_axes.h"

#include <algorithm>
#include <cmath>

#include <QFontMetrics>
#include <QPalette>
#include <QPainter>

namespace attnscope {

namespace {

constexpr double kMinTickPixels = 40.0;
constexpr int kGap = 6;

// One axis: `draw` writes the label of cell `index` in a band `extent` pixels wide centred
// on the cell (a line of text at least, so that index labels are not clipped).
template <typename Draw>
void labelAxis(const QStringList &tokens, qint64 count, double first, double last, double cellPixels,
               int lineHeight, const Draw &draw)
{
    if (tokens.size() == count && cellPixels >= lineHeight) {
        for (qint64 i = qint64(std::floor(first)); i < qint64(std::ceil(last)); ++i)
            draw(i, tokens.at(int(i)), cellPixels);
        return;
    }
    const qint64 step = roundTickStep(kMinTickPixels / cellPixels);
    for (qint64 i = qint64(std::ceil(first / double(step))) * step; i < last; i += step)
        draw(i, QString::number(i), std::max(cellPixels, double(lineHeight)));
}

} // namespace

void paintHeatmapAxes(QPainter &painter, const HeatmapViewport &viewport,
                      const QStringList &queryTokens, const QStringList &keyTokens)
{
    const QRectF plot = viewport.plotRect();
    const QRectF shown = viewport.visibleCells();
    const QFontMetrics metrics = painter.fontMetrics();
    const double size = viewport.cellPixels();
    painter.save();
    painter.setPen(QPalette().color(QPalette::WindowText));

    const int rowWidth = HeatmapMargins::left - kGap;
    labelAxis(queryTokens, viewport.rows(), shown.top(), shown.bottom(), size, metrics.height(),
              [&](qint64 row, const QString &text, double extent) {
                  const double y = viewport.toPixel(QPointF(0, row + 0.5)).y();
                  const QRectF band(plot.left() - kGap - rowWidth, y - extent / 2, rowWidth, extent);
                  painter.drawText(band, Qt::AlignRight | Qt::AlignVCenter,
                                   metrics.elidedText(text, Qt::ElideRight, rowWidth));
              });

    const int colHeight = HeatmapMargins::top - kGap;
    labelAxis(keyTokens, viewport.cols(), shown.left(), shown.right(), size, metrics.height(),
              [&](qint64 col, const QString &text, double extent) {
                  const double x = viewport.toPixel(QPointF(col + 0.5, 0)).x();
                  painter.save();
                  painter.translate(x, plot.top() - kGap);
                  painter.rotate(-90);
                  painter.drawText(QRectF(0, -extent / 2, colHeight, extent), Qt::AlignLeft | Qt::AlignVCenter,
                                   metrics.elidedText(text, Qt::ElideRight, colHeight));
                  painter.restore();
              });
    painter.restore();
}

} // namespace attnscope
