#include "viz/graph_edge_drawing.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include <QPainter>

namespace attnscope {

namespace {

constexpr double kThinLine = 1.5;

// Opacity runs from `faintest` (weakest level) to 1, times `fade`.
QColor levelColor(const QColor &base, int level, double faintest, double fade)
{
    const double share = double(level + 1) / kWeightLevels;
    QColor color = base;
    color.setAlphaF(float((faintest + (1 - faintest) * share) * fade));
    return color;
}

// The part of `line` inside `clip` (Liang–Barsky); nullopt when none is.
std::optional<QLineF> clipped(const QLineF &line, const QRectF &clip)
{
    double t0 = 0, t1 = 1;
    const double dx = line.dx(), dy = line.dy();
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {line.x1() - clip.left(), clip.right() - line.x1(), line.y1() - clip.top(), clip.bottom() - line.y1()};
    for (int side = 0; side < 4; ++side) {
        if (p[side] == 0) {
            if (q[side] < 0)
                return std::nullopt;
            continue;
        }
        const double t = q[side] / p[side];
        if (p[side] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
    }
    if (t0 > t1)
        return std::nullopt;
    return QLineF(line.pointAt(t0), line.pointAt(t1));
}

// Wide straight edges as one convex quad each: Qt strokes a wide pen through its general path
// stroker, which is many times slower, while convex polygons take the rasterizer's fast path.
void fillWideLines(QPainter &painter, const std::vector<QLineF> &lines, double width, const QColor &color)
{
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    for (const QLineF &line : lines) {
        const double length = line.length();
        if (length <= 0)
            continue;
        const QPointF half(-line.dy() / length * width / 2, line.dx() / length * width / 2);
        const QPointF quad[4] = {line.p1() + half, line.p2() + half, line.p2() - half, line.p1() - half};
        painter.drawConvexPolygon(quad, 4);
    }
    painter.setBrush(Qt::NoBrush);
}

} // namespace

uint64_t pixelKeyOf(int group, double from, double to)
{
    const auto pixel = [](double v) { return uint64_t(uint32_t(int32_t(std::lround(v)))) & 0xFFFFFu; };
    return (uint64_t(uint32_t(group)) << 40) | (pixel(from) << 20) | pixel(to);
}

EdgeDrawing::EdgeDrawing(const TokenGraphScene &scene, const GraphStyle &style, const QRectF &clip, double tokenPixels)
    : m_scene(scene), m_style(style), m_clip(clip),
      m_maxWidth(std::clamp(tokenPixels / 3, 1.0, std::max(1.0, style.maxWidth))),
      m_minWidth(std::min(style.minWidth, m_maxWidth))
{
}

double EdgeDrawing::levelWidth(int level) const
{
    return m_minWidth + (m_maxWidth - m_minWidth) * double(level + 1) / kWeightLevels;
}

void EdgeDrawing::offerEdgesTouching(int first, int last)
{
    const std::vector<GraphEdge> &edges = m_scene.graph.edges();
    for (uint32_t e = 0; e < edges.size(); ++e) {
        if (std::max(edges[e].from, edges[e].to) < first || std::min(edges[e].from, edges[e].to) > last)
            cull();
        else
            offer(e);
    }
}

GraphPaintStats EdgeDrawing::draw(QPainter &painter, const std::function<EdgeShape(uint32_t)> &shapeOf,
                                  const std::vector<char> *highlighted)
{
    struct Level {
        std::vector<QLineF> lines;
        std::vector<QPainterPath> curves;
        std::vector<QLineF> highlightLines;
        std::vector<QPainterPath> highlightCurves;
    };
    std::array<Level, kWeightLevels> levels;
    std::unordered_set<uint64_t> covered;
    size_t budget = size_t(std::max(0, m_style.maxDrawnEdges));
    for (int level = kWeightLevels - 1; level >= 0; --level) {
        for (uint32_t edge : m_offered[size_t(level)]) {
            const bool onPath = highlighted && (*highlighted)[edge];
            // Highlighted edges are never merged away or dropped: they are what was asked for.
            if (!onPath && budget == 0) {
                ++m_stats.droppedEdges;
                continue;
            }
            EdgeShape shape = shapeOf(edge);
            if (!onPath && !covered.insert(shape.pixelKey).second) {
                ++m_stats.mergedEdges;
                continue;
            }
            Level &target = levels[size_t(level)];
            if (shape.curve.isEmpty()) {
                if (const auto line = clipped(shape.line, m_clip))
                    (onPath ? target.highlightLines : target.lines).push_back(*line);
            } else {
                (onPath ? target.highlightCurves : target.curves).push_back(std::move(shape.curve));
            }
            ++m_stats.drawnEdges;
            if (budget > 0 && !onPath)
                --budget;
        }
    }
    m_stats.antialiased = m_stats.drawnEdges <= size_t(m_style.antialiasEdges);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, m_stats.antialiased);
    painter.setBrush(Qt::NoBrush);
    const auto stroke = [&](int level, const QColor &color, const std::vector<QLineF> &lines,
                            const std::vector<QPainterPath> &curves) {
        const double width = levelWidth(level);
        // Below kThinLine pixels a one-pixel cosmetic pen looks the same and takes Qt's fast
        // path; past the antialiasing budget, so many edges show their weight by opacity alone.
        const bool thin = width < kThinLine || !m_stats.antialiased;
        QPen pen(color, thin ? 0.0 : width);
        pen.setCapStyle(Qt::FlatCap);
        if (thin && !lines.empty()) {
            painter.setPen(pen);
            painter.drawLines(lines.data(), int(lines.size()));
        } else if (!lines.empty()) {
            fillWideLines(painter, lines, width, color);
        }
        painter.setPen(pen);
        for (const QPainterPath &curve : curves)
            painter.drawPath(curve);
    };
    const double fade = highlighted ? 0.3 : 1.0;
    for (int level = 0; level < kWeightLevels; ++level)
        stroke(level, levelColor(m_style.edge, level, 0.2, fade), levels[size_t(level)].lines, levels[size_t(level)].curves);
    for (int level = 0; level < kWeightLevels; ++level)
        stroke(level, levelColor(m_style.highlight, level, 0.6, 1.0), levels[size_t(level)].highlightLines,
               levels[size_t(level)].highlightCurves);
    painter.restore();
    return m_stats;
}

} // namespace attnscope
