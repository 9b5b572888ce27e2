// The workspace's figure (File → Export…): the request for the view in front, the attention
// it is drawn from, and the input arguments of the attnscope-cli line that draws it again.

#include <QComboBox>

#include "core/analysis/token_graph_weights.h"
#include "ui/attention_run.h"
#include "ui/attention_selection.h"
#include "ui/attention_workspace_private.h"
#include "ui/panels/analysis_panel.h"
#include "ui/panels/analysis_result_view.h"
#include "ui/panels/variant_picker.h"
#include "ui/views/head_view.h"
#include "ui/views/lines_view.h"
#include "ui/views/token_graph_view.h"
#include "ui/views/token_view.h"

namespace attnscope {

namespace {

// The layered graph's request: every layer, one head only for head edges, the output token
// for edges that follow one.
void describeGraph(FigureRequest &request, const TokenGraphView &graph, int query)
{
    static const QStringList drawings{QStringLiteral("layered"), QStringLiteral("arcs"), QStringLiteral("bipartite")};
    request.drawing = drawings.at(int(graph.drawing()));
    request.edges = graph.edgeSource();
    request.threshold = graph.threshold();
    if (request.drawing != QLatin1String("layered"))
        return;
    const EdgeSource edges = *edgeSourceFromName(request.edges);
    request.layer = -1;
    if (edges != EdgeSource::Head)
        request.head = -1;
    if (edgeSourceNeedsOutput(edges))
        request.token = query;
}

} // namespace

FigureRequest AttentionWorkspace::figureRequest() const
{
    FigureRequest request;
    const QString front = d->frontView;
    request.view = figureViewNames().contains(front) ? front : QStringLiteral("head");
    const QString score = front == QLatin1String("analyses")
                              ? figureScoreFor(d->analyses->shownMethod(), d->analyses->shownScore()) : QString();
    if (!score.isEmpty()) {
        request.view = QStringLiteral("charts");
        request.score = score;
        return request;
    }
    if (front == QLatin1String("analyses") && !d->analyses->shownMethod().isEmpty()) {
        request.view = QStringLiteral("analysis");
        d->analyses->resultView()->describeFigure(request);
        request.methodOptions = d->analyses->shownOptions();
        return request;
    }
    const AttentionSelection &chosen = *d->selection;
    const bool oneHead = request.view != QLatin1String("model");
    request.layer = oneHead ? chosen.layer() : -1;
    request.head = oneHead ? chosen.head() : -1;
    if (request.view == QLatin1String("token") || request.view == QLatin1String("neuron"))
        request.token = chosen.query();
    if (request.view == QLatin1String("neuron"))
        request.key = chosen.key();
    if (request.view == QLatin1String("token") && d->tokenView->direction() == TokenView::Direction::ToKey)
        request.direction = QStringLiteral("key");
    if (request.view == QLatin1String("lines")) {
        const std::vector<int> heads = d->linesView->chosenHeads();
        request.head = heads.size() == 1 ? heads.front() : -1;
    }
    if (request.view == QLatin1String("graph"))
        describeGraph(request, *d->graphView, chosen.query());
    const ShownRun &shown = *d->shown;
    const QString colormap = d->colormap->currentText();
    const QString scale = d->scale->currentText();
    if (request.view == QLatin1String("head") && !shown.isDifference() && colormap != HeatmapStyle().colormap.name())
        request.colormap = colormap;
    if (request.view == QLatin1String("head") && scale != scaleKindNames().at(int(ScaleKind::Linear)))
        request.scale = scale;
    if (request.view == QLatin1String("head"))
        request.perRow = d->headView->isRowNormalized();
    if (shown.isComparison() && shown.map() != ComparedMap::Variant)
        request.compared = comparedMapNames().at(shown.map() == ComparedMap::Reference ? 1 : 2);
    return request;
}

FigureSource AttentionWorkspace::figureSource() const
{
    const ShownRun &shown = *d->shown;
    if (!shown.hasRun())
        return {};
    FigureSource source = figureSourceOf(shown.variantRecord(), shown.causal());
    source.reference = shown.referenceRecord();
    if (d->frontView == QLatin1String("analyses"))
        source.analysis = d->analyses->resultView()->result();
    return source;
}

QStringList AttentionWorkspace::figureInputArguments() const
{
    const RunInput &input = d->shown->input();
    if (!input.attentionFile.isEmpty() || !input.image.isEmpty())
        return {};
    QStringList arguments{QStringLiteral("--text"), input.text};
    if (!input.textPair.isEmpty())
        arguments << QStringLiteral("--text-pair") << input.textPair;
    if (!input.variantSpec.isEmpty() && figureRequest().view != QLatin1String("analysis")) // analyses run the model as it is
        arguments << QStringLiteral("--variant") << input.variantSpec;
    return arguments;
}

} // namespace attnscope
