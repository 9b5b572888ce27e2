#include "viz/token_lines_painter.h"

#include <algorithm>

#include <QPainter>
#include <torch/torch.h>

namespace attnscope {

namespace {
int segmentOf(const std::vector<int> &segments, int token) { return token < int(segments.size()) ? segments[size_t(token)] : 0; }
}

HeadLines headLinesOf(const torch::Tensor &probabilities, int head, const QColor &color, double minWeight, int maxPerQuery)
{
    HeadLines lines;
    lines.head = head;
    lines.color = color;
    const torch::Tensor values = probabilities.to(torch::kFloat).contiguous();
    const int64_t keep = std::min<int64_t>(maxPerQuery, values.size(1));
    const auto [weights, keys] = values.topk(keep, 1);
    const auto weight = weights.accessor<float, 2>();
    const auto key = keys.accessor<int64_t, 2>();
    lines.keysOf.resize(size_t(values.size(0)));
    for (int64_t q = 0; q < values.size(0); ++q)
        for (int64_t i = 0; i < keep && weight[q][i] >= minWeight; ++i)
            lines.keysOf[size_t(q)].emplace_back(int(key[q][i]), weight[q][i]);
    return lines;
}

QColor headColor(int head, int count)
{
    // Tableau's ten, then hues spread evenly for larger models.
    static const QRgb tableau[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                   0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
    if (count <= 10)
        return QColor(tableau[head % 10]);
    return QColor::fromHsvF(float(head) / float(count), 0.75f, 0.85f);
}

TokenLinesGeometry::TokenLinesGeometry(const QRectF &area, const std::vector<int> &segments, int tokens, double labelWidth,
                                       double rowHeight, double headerHeight)
    : m_area(area), m_tokens(tokens), m_labelWidth(labelWidth), m_rowHeight(rowHeight), m_headerHeight(headerHeight)
{
    const auto b = std::find(segments.begin(), segments.end(), 1);
    if (b != segments.end())
        m_firstB = int(b - segments.begin());
}

int TokenLinesGeometry::row(int token) const { return token + (m_firstB >= 0 && token >= m_firstB ? 1 : 0); }

double TokenLinesGeometry::height() const { return m_headerHeight + (m_tokens + (m_firstB >= 0 ? 1 : 0)) * m_rowHeight; }
double TokenLinesGeometry::queryX() const { return m_area.left() + m_labelWidth; }
double TokenLinesGeometry::keyX() const { return m_area.right() - m_labelWidth; }
double TokenLinesGeometry::tokenY(int token) const { return m_area.top() + m_headerHeight + (row(token) + 0.5) * m_rowHeight; }

std::pair<int, int> TokenLinesGeometry::tokenAt(const QPointF &pos) const
{
    int at = int(std::floor((pos.y() - m_area.top() - m_headerHeight) / m_rowHeight));
    if (m_firstB >= 0 && at >= m_firstB) {
        if (at == m_firstB)
            return {-1, -1};
        --at;
    }
    if (pos.y() < m_area.top() + m_headerHeight || at < 0 || at >= m_tokens)
        return {-1, -1};
    if (pos.x() <= queryX())
        return {1, at};
    if (pos.x() >= keyX())
        return {0, at};
    return {-1, -1};
}

void forEachShownLine(const std::vector<HeadLines> &heads, const std::vector<int> &segments, PairFilter filter,
                      const LinesFocus &focus, const std::function<void(const HeadLines &, int, int, float)> &shown)
{
    for (const HeadLines &head : heads)
        for (size_t q = 0; q < head.keysOf.size(); ++q) {
            if (focus.side == 1 && focus.token != int(q))
                continue;
            for (const auto &[key, weight] : head.keysOf[q])
                if ((focus.side != 0 || focus.token == key) && pairFilterKeeps(filter, segmentOf(segments, int(q)), segmentOf(segments, key)))
                    shown(head, int(q), key, weight);
        }
}

void paintTokenLines(QPainter &painter, const TokenLinesGeometry &geometry, const QStringList &labels,
                     const std::vector<int> &segments, const std::vector<HeadLines> &heads, PairFilter filter,
                     const LinesFocus &focus, const QFont &font, const QRectF &exposed)
{
    painter.save();
    painter.setFont(font);
    painter.setRenderHint(QPainter::Antialiasing);
    const double top = exposed.top(), bottom = exposed.bottom();
    forEachShownLine(heads, segments, filter, focus, [&](const HeadLines &head, int query, int key, float weight) {
        const double y0 = geometry.tokenY(query), y1 = geometry.tokenY(key);
        if ((y0 < top && y1 < top) || (y0 > bottom && y1 > bottom))
            return; // both ends on the same side outside the exposed rows
        QColor color = head.color;
        color.setAlphaF(std::clamp(weight, 0.0f, 1.0f));
        painter.setPen(QPen(color, 2));
        painter.drawLine(QPointF(geometry.queryX() + 4, y0), QPointF(geometry.keyX() - 4, y1));
    });
    const QFontMetricsF metrics(font);
    const double rowHeight = geometry.rowHeight();
    const double width = std::max(0.0, geometry.labelWidth() - 4); // a label's room, up to its gap
    painter.setPen(Qt::black);
    painter.drawText(QRectF(geometry.queryX() - 4 - width, exposed.top(), width, geometry.headerHeight()),
                     Qt::AlignRight | Qt::AlignVCenter, QObject::tr("queries"));
    painter.drawText(QRectF(geometry.keyX() + 4, exposed.top(), width, geometry.headerHeight()),
                     Qt::AlignLeft | Qt::AlignVCenter, QObject::tr("keys"));
    for (int token = 0; token < labels.size(); ++token) {
        const double y = geometry.tokenY(token);
        if (y < top - rowHeight || y > bottom + rowHeight)
            continue;
        const QRectF row(0, y - rowHeight / 2, 0, rowHeight);
        const QString label = metrics.elidedText(labels[token], Qt::ElideRight, width);
        for (int side : {1, 0}) {
            const bool focused = focus.side == side && focus.token == token;
            QFont labelFont = font;
            labelFont.setBold(focused);
            painter.setFont(labelFont);
            painter.setPen(segmentOf(segments, token) == 1 ? QColor(128, 48, 128) : Qt::black);
            if (side == 1)
                painter.drawText(QRectF(geometry.queryX() - 4 - width, row.top(), width, row.height()),
                                 Qt::AlignRight | Qt::AlignVCenter, label);
            else
                painter.drawText(QRectF(geometry.keyX() + 4, row.top(), width, row.height()), Qt::AlignLeft | Qt::AlignVCenter,
                                 label);
        }
    }
    painter.restore();
}

} // namespace attnscope
