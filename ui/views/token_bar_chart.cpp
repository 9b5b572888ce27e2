#include "ui/views/token_bar_chart.h"

#include <algorithm>
#include <optional>

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include "viz/figure/value_axis.h"

namespace attnscope {

namespace {

constexpr double kMostLabelShare = 1.0 / 3; // of the height, for the rotated labels

QFont labelFont(const QFont &font)
{
    QFont small = font;
    small.setPointSizeF(std::max(7.0, font.pointSizeF() * 0.85));
    return small;
}

} // namespace

// Where everything goes at the current size.
struct TokenBarChart::Layout {
    QRectF area;
    QRectF plot;
    double slot = 1;
    double labelHeight = 0;
    std::optional<ValueAxis> axis;

    QRectF bar(int index, double weight) const
    {
        const double top = axis->y(plot, weight);
        return QRectF(plot.left() + (index + 0.1) * slot, top, slot * 0.8, plot.bottom() - top);
    }
};

TokenBarChart::TokenBarChart(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent); // paintEvent fills every pixel: the tabs behind need no repaint
}

void TokenBarChart::setBars(std::vector<TokenBar> bars, int highlighted, const QString &title, const QString &axisTitle)
{
    m_bars = std::move(bars);
    m_highlighted = highlighted;
    m_title = title;
    m_axisTitle = axisTitle;
    update();
}

QSize TokenBarChart::minimumSizeHint() const { return {300, 160}; }

TokenBarChart::Layout TokenBarChart::layout() const
{
    Layout at;
    const QFontMetricsF metrics(font()), small(labelFont(font()));
    const double line = metrics.height();
    double peak = 1e-12;
    for (const TokenBar &bar : m_bars) {
        peak = std::max(peak, bar.weight);
        at.labelHeight = std::max(at.labelHeight, small.horizontalAdvance(bar.label));
    }
    at.area = QRectF(rect()).adjusted(4, 4, -8, -4);
    at.labelHeight = std::min(at.labelHeight, at.area.height() * kMostLabelShare) + 4;
    at.axis.emplace(0, peak, 4, metrics);
    const double left = line + at.axis->labelWidth() + 8;
    at.plot = QRectF(at.area.left() + left, at.area.top() + line * 1.5, at.area.width() - left,
                     at.area.height() - line * 2.5 - at.labelHeight - 4);
    at.slot = at.plot.width() / double(std::max<size_t>(1, m_bars.size()));
    return at;
}

QRectF TokenBarChart::barRect(int index) const
{
    if (index < 0 || index >= int(m_bars.size()))
        return {};
    return layout().bar(index, m_bars[size_t(index)].weight);
}

QStringList TokenBarChart::paintedLabels() const
{
    const double labelHeight = layout().labelHeight;
    const QFontMetricsF small(labelFont(font()));
    QStringList labels;
    for (const TokenBar &bar : m_bars)
        labels << small.elidedText(bar.label, Qt::ElideRight, labelHeight);
    return labels;
}

void TokenBarChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (m_bars.empty())
        return;
    painter.setRenderHint(QPainter::Antialiasing);
    const Layout at = layout();
    const QFontMetricsF metrics(font());
    const double line = metrics.height();
    const ValueAxis &axis = *at.axis;
    painter.setPen(palette().text().color());
    painter.drawText(QRectF(at.area.left(), at.area.top(), at.area.width(), line), Qt::AlignCenter,
                     metrics.elidedText(m_title, Qt::ElideRight, at.area.width()));
    axis.drawGrid(painter, at.plot);
    painter.setPen(Qt::NoPen);
    for (size_t i = 0; i < m_bars.size(); ++i) {
        painter.setBrush(m_bars[i].token == m_highlighted ? QColor(224, 96, 16) : QColor(31, 87, 163));
        painter.drawRect(at.bar(int(i), m_bars[i].weight));
    }
    axis.drawAxes(painter, at.plot);
    axis.drawTitle(painter, at.area, at.plot, tr("attention weight"));
    const QFont small = labelFont(font());
    const double smallLine = QFontMetricsF(small).height();
    painter.setFont(small);
    const QStringList labels = paintedLabels();
    for (size_t i = 0; i < m_bars.size(); ++i) {
        painter.save();
        painter.translate(at.plot.left() + (double(i) + 0.5) * at.slot, at.plot.bottom() + 3);
        painter.rotate(-90);
        painter.drawText(QRectF(-at.labelHeight, -smallLine / 2, at.labelHeight, smallLine), Qt::AlignRight | Qt::AlignVCenter,
                         labels[int(i)]);
        painter.restore();
    }
    painter.setFont(font());
    painter.drawText(QRectF(at.plot.left(), at.area.bottom() - line, at.plot.width(), line), Qt::AlignCenter, m_axisTitle);
}

bool TokenBarChart::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto *help = static_cast<QHelpEvent *>(event);
    const Layout at = layout();
    for (size_t i = 0; i < m_bars.size(); ++i) {
        const QRectF bar = at.bar(int(i), m_bars[i].weight);
        if (help->pos().x() >= bar.left() - 1 && help->pos().x() <= bar.right() + 1) {
            QToolTip::showText(help->globalPos(), tr("token %1 “%2”: %3").arg(m_bars[i].token).arg(m_bars[i].label)
                                                      .arg(m_bars[i].weight, 0, 'g', 6), this);
            return true;
        }
    }
    QToolTip::hideText();
    event->ignore();
    return true;
}

} // namespace attnscope
