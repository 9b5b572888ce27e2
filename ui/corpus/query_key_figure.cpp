#include "ui/corpus/query_key_figure.h"

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QPainter>

namespace attnscope {

namespace {

const QColor kQueryInk(230, 97, 1);
const QColor kKeyInk(33, 102, 172);

} // namespace

struct QueryKeyFigure::Mapping {
    QRectF plot;
    QPointF centre;  // of the data
    double scale = 1; // area units per data unit, alike on both axes
    QPointF at(const QPointF &p) const
    {
        return {plot.center().x() + (p.x() - centre.x()) * scale, plot.center().y() - (p.y() - centre.y()) * scale};
    }
};

QueryKeyFigure::QueryKeyFigure(QueryKeyPoints points, std::vector<int64_t> examples, int64_t marked, const QString &title)
    : m_points(std::move(points)), m_examples(std::move(examples)), m_marked(marked), m_title(title)
{
}

QueryKeyFigure::Mapping QueryKeyFigure::mapping(const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    Mapping map;
    map.plot = QRectF(area.left() + metrics.height() + 4, area.top() + metrics.height() * 1.6, area.width() - metrics.height() - 8,
                      area.height() - metrics.height() * 3.2);
    QRectF bounds;
    for (const QPointF &p : m_points.points)
        bounds = bounds.isNull() ? QRectF(p, QSizeF(1e-9, 1e-9)) : bounds.united(QRectF(p, QSizeF(1e-9, 1e-9)));
    map.centre = bounds.center();
    map.scale = 0.94 * std::min(map.plot.width() / std::max(1e-9, bounds.width()), map.plot.height() / std::max(1e-9, bounds.height()));
    return map;
}

void QueryKeyFigure::paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const Mapping map = mapping(area, canvas);
    const int64_t n = m_points.tokens();
    painter.save();
    painter.setFont(canvas.font);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(QColor(160, 160, 160), 0.6));
    painter.drawRect(map.plot);
    painter.setPen(Qt::NoPen);
    const double radius = std::clamp(120.0 / std::sqrt(double(std::max<int64_t>(1, n))), 1.0, 3.0);
    for (int64_t i = 0; i < 2 * n; ++i) { // keys and queries interleaved, so neither hides the other
        const int64_t k = i % 2 == 0 ? n + i / 2 : i / 2;
        QColor ink = k < n ? kQueryInk : kKeyInk;
        ink.setAlphaF(0.7);
        painter.setBrush(ink);
        painter.drawEllipse(map.at(m_points.points[size_t(k)]), radius, radius);
    }
    painter.setPen(QPen(Qt::black, 0.8));
    for (int64_t k = 0; k < 2 * n; ++k)
        if (m_marked >= 0 && m_examples[size_t(k % n)] == m_marked) {
            painter.setBrush(k < n ? kQueryInk : kKeyInk);
            painter.drawEllipse(map.at(m_points.points[size_t(k)]), radius + 1.5, radius + 1.5);
        }
    const double line = metrics.height();
    double x = map.plot.left();
    for (const auto &[ink, name] : {std::pair{kQueryInk, QStringLiteral("query")}, std::pair{kKeyInk, QStringLiteral("key")}}) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(ink);
        painter.drawEllipse(QPointF(x + 4, area.top() + line / 2), 3.5, 3.5);
        painter.setPen(Qt::black);
        painter.drawText(QRectF(x + 10, area.top(), 200, line), Qt::AlignLeft | Qt::AlignVCenter, name);
        x += 16 + metrics.horizontalAdvance(name);
    }
    painter.drawText(QRectF(map.plot.left(), map.plot.bottom() + 2, map.plot.width(), line), Qt::AlignCenter,
                     QStringLiteral("principal component 1"));
    painter.translate(area.left() + metrics.ascent(), map.plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-map.plot.height() / 2, -metrics.ascent(), map.plot.height(), line), Qt::AlignCenter,
                     QStringLiteral("principal component 2"));
    painter.restore();
}

int QueryKeyFigure::pointAt(const QRectF &area, const FigureCanvas &canvas, const QPointF &point, double radius) const
{
    const Mapping map = mapping(area, canvas);
    int best = -1;
    double bestDistance = radius * radius;
    for (size_t k = 0; k < m_points.points.size(); ++k) {
        const QPointF d = map.at(m_points.points[k]) - point;
        const double distance = d.x() * d.x() + d.y() * d.y();
        if (distance <= bestDistance) {
            bestDistance = distance;
            best = int(k);
        }
    }
    return best;
}

} // namespace attnscope
