// The lines figure (bertviz's head view): queries on the left, keys on the right, a line per
// kept weight in its head's color.

#include "viz/figure/fitted_drawing.h"
#include "viz/figure/view_figures.h"
#include "viz/graph_scene.h"
#include "viz/token_lines_painter.h"

namespace attnscope {

namespace {

constexpr int64_t kMostLineTokens = 1024; // as the lines view

class TokenLinesFigure : public FigureContent {
public:
    TokenLinesFigure(std::vector<HeadLines> lines, const FigureSource &source, QString title)
        : m_lines(std::move(lines)), m_labels(source.labels), m_segments(source.segments), m_title(std::move(title))
    {
    }
    QString title() const override { return m_title; }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override
    {
        const double labelWidth = labelWidthFor(m_labels, canvas.font);
        const double natural = TokenLinesGeometry(area, m_segments, int(m_labels.size()), labelWidth).height();
        paintFitted(painter, area, QSizeF(area.width(), natural), [&](const QRectF &rect) {
            const TokenLinesGeometry geometry(rect, m_segments, int(m_labels.size()), labelWidth);
            paintTokenLines(painter, geometry, m_labels, m_segments, m_lines, PairFilter::All,
                            LinesFocus{}, canvas.font, rect);
        });
    }

private:
    std::vector<HeadLines> m_lines;
    QStringList m_labels;
    std::vector<int> m_segments;
    QString m_title;
};

} // namespace

std::unique_ptr<FigureContent> linesFigure(const FigureRequest &request, const FigureSource &source)
{
    const AttentionRecord &record = *source.record;
    const int layer = requestedLayer(request, record, 0);
    if (record.queries() > kMostLineTokens)
        throw FigureRequestError(QStringLiteral("the lines view draws up to %1 tokens (this input has %2): draw the head view")
                                     .arg(kMostLineTokens).arg(record.queries()));
    std::vector<int> heads;
    if (request.head >= 0)
        heads.push_back(requestedHead(request, record, 0));
    else
        for (int head = 0; head < record.heads(); ++head)
            heads.push_back(head);
    std::vector<HeadLines> lines;
    for (const int head : heads)
        lines.push_back(headLinesOf(record.tile(layer, head, 0, record.queries(), 0, record.keys()), head,
                                    headColor(head, int(record.heads()))));
    const QString title = heads.size() == 1 ? QStringLiteral("Layer %1, head %2").arg(layer).arg(heads.front())
                                            : QStringLiteral("Layer %1, every head").arg(layer);
    return std::make_unique<TokenLinesFigure>(std::move(lines), source, title);
}

} // namespace attnscope
