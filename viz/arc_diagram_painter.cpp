#include "viz/arc_diagram_painter.h"

#include <algorithm>
#include <cmath>

#include "viz/graph_edge_drawing.h"

namespace attnscope {

namespace {
constexpr double kMargin = 4;
}

bool hasForwardEdges(const TokenGraph &graph)
{
    return std::any_of(graph.edges().begin(), graph.edges().end(), [](const GraphEdge &edge) { return edge.to > edge.from; });
}

ArcDiagramGeometry::ArcDiagramGeometry(const TokenGraphScene &scene, const GraphViewport &viewport, bool labels)
    : m_viewport(viewport), m_tokens(scene.graph.tokens())
{
    const double band = labels ? viewport.labelWidth : 2 * kMargin;
    const double arcs = viewport.area.height() - band;
    const double upper = hasForwardEdges(scene.graph) ? arcs / 2 : arcs;
    m_baseline = viewport.area.top() + upper;
    m_lower = m_baseline + band;
    const double columns = viewport.area.width() / viewport.tokenPixels;
    m_first = std::clamp(int(std::floor(viewport.firstToken)), 0, m_tokens);
    m_last = std::clamp(int(std::ceil(viewport.firstToken + columns)), -1, m_tokens - 1);
}

double ArcDiagramGeometry::tokenX(double token) const
{
    return m_viewport.area.left() + (token - m_viewport.firstToken + 0.5) * m_viewport.tokenPixels;
}

double ArcDiagramGeometry::upperRoom() const { return m_baseline - m_viewport.area.top() - kMargin; }
double ArcDiagramGeometry::lowerRoom() const { return m_viewport.area.bottom() - m_lower - kMargin; }

GraphNode ArcDiagramGeometry::nodeAt(const QPointF &pos) const
{
    if (!m_viewport.area.contains(pos))
        return {};
    const int token = int(std::floor((pos.x() - m_viewport.area.left()) / m_viewport.tokenPixels + m_viewport.firstToken));
    if (token < 0 || token >= m_tokens)
        return {};
    return {1, token};
}

GraphViewport fitArcViewport(const TokenGraphScene &scene, const QRectF &area, const QFont &font)
{
    GraphViewport viewport;
    viewport.area = area;
    viewport.labelWidth = labelWidthFor(scene.labels, font);
    viewport.tokenPixels = area.width() / std::max(1, scene.graph.tokens());
    return viewport;
}

GraphPaintStats paintArcDiagram(QPainter &painter, const TokenGraphScene &scene, const GraphViewport &viewport,
                                const Influence &influence, const GraphStyle &style)
{
    const std::optional<TokenLabels> labels = tokenLabels(style.font, viewport.tokenPixels);
    const ArcDiagramGeometry geometry(scene, viewport, labels.has_value());
    const TokenGraph &graph = scene.graph;
    const int first = geometry.firstVisibleToken();
    const int last = geometry.lastVisibleToken();
    painter.save();
    painter.setClipRect(viewport.area);
    painter.setFont(style.font);

    EdgeDrawing edges(scene, style, viewport.area, viewport.tokenPixels);
    edges.offerEdgesTouching(first, last);
    const double loop = std::clamp(viewport.tokenPixels * 0.3, 2.0, 8.0);
    GraphPaintStats stats = edges.draw(
        painter,
        [&](uint32_t e) {
            const GraphEdge &edge = graph.edges()[e];
            const double from = geometry.tokenX(edge.from);
            const double to = geometry.tokenX(edge.to);
            QPainterPath curve;
            if (edge.from == edge.to) {
                curve.addEllipse(QPointF(from, geometry.baseline() - loop), loop * 0.7, loop);
            } else {
                // A cubic whose control points sit at height h peaks at 0.75 h.
                const bool forward = edge.to > edge.from;
                const double base = forward ? geometry.lowerBaseline() : geometry.baseline();
                const double room = (forward ? geometry.lowerRoom() : geometry.upperRoom()) / 0.75;
                const double height = std::min(std::abs(to - from) * 0.8, room) * (forward ? 1 : -1);
                curve.moveTo(from, base);
                curve.cubicTo(from, base + height, to, base + height, to, base);
            }
            return EdgeShape{{}, curve, pixelKeyOf(0, from, to)};
        },
        influence.isEmpty() ? nullptr : &influence.onPath);

    painter.setRenderHint(QPainter::Antialiasing, true);
    const double radius = std::clamp(viewport.tokenPixels * 0.2, 1.0, 3.5);
    for (int token = first; token <= last; ++token) {
        const bool chosen = influence.token == token;
        const bool reached = influence.reaches(0, token) || chosen;
        painter.setPen(Qt::NoPen);
        painter.setBrush(reached ? style.highlight : style.node);
        painter.drawEllipse(QPointF(geometry.tokenX(token), geometry.baseline()), chosen ? radius * 1.8 : radius,
                            chosen ? radius * 1.8 : radius);
    }
    stats.labels = labels.has_value();
    if (labels) {
        painter.setFont(labels->font);
        const QFontMetricsF metrics(labels->font);
        const double inner = viewport.labelWidth - 6;
        const double room = std::max(viewport.tokenPixels, metrics.height()); // a label may span its neighbours' columns
        for (int token = first; token <= last && token < scene.labels.size(); ++token) {
            if (!labels->shows(token))
                continue;
            const bool segmentB = token < int(scene.segments.size()) && scene.segments[size_t(token)] == 1;
            painter.setPen(segmentB ? style.segmentB : style.text);
            painter.save();
            // Written upwards, ending just under the row.
            painter.translate(geometry.tokenX(token), geometry.baseline() + 4);
            painter.rotate(-90);
            painter.drawText(QRectF(-inner, -room / 2, inner, room),
                             Qt::AlignRight | Qt::AlignVCenter, metrics.elidedText(scene.labels[token], Qt::ElideRight, inner));
            painter.restore();
        }
    }
    painter.restore();
    return stats;
}

} // namespace attnscope
