#include "viz/neuron_painter.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <QPainter>
#include <torch/torch.h>

namespace attnscope {

NeuronLayout::NeuronLayout(const QRectF &area, int64_t dimensions) : m_area(area), m_dimensions(std::max<int64_t>(1, dimensions)) {}

QRectF NeuronLayout::cellRect(NeuronStrip strip, int64_t dimension) const
{
    const double width = (m_area.width() - kLabelWidth) / double(m_dimensions);
    const double top = m_area.top() + kTitleHeight + int(strip) * (kStripHeight + 4);
    return QRectF(m_area.left() + kLabelWidth + dimension * width, top, width, kStripHeight);
}

QRectF NeuronLayout::barsArea() const
{
    const double top = m_area.top() + kTitleHeight + 3 * (kStripHeight + 4) + 8;
    return QRectF(m_area.left(), top, m_area.width(), std::max(0.0, m_area.bottom() - top));
}

QRgb neuronColor(const Colormap &colormap, double value, double magnitude)
{
    return colormap.color(magnitude > 0 ? 0.5 + 0.5 * value / magnitude : 0.5);
}

void paintNeuronBreakdown(QPainter &painter, const QRectF &area, const NeuronBreakdown &breakdown,
                          const QString &title, const QFont &font, const Colormap &colormap)
{
    const int64_t dimensions = breakdown.query.size(0);
    const NeuronLayout layout(area, dimensions);
    painter.save();
    painter.setFont(font);
    painter.setPen(Qt::black);
    painter.drawText(QRectF(area.left(), area.top(), area.width(), NeuronLayout::kTitleHeight),
                     Qt::AlignLeft | Qt::AlignVCenter, title);
    const std::pair<NeuronStrip, const torch::Tensor *> strips[] = {
        {NeuronStrip::Query, &breakdown.query}, {NeuronStrip::Key, &breakdown.key}, {NeuronStrip::Contribution, &breakdown.contributions}};
    const QString names[] = {QStringLiteral("q"), QStringLiteral("k"), QStringLiteral("q∘k·s")};
    for (const auto &[strip, values] : strips) {
        const double magnitude = values->abs().max().item<double>();
        const auto cells = values->accessor<double, 1>();
        for (int64_t i = 0; i < dimensions; ++i)
            painter.fillRect(layout.cellRect(strip, i), QColor::fromRgba(neuronColor(colormap, cells[i], magnitude)));
        const QRectF first = layout.cellRect(strip, 0);
        painter.setPen(Qt::black);
        painter.drawText(QRectF(area.left(), first.top(), NeuronLayout::kLabelWidth - 6, first.height()),
                         Qt::AlignRight | Qt::AlignVCenter, names[int(strip)]);
    }

    // The dimensions that move the score most, as bars around a zero line.
    const QRectF bars = layout.barsArea();
    const auto contributions = breakdown.contributions.accessor<double, 1>();
    std::vector<int64_t> order(static_cast<size_t>(dimensions));
    std::iota(order.begin(), order.end(), 0);
    const size_t shown = std::min<size_t>(order.size(), NeuronLayout::kTopDimensions);
    std::partial_sort(order.begin(), order.begin() + long(shown), order.end(),
                      [&](int64_t a, int64_t b) { return std::abs(contributions[a]) > std::abs(contributions[b]); });
    const QFontMetricsF metrics(font);
    const double rowHeight = metrics.height() + 2;
    const double magnitude = shown ? std::abs(contributions[order[0]]) : 0;
    const double labelWidth = metrics.horizontalAdvance(QStringLiteral("dim 0000 "));
    const double zero = bars.left() + labelWidth + (bars.width() - labelWidth) / 2;
    const double half = (bars.width() - labelWidth) / 2 - 60;
    // The score's sum on one line, or one part per line when the area is narrower (a column figure).
    QStringList parts{QStringLiteral("score = Σ q_d·k_d·s = %1   (s = %2)").arg(breakdown.score, 0, 'g', 6).arg(breakdown.scale, 0, 'g', 4)};
    if (breakdown.softCap > 0) // Gemma 2: the softmax sees the capped score
        parts << QStringLiteral("capped: %1·tanh(score / %1) = %2").arg(breakdown.softCap, 0, 'g', 4).arg(breakdown.cappedScore, 0, 'g', 6);
    parts << QStringLiteral("attention weight = %1").arg(breakdown.weight, 0, 'g', 6);
    QString summary = parts.join(QStringLiteral("   "));
    const bool wraps = metrics.horizontalAdvance(summary) > bars.width();
    if (wraps)
        summary = parts.join(QLatin1Char('\n'));
    const double footer = double(wraps ? parts.size() : 1) * rowHeight + 4;
    for (size_t row = 0; row < shown && (row + 1) * rowHeight <= bars.height() - footer; ++row) {
        const double value = contributions[order[row]];
        const double y = bars.top() + row * rowHeight;
        const double length = magnitude > 0 ? half * value / magnitude : 0;
        painter.fillRect(QRectF(std::min(zero, zero + length), y + 1, std::abs(length), rowHeight - 2),
                         QColor::fromRgba(neuronColor(colormap, value, magnitude)));
        painter.setPen(Qt::black);
        painter.drawText(QRectF(bars.left(), y, labelWidth, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                         QStringLiteral("dim %1").arg(order[row]));
        const QString number = QString::number(value, 'g', 3);
        const QRectF text = value >= 0 ? QRectF(zero + length + 4, y, 56, rowHeight) : QRectF(zero + length - 60, y, 56, rowHeight);
        painter.drawText(text, (value >= 0 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, number);
    }
    painter.setPen(QColor(120, 120, 120));
    painter.drawLine(QPointF(zero, bars.top()), QPointF(zero, bars.top() + shown * rowHeight));
    painter.setPen(Qt::black);
    painter.drawText(QRectF(bars.left(), bars.bottom() - footer, bars.width(), footer), Qt::AlignLeft | Qt::AlignVCenter, summary);
    painter.restore();
}

} // namespace attnscope
