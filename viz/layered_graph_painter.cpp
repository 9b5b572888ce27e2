#include "viz/layered_graph_painter.h"

#include <algorithm>
#include <cmath>

#include "viz/graph_edge_drawing.h"

namespace attnscope {

namespace {
constexpr double kDotTokenPixels = 4; // rows this tall or taller get node dots
constexpr double kColumnGrab = 8;     // pixels either side of a column that pick its nodes
}

LayeredGraphGeometry::LayeredGraphGeometry(const TokenGraphScene &scene, const GraphViewport &viewport)
    : m_viewport(viewport), m_columns(scene.graph.layers() + 1), m_tokens(scene.graph.tokens())
{
    const double rows = (viewport.area.height() - kHeaderHeight) / viewport.tokenPixels;
    m_first = std::clamp(int(std::floor(viewport.firstToken)), 0, m_tokens);
    m_last = std::clamp(int(std::ceil(viewport.firstToken + rows)), -1, m_tokens - 1);
}

double LayeredGraphGeometry::columnX(int column) const
{
    const double left = m_viewport.area.left() + m_viewport.labelWidth;
    const double span = m_viewport.area.width() - 2 * m_viewport.labelWidth;
    return m_columns > 1 ? left + span * column / (m_columns - 1) : left + span / 2;
}

double LayeredGraphGeometry::tokenY(double token) const
{
    return m_viewport.area.top() + kHeaderHeight + (token - m_viewport.firstToken + 0.5) * m_viewport.tokenPixels;
}

GraphNode LayeredGraphGeometry::nodeAt(const QPointF &pos) const
{
    const double row = (pos.y() - m_viewport.area.top() - kHeaderHeight) / m_viewport.tokenPixels + m_viewport.firstToken;
    const int token = int(std::floor(row));
    if (pos.y() < m_viewport.area.top() + kHeaderHeight || token < 0 || token >= m_tokens)
        return {};
    if (pos.x() < columnX(0) && pos.x() >= m_viewport.area.left())
        return {0, token};
    const int last = m_columns - 1;
    if (pos.x() > columnX(last) && pos.x() <= m_viewport.area.right())
        return {last, token};
    for (int column = 0; column <= last; ++column)
        if (std::abs(pos.x() - columnX(column)) <= kColumnGrab)
            return {column, token};
    return {};
}

GraphViewport fitLayeredViewport(const TokenGraphScene &scene, const QRectF &area, const QFont &font)
{
    GraphViewport viewport;
    viewport.area = area;
    viewport.labelWidth = labelWidthFor(scene.labels, font);
    viewport.tokenPixels = (area.height() - LayeredGraphGeometry::kHeaderHeight) / std::max(1, scene.graph.tokens());
    return viewport;
}

QString layeredColumnTitle(int column)
{
    return column == 0 ? QStringLiteral("in") : QStringLiteral("L%1").arg(column - 1);
}

GraphPaintStats paintLayeredGraph(QPainter &painter, const TokenGraphScene &scene, const GraphViewport &viewport,
                                  const Influence &influence, const GraphStyle &style)
{
    const LayeredGraphGeometry geometry(scene, viewport);
    const TokenGraph &graph = scene.graph;
    const int first = geometry.firstVisibleToken();
    const int last = geometry.lastVisibleToken();
    painter.save();
    painter.setClipRect(viewport.area);
    painter.setFont(style.font);

    EdgeDrawing edges(scene, style, viewport.area, viewport.tokenPixels);
    edges.offerEdgesTouching(first, last);
    GraphPaintStats stats = edges.draw(
        painter,
        [&](uint32_t e) {
            const GraphEdge &edge = graph.edges()[e];
            const QPointF from(geometry.columnX(edge.layer + 1), geometry.tokenY(edge.from));
            const QPointF to(geometry.columnX(edge.layer), geometry.tokenY(edge.to));
            return EdgeShape{QLineF(from, to), {}, pixelKeyOf(edge.layer, from.y(), to.y())};
        },
        influence.isEmpty() ? nullptr : &influence.onPath);

    // Columns: a thin rule when rows are too short for dots.
    painter.setRenderHint(QPainter::Antialiasing, true);
    const bool dots = viewport.tokenPixels >= kDotTokenPixels;
    const double radius = std::min(4.0, viewport.tokenPixels * 0.3);
    const double top = geometry.tokenY(std::max(first, 0) - 0.5);
    const double bottom = geometry.tokenY(last + 0.5);
    for (int column = 0; column <= graph.layers(); ++column) {
        const double x = geometry.columnX(column);
        if (!dots) {
            painter.setPen(QPen(style.node, 1));
            painter.drawLine(QPointF(x, top), QPointF(x, bottom));
        }
        for (int token = first; token <= last; ++token) {
            const bool reached = influence.reaches(column, token);
            if (!dots && !reached)
                continue;
            painter.setPen(Qt::NoPen);
            painter.setBrush(reached ? style.highlight : style.node);
            painter.drawEllipse(QPointF(x, geometry.tokenY(token)), std::max(radius, 1.5), std::max(radius, 1.5));
        }
    }
    if (!influence.isEmpty() && influence.token >= first && influence.token <= last) {
        painter.setPen(QPen(style.highlight, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(QPointF(geometry.columnX(influence.column), geometry.tokenY(influence.token)), radius + 3, radius + 3);
    }

    // Titles and labels.
    painter.setPen(style.text);
    for (int column = 0; column <= graph.layers(); ++column)
        painter.drawText(QRectF(geometry.columnX(column) - 30, viewport.area.top(), 60, LayeredGraphGeometry::kHeaderHeight),
                         Qt::AlignCenter, layeredColumnTitle(column));
    const std::optional<TokenLabels> labels = tokenLabels(style.font, viewport.tokenPixels);
    stats.labels = labels.has_value();
    if (labels) {
        painter.setFont(labels->font);
        const QFontMetricsF metrics(labels->font);
        const double inner = viewport.labelWidth - 6;
        const double room = std::max(viewport.tokenPixels, metrics.height()); // a label may span its neighbours' rows
        for (int token = std::max(first, 0); token <= last && token < scene.labels.size(); ++token) {
            if (!labels->shows(token))
                continue;
            const bool segmentB = token < int(scene.segments.size()) && scene.segments[size_t(token)] == 1;
            painter.setPen(segmentB ? style.segmentB : style.text);
            const QString label = metrics.elidedText(scene.labels[token], Qt::ElideRight, inner);
            const double y = geometry.tokenY(token) - room / 2;
            painter.drawText(QRectF(viewport.area.left(), y, inner, room), Qt::AlignRight | Qt::AlignVCenter, label);
            painter.drawText(QRectF(geometry.columnX(graph.layers()) + 6, y, inner, room), Qt::AlignLeft | Qt::AlignVCenter, label);
        }
    }
    painter.restore();
    return stats;
}

} // namespace attnscope
