// The neuron figure: the query and key vectors of one pair, their scaled products and the
// dimensions that make the score.

#include <torch/torch.h>

#include "core/capture/neuron_breakdown.h"
#include "viz/figure/view_figures.h"
#include "viz/neuron_painter.h"

namespace attnscope {

namespace {

class NeuronFigure : public FigureContent {
public:
    NeuronFigure(NeuronBreakdown breakdown, QString title, QString heading, Colormap colormap)
        : m_breakdown(std::move(breakdown)), m_title(std::move(title)), m_heading(std::move(heading)), m_colormap(std::move(colormap))
    {
    }
    QString title() const override { return m_title; }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override
    {
        paintNeuronBreakdown(painter, area, m_breakdown, m_heading, canvas.font, m_colormap);
    }

private:
    NeuronBreakdown m_breakdown;
    QString m_title;
    QString m_heading;
    Colormap m_colormap;
};

} // namespace

std::unique_ptr<FigureContent> neuronFigure(const FigureRequest &request, const FigureSource &source)
{
    const AttentionRecord &record = *source.record;
    if (!record.hasQueriesAndKeys())
        throw FigureRequestError(QStringLiteral("the neuron view needs the queries and keys of a model run (an attention file has none)"));
    const int layer = requestedLayer(request, record, 0);
    const int head = requestedHead(request, record, 0);
    const int64_t query = requestedToken(request, record);
    const int64_t key = request.key >= 0 ? request.key : record.row(layer, head, query).argmax().item<int64_t>();
    if (key >= record.keys())
        throw FigureRequestError(QStringLiteral("--key %1 is outside the %2 keys").arg(key).arg(record.keys()));
    const QString heading = QStringLiteral("query %1 “%2” → key %3 “%4”")
                                .arg(query).arg(source.labels.value(int(query))).arg(key).arg(source.labels.value(int(key)));
    return std::make_unique<NeuronFigure>(neuronBreakdown(record, layer, head, query, key),
                                          QStringLiteral("Layer %1, head %2").arg(layer).arg(head), heading,
                                          requestedStyle(request, QStringLiteral("rdbu")).colormap);
}

} // namespace attnscope
