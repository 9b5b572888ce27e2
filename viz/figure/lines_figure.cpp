// The lines figure (bertviz's head view): queries on the left, keys on the right, a line per
// kept weight in its head's color. The drawing spans the page's width; its rows are at least
// a line of the page's font tall, so a page too short for every token shows a window of them
// around the query (and says so in its header) instead of shrinking the text.

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QPainter>

#include "viz/figure/view_figures.h"
#include "viz/graph_scene.h"
#include "viz/token_lines_painter.h"

namespace attnscope {

namespace {

constexpr int kMostLineTokens = 1024;   // as the lines view: beyond it, a window …
constexpr int kWindowLineTokens = 256;  // … of this many tokens around the query
constexpr double kRowLines = 0.9;       // a row is at least this share of a text line (as the head view's axes)
constexpr double kMostRowLines = 2.5;   // rows spread down the page up to this many lines
constexpr double kLabelShare = 0.3;     // a side's labels take at most this share of the width

// `count` tokens of [0, total) around `query`, clamped to the input.
std::pair<int, int> windowAround(int query, int count, int total)
{
    if (total <= count)
        return {0, total};
    const int first = std::clamp(query - count / 2, 0, total - count);
    return {first, first + count};
}

class TokenLinesFigure : public FigureContent {
public:
    TokenLinesFigure(const FigureSource &source, int layer, std::vector<int> heads, int query, QString title)
        : m_record(source.record), m_labels(source.labels), m_segments(source.segments), m_layer(layer),
          m_heads(std::move(heads)), m_query(query), m_title(std::move(title))
    {
    }
    QString title() const override { return m_title; }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override;

private:
    std::shared_ptr<const AttentionRecord> m_record;
    QStringList m_labels;
    std::vector<int> m_segments;
    int m_layer = 0;
    std::vector<int> m_heads;
    int m_query = 0;
    QString m_title;
};

void TokenLinesFigure::paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const int total = int(m_labels.size());
    const bool pair = std::find(m_segments.begin(), m_segments.end(), 1) != m_segments.end();
    const double header = metrics.height() * 1.4;
    const double leastRow = metrics.height() * kRowLines;
    // The input's window (as the GUI's lines view), then the rows the page has room for.
    int first = 0, last = total;
    if (total > kMostLineTokens)
        std::tie(first, last) = windowAround(m_query, kWindowLineTokens, total);
    const int fitting = std::max(1, int(std::floor((area.height() - header) / leastRow)) - (pair ? 1 : 0));
    if (last - first > fitting) {
        const auto [from, to] = windowAround(m_query - first, fitting, last - first);
        std::tie(first, last) = std::pair<int, int>(first + from, first + to);
    }
    const QStringList labels = m_labels.mid(first, last - first);
    std::vector<int> segments;
    if (int(m_segments.size()) >= last)
        segments.assign(m_segments.begin() + first, m_segments.begin() + last);
    const int rows = int(labels.size()) + (pair ? 1 : 0);
    const double rowHeight = std::min((area.height() - header) / std::max(1, rows), metrics.height() * kMostRowLines);

    const double widest = std::max(labelWidthFor(labels, canvas.font),
                                   std::ceil(metrics.horizontalAdvance(QObject::tr("queries"))) + 6);
    const double labelWidth = std::min(widest, kLabelShare * area.width());
    const TokenLinesGeometry geometry(area, segments, int(labels.size()), labelWidth, rowHeight, header);
    std::vector<HeadLines> lines;
    for (const int head : m_heads)
        lines.push_back(headLinesOf(m_record->tile(m_layer, head, first, last, first, last), head,
                                    headColor(head, int(m_record->heads()))));
    paintTokenLines(painter, geometry, labels, segments, lines, PairFilter::All, LinesFocus{}, canvas.font, area);
    if (canvas.notes && widest > labelWidth)
        canvas.notes->append(QStringLiteral("token labels abbreviated with …"));
    if (canvas.notes && last - first < total)
        canvas.notes->append(QStringLiteral("tokens %1–%2 of %3 shown").arg(first).arg(last - 1).arg(total));
    if (last - first < total) {
        painter.save();
        painter.setFont(canvas.font);
        painter.setPen(QColor(90, 90, 90));
        const QRectF between(geometry.queryX() + 4, area.top(), geometry.keyX() - geometry.queryX() - 8, header);
        painter.drawText(between, Qt::AlignCenter,
                         metrics.elidedText(QObject::tr("tokens %1–%2 of %3").arg(first).arg(last - 1).arg(total),
                                            Qt::ElideRight, between.width()));
        painter.restore();
    }
}

} // namespace

std::unique_ptr<FigureContent> linesFigure(const FigureRequest &request, const FigureSource &source)
{
    const AttentionRecord &record = *source.record;
    const int layer = requestedLayer(request, record, 0);
    std::vector<int> heads;
    if (request.head >= 0)
        heads.push_back(requestedHead(request, record, 0));
    else
        for (int head = 0; head < record.heads(); ++head)
            heads.push_back(head);
    const QString title = heads.size() == 1 ? QStringLiteral("Layer %1, head %2").arg(layer).arg(heads.front())
                                            : QStringLiteral("Layer %1, every head").arg(layer);
    return std::make_unique<TokenLinesFigure>(source, layer, std::move(heads), int(requestedToken(request, record)), title);
}

} // namespace attnscope
