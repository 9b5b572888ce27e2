// The graph figure: attention as edges between tokens, across every layer (layered) or for
// one head (arcs over the text, or two columns of tokens).

#include "core/analysis/token_graph_weights.h"
#include "viz/arc_diagram_painter.h"
#include "viz/bipartite_graph_painter.h"
#include "viz/figure/view_figures.h"
#include "viz/layered_graph_painter.h"

namespace attnscope {

namespace {

constexpr int64_t kMostGraphTokens = 1024;
constexpr double kDefaultThreshold = 0.05;

class TokenGraphFigure : public FigureContent {
public:
    TokenGraphFigure(TokenGraphScene scene, QString drawing, QString title)
        : m_scene(std::move(scene)), m_drawing(std::move(drawing)), m_title(std::move(title))
    {
    }
    QString title() const override { return m_title; }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override
    {
        GraphStyle style;
        style.font = canvas.font;
        style.maxDrawnEdges = 1 << 30; // a figure keeps every edge the filter kept
        style.antialiasEdges = 1 << 30;
        if (m_drawing == QLatin1String("arcs"))
            paintArcDiagram(painter, m_scene, fitArcViewport(m_scene, area, style.font), Influence{}, style);
        else if (m_drawing == QLatin1String("bipartite"))
            paintBipartiteGraph(painter, m_scene, fitBipartiteViewport(m_scene, area, style.font), PairFilter::All, Influence{}, style);
        else
            paintLayeredGraph(painter, m_scene, fitLayeredViewport(m_scene, area, style.font), Influence{}, style);
    }

private:
    TokenGraphScene m_scene;
    QString m_drawing;
    QString m_title;
};

} // namespace

std::unique_ptr<FigureContent> graphFigure(const FigureRequest &request, const FigureSource &source)
{
    const AttentionRecord &record = *source.record;
    if (record.queries() > kMostGraphTokens)
        throw FigureRequestError(QStringLiteral("the graph view draws up to %1 tokens (this input has %2)")
                                     .arg(kMostGraphTokens).arg(record.queries()));
    const QString drawing = request.drawing.isEmpty() ? QStringLiteral("layered") : request.drawing;
    const bool layered = drawing == QLatin1String("layered");
    EdgeWeightSettings settings;
    settings.source = layered ? *edgeSourceFromName(request.edges.isEmpty() ? QStringLiteral("layer-mean") : request.edges)
                              : EdgeSource::Head;
    settings.head = requestedHead(request, record, 0);
    settings.output = request.token;
    const int layer = layered ? -1 : requestedLayer(request, record, 0);
    const std::optional<TokenGraphWeights> weights = tokenGraphWeights(record, settings);
    const EdgeFilter filter{request.threshold >= 0 ? request.threshold : kDefaultThreshold, 0};
    const QString title = layered ? QStringLiteral("Token graph (%1)").arg(edgeSourceName(settings.source))
                                  : QStringLiteral("Layer %1, head %2").arg(layer).arg(settings.head);
    return std::make_unique<TokenGraphFigure>(makeTokenGraphScene(*weights, filter, source.labels, source.segments, layer),
                                              drawing, title);
}

} // namespace attnscope
