#include "viz/graph_edge_drawing.h"

#include <cmath>
#include <unordered_set>

#include <QPainter>

namespace attnscope {

namespace {

// Opacity runs from `faintest` (weakest level) to 1, times `fade`.
QPen levelPen(const QColor &base, int level, const GraphStyle &style, double faintest, double fade)
{
    const double share = double(level + 1) / kWeightLevels;
    QColor color = base;
    color.setAlphaF(float((faintest + (1 - faintest) * share) * fade));
    QPen pen(color, style.minWidth + (style.maxWidth - style.minWidth) * share);
    pen.setCapStyle(Qt::FlatCap);
    return pen;
}

} // namespace

uint64_t pixelKeyOf(int group, double from, double to)
{
    const auto pixel = [](double v) { return uint64_t(uint32_t(int32_t(std::lround(v)))) & 0xFFFFFu; };
    return (uint64_t(uint32_t(group)) << 40) | (pixel(from) << 20) | pixel(to);
}

EdgeDrawing::EdgeDrawing(const TokenGraphScene &scene, const GraphStyle &style) : m_scene(scene), m_style(style) {}

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
            if (shape.curve.isEmpty())
                (onPath ? target.highlightLines : target.lines).push_back(shape.line);
            else
                (onPath ? target.highlightCurves : target.curves).push_back(std::move(shape.curve));
            ++m_stats.drawnEdges;
            if (budget > 0 && !onPath)
                --budget;
        }
    }
    m_stats.antialiased = m_stats.drawnEdges <= size_t(m_style.antialiasEdges);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, m_stats.antialiased);
    painter.setBrush(Qt::NoBrush);
    const double fade = highlighted ? 0.3 : 1.0;
    const auto stroke = [&](const std::vector<QLineF> &lines, const std::vector<QPainterPath> &curves) {
        if (!lines.empty())
            painter.drawLines(lines.data(), int(lines.size()));
        for (const QPainterPath &curve : curves)
            painter.drawPath(curve);
    };
    for (int level = 0; level < kWeightLevels; ++level) {
        painter.setPen(levelPen(m_style.edge, level, m_style, 0.2, fade));
        stroke(levels[size_t(level)].lines, levels[size_t(level)].curves);
    }
    for (int level = 0; level < kWeightLevels; ++level) {
        painter.setPen(levelPen(m_style.highlight, level, m_style, 0.6, 1.0));
        stroke(levels[size_t(level)].highlightLines, levels[size_t(level)].highlightCurves);
    }
    painter.restore();
    return m_stats;
}

} // namespace attnscope
