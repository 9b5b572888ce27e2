#include "viz/bipartite_graph_painter.h"

#include <algorithm>
#include <cmath>

#include "viz/graph_edge_drawing.h"

namespace attnscope {

namespace {

int segmentOf(const TokenGraphScene &scene, int token)
{
    return token < int(scene.segments.size()) ? scene.segments[size_t(token)] : 0;
}

} // namespace

QStringList pairFilterNames()
{
    return {QStringLiteral("all"), QStringLiteral("A→A"), QStringLiteral("A→B"), QStringLiteral("B→A"), QStringLiteral("B→B")};
}

bool pairFilterKeeps(PairFilter filter, int querySegment, int keySegment)
{
    switch (filter) {
    case PairFilter::AToA: return querySegment == 0 && keySegment == 0;
    case PairFilter::AToB: return querySegment == 0 && keySegment == 1;
    case PairFilter::BToA: return querySegment == 1 && keySegment == 0;
    case PairFilter::BToB: return querySegment == 1 && keySegment == 1;
    case PairFilter::All: break;
    }
    return true;
}

BipartiteGeometry::BipartiteGeometry(const TokenGraphScene &scene, const GraphViewport &viewport)
    : m_scene(scene), m_viewport(viewport)
{
    const auto b = std::find(scene.segments.begin(), scene.segments.end(), 1);
    if (b != scene.segments.end())
        m_firstB = int(b - scene.segments.begin());
}

int BipartiteGeometry::rows(const TokenGraphScene &scene) { return scene.graph.tokens() + (scene.hasPair() ? 1 : 0); }

double BipartiteGeometry::row(int token) const { return token + (m_firstB >= 0 && token >= m_firstB ? 1 : 0); }

double BipartiteGeometry::queryX() const { return m_viewport.area.left() + m_viewport.labelWidth; }
double BipartiteGeometry::keyX() const { return m_viewport.area.right() - m_viewport.labelWidth; }

double BipartiteGeometry::tokenY(int token) const
{
    return m_viewport.area.top() + kHeaderHeight + (row(token) - m_viewport.firstToken + 0.5) * m_viewport.tokenPixels;
}

bool BipartiteGeometry::rowVisible(int token) const
{
    const double y = tokenY(token);
    return y >= m_viewport.area.top() + kHeaderHeight - m_viewport.tokenPixels && y <= m_viewport.area.bottom() + m_viewport.tokenPixels;
}

GraphNode BipartiteGeometry::nodeAt(const QPointF &pos) const
{
    if (!m_viewport.area.contains(pos) || pos.y() < m_viewport.area.top() + kHeaderHeight)
        return {};
    int at = int(std::floor((pos.y() - m_viewport.area.top() - kHeaderHeight) / m_viewport.tokenPixels + m_viewport.firstToken));
    if (m_firstB >= 0 && at >= m_firstB) {
        if (at == m_firstB)
            return {}; // the row between the sentences
        --at;
    }
    if (at < 0 || at >= m_scene.graph.tokens())
        return {};
    const double middle = (queryX() + keyX()) / 2;
    return {pos.x() < middle ? 1 : 0, at};
}

GraphViewport fitBipartiteViewport(const TokenGraphScene &scene, const QRectF &area, const QFont &font)
{
    GraphViewport viewport;
    viewport.area = area;
    viewport.labelWidth = labelWidthFor(scene.labels, font);
    viewport.tokenPixels = (area.height() - BipartiteGeometry::kHeaderHeight) / std::max(1, BipartiteGeometry::rows(scene));
    return viewport;
}

GraphPaintStats paintBipartiteGraph(QPainter &painter, const TokenGraphScene &scene, const GraphViewport &viewport,
                                    PairFilter filter, const Influence &influence, const GraphStyle &style)
{
    const BipartiteGeometry geometry(scene, viewport);
    const TokenGraph &graph = scene.graph;
    painter.save();
    painter.setClipRect(viewport.area);
    painter.setFont(style.font);

    EdgeDrawing edges(scene, style, viewport.area, viewport.tokenPixels);
    for (uint32_t e = 0; e < graph.edges().size(); ++e) {
        const GraphEdge &edge = graph.edges()[e];
        if (!pairFilterKeeps(filter, segmentOf(scene, edge.from), segmentOf(scene, edge.to)))
            continue;
        const double from = geometry.tokenY(edge.from);
        const double to = geometry.tokenY(edge.to);
        if (std::max(from, to) < viewport.area.top() || std::min(from, to) > viewport.area.bottom())
            edges.cull();
        else
            edges.offer(e);
    }
    GraphPaintStats stats = edges.draw(
        painter,
        [&](uint32_t e) {
            const GraphEdge &edge = graph.edges()[e];
            const QPointF from(geometry.queryX(), geometry.tokenY(edge.from));
            const QPointF to(geometry.keyX(), geometry.tokenY(edge.to));
            return EdgeShape{QLineF(from, to), {}, pixelKeyOf(0, from.y(), to.y())};
        },
        influence.isEmpty() ? nullptr : &influence.onPath);

    painter.setPen(style.text);
    painter.drawText(QRectF(viewport.area.left(), viewport.area.top(), viewport.labelWidth * 2, BipartiteGeometry::kHeaderHeight),
                     Qt::AlignLeft | Qt::AlignVCenter, QObject::tr("queries"));
    painter.drawText(QRectF(viewport.area.right() - viewport.labelWidth * 2, viewport.area.top(), viewport.labelWidth * 2,
                            BipartiteGeometry::kHeaderHeight),
                     Qt::AlignRight | Qt::AlignVCenter, QObject::tr("keys"));
    const std::optional<QFont> labelFont = tokenLabelFont(style.font, viewport.tokenPixels);
    stats.labels = labelFont.has_value();
    if (labelFont)
        painter.setFont(*labelFont);
    const QFontMetricsF metrics(labelFont.value_or(style.font));
    const double inner = viewport.labelWidth - 6;
    painter.setRenderHint(QPainter::Antialiasing, true);
    for (int token = 0; token < graph.tokens(); ++token) {
        if (!geometry.rowVisible(token))
            continue;
        const double y = geometry.tokenY(token);
        const bool chosenQuery = influence.column == 1 && influence.token == token;
        const bool reachedKey = influence.reaches(0, token);
        painter.setPen(Qt::NoPen);
        const double radius = std::clamp(viewport.tokenPixels * 0.25, 1.0, 3.5);
        painter.setBrush(chosenQuery ? style.highlight : style.node);
        painter.drawEllipse(QPointF(geometry.queryX(), y), radius, radius);
        painter.setBrush(reachedKey ? style.highlight : style.node);
        painter.drawEllipse(QPointF(geometry.keyX(), y), radius, radius);
        if (!stats.labels || token >= scene.labels.size())
            continue;
        painter.setPen(segmentOf(scene, token) == 1 ? style.segmentB : style.text);
        const QString label = metrics.elidedText(scene.labels[token], Qt::ElideRight, inner);
        const double top = y - viewport.tokenPixels / 2;
        painter.drawText(QRectF(viewport.area.left(), top, inner, viewport.tokenPixels), Qt::AlignRight | Qt::AlignVCenter, label);
        painter.drawText(QRectF(geometry.keyX() + 6, top, inner, viewport.tokenPixels), Qt::AlignLeft | Qt::AlignVCenter, label);
    }
    painter.restore();
    return stats;
}

} // namespace attnscope
