// The workspace's display: a finished run becomes the shown run, whose map (reference,
// variant or difference) every view draws, each under a caption that names it.

#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <torch/torch.h>

#include "core/analysis/token_graph_weights.h"
#include "core/capture/attention_record.h"
#include "ui/attention_run.h"
#include "ui/attention_selection.h"
#include "ui/attention_workspace_private.h"
#include "ui/panels/analysis_panel.h"
#include "ui/panels/comparison_panel.h"
#include "ui/views/head_view.h"
#include "ui/views/lines_view.h"
#include "ui/views/model_view.h"
#include "ui/views/neuron_view.h"
#include "ui/views/token_graph_view.h"
#include "ui/views/token_view.h"
#include "ui/views/view_frame.h"
#include "ui/views/vision_view.h"
#include "viz/layer_masks.h"
#include "viz/tile_pyramid.h"

namespace attnscope {

namespace {

QString tokenLabel(const QStringList &tokens, int index)
{
    return index >= 0 && index < tokens.size() ? QStringLiteral("%1 “%2”").arg(index).arg(tokens.at(index)) : QString::number(index);
}

// What the graph draws: its edges (one head, the layer mean, rollout or flow) across every
// layer or in the shown layer, and the output token rollout and flow follow.
QString graphCaption(const TokenGraphView &graph, int layer, int head, const QString &query)
{
    const EdgeSource edges = *edgeSourceFromName(graph.edgeSource());
    QString what = edges == EdgeSource::Head ? AttentionWorkspace::tr("head %1 edges").arg(head)
                                             : AttentionWorkspace::tr("%1 edges").arg(graph.edgeSource());
    if (edgeSourceNeedsOutput(edges))
        what += AttentionWorkspace::tr(" of output token %1").arg(query);
    return graph.drawing() == TokenGraphView::Drawing::Layered ? AttentionWorkspace::tr("every layer, %1").arg(what)
                                                                : AttentionWorkspace::tr("layer %1, %2").arg(layer).arg(what);
}

} // namespace

void AttentionWorkspace::onRunFinished()
{
    setRunning(false);
    const std::shared_ptr<const AttentionRecord> record = d->run->record();
    const QString shape = tr("%n token(s), %1 layers × %2 heads", nullptr, int(record->queries()))
                              .arg(record->layers()).arg(record->heads());
    d->status->setText((QStringList{shape} + d->run->warnings() + d->fileWarnings).join(QLatin1Char('\n')));
    const QSignalBlocker blockLayer(d->layer), blockHead(d->head);
    d->layer->setRange(0, int(record->layers()) - 1);
    d->head->setRange(0, int(record->heads()) - 1);
    d->layer->setEnabled(true);
    d->head->setEnabled(true);
    const QJsonObject comparison = d->run->comparison();
    d->lowerTabs->show();
    d->lowerTabs->setTabVisible(d->lowerTabs->indexOf(d->comparison), !comparison.isEmpty());
    if (!comparison.isEmpty()) {
        d->comparison->setComparison(comparison);
        d->lowerTabs->setCurrentWidget(d->comparison);
    }
    d->comparedMap->setEnabled(!comparison.isEmpty());
    if (d->vision)
        d->visionView->setRun(d->run);
    d->shown->setRun(record, d->run->referenceRecord(), d->run->tokens(), d->run->causal(), d->runningInput);
    d->shown->setCurrentInput(currentInput()); // edited while it ran: out of date at once
    if (d->pendingCell) {
        d->selection->selectCell(d->pendingCell->first, d->pendingCell->second);
        d->pendingCell.reset();
    }
}

// The shown map (a new run, or Show changed) goes to every view; a view that cannot draw it
// says why instead of keeping what it drew before.
void AttentionWorkspace::showShownRun()
{
    const std::shared_ptr<const AttentionRecord> record = d->shown->record();
    const QStringList &tokens = d->shown->tokens();
    const bool difference = d->shown->isDifference();
    const QString longDifference = tr("The difference of an input this long is drawn in the Head view only.");
    const QString oneRun = tr("This view draws the weights of one run: set Show to Reference or Variant. "
                              "The difference (variant − reference) is drawn in the Head and Model views.");
    d->frameOf(QStringLiteral("model"))->setUnavailable(difference && !record ? longDifference : QString());
    for (const char *view : {"lines", "graph", "token", "neuron", "analyses"})
        d->frameOf(QLatin1String(view))->setUnavailable(difference ? (record ? oneRun : longDifference) : QString());
    d->referenceView->setVisible(d->shown->isComparison() && d->shown->map() != ComparedMap::Reference);
    d->run->analyseReference(d->shown->map() == ComparedMap::Reference);
    d->analyses->clear();
    if (record)
        d->modelView->setRecord(record, d->shown->causal(), difference);
    if (record && !difference) {
        std::vector<int> segments;
        for (const RecordedToken &token : record->tokens)
            segments.push_back(token.typeId);
        d->tokenView->setAttention(record, tokens);
        d->neuronView->setAttention(record, tokens);
        d->linesView->setAttention(record, tokens, segments);
        d->graphView->setAttention(record, tokens, segments);
    }
    const std::shared_ptr<const AttentionRecord> shape = d->shown->variantRecord();
    d->selection->setShape(int(shape->layers()), int(shape->heads()), int(shape->queries())); // displays the head
}

void AttentionWorkspace::showHead(int layer, int head)
{
    if (layer == d->selection->layer() && head == d->selection->head())
        displayHead(layer, head); // the same head in another map (reference, variant, difference)
    else
        d->selection->selectHead(layer, head);
}

void AttentionWorkspace::displayHead(int layer, int head)
{
    const std::shared_ptr<const AttentionRecord> record = d->shown->variantRecord();
    if (!record || layer < 0 || layer >= record->layers() || head < 0 || head >= record->heads())
        return;
    const QSignalBlocker blockLayer(d->layer), blockHead(d->head);
    d->layer->setValue(layer);
    d->head->setValue(head);
    PyramidOptions options;
    options.mask = layerCellMask(*record, layer, d->shown->causal());
    const std::shared_ptr<const AttentionRecord> reference = d->shown->referenceRecord();
    TileSource source = recordTileSource(record, layer, head);
    HeatmapStyle style;
    style.colormap = Colormap::byName(d->colormap->currentText());
    style.scale.kind = ScaleKind(d->scale->currentIndex());
    const HeatmapStyle weightStyle = style; // the reference beside keeps the weights' colours
    if (d->shown->map() == ComparedMap::Reference) {
        source = recordTileSource(reference, layer, head);
    } else if (d->shown->isDifference()) {
        source = [record, reference, layer, head](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
            return record->tile(layer, head, r0, r1, c0, c1) - reference->tile(layer, head, r0, r1, c0, c1);
        };
        style.colormap = Colormap::byName(QStringLiteral("rdbu"));
        options.pooling = Pooling::Mean; // signed values: a max would hide every decrease
    }
    // The head first, then its style: styling the old head would recolour it for nothing.
    d->pyramid = std::make_shared<TilePyramid>(source, record->queries(), record->keys(), options);
    const QStringList &tokens = d->shown->tokens();
    d->headView->setHead(d->pyramid, tokens, tokens);
    d->headView->setStyle(style);
    d->headView->setValueName(d->shown->isDifference() ? tr("variant − reference weight") : QString());
    if (d->referenceView->isVisibleTo(this)) {
        PyramidOptions referenceOptions;
        referenceOptions.mask = options.mask;
        d->referencePyramid = std::make_shared<TilePyramid>(recordTileSource(reference, layer, head), reference->queries(),
                                                            reference->keys(), referenceOptions);
        d->referenceView->setHead(d->referencePyramid, tokens, tokens);
        d->referenceView->setStyle(weightStyle);
    }
    d->headView->setSelectedCell(d->selection->query(), d->selection->key());
    d->referenceView->setSelectedCell(d->selection->query(), d->selection->key());
    for (const char *view : {"token", "neuron", "lines", "graph"})
        followSelection(QLatin1String(view), true);
    d->visionView->showHead(layer, head);
    d->modelView->setSelectedHead(layer, head);
    updateCaptions();
    Q_EMIT headShown(layer, head);
}

void AttentionWorkspace::followSelection(const QString &view, bool withHead)
{
    ViewFrame *frame = d->frameOf(view);
    if (!frame->isVisible() || !frame->isViewShown()) {
        d->behind.insert(view);
        return;
    }
    withHead = withHead || d->behind.contains(view);
    d->behind.remove(view);
    const int layer = d->selection->layer(), head = d->selection->head();
    const int query = d->selection->query(), key = d->selection->key();
    if (view == QLatin1String("token")) {
        if (withHead)
            d->tokenView->showHead(layer, head);
        d->tokenView->selectToken(d->tokenView->direction() == TokenView::Direction::FromQuery ? query : key);
    } else if (view == QLatin1String("neuron")) {
        if (withHead)
            d->neuronView->showHead(layer, head);
        d->neuronView->showPair(query, key);
    } else if (view == QLatin1String("lines")) {
        if (withHead)
            d->linesView->showHead(layer, head);
        d->linesView->setQuery(query); // long inputs: the window of lines around it
    } else if (view == QLatin1String("graph")) {
        if (withHead)
            d->graphView->showHead(layer, head);
        d->graphView->setOutputToken(query);
    }
}

// Each view's caption names the run and map it draws, the part of it, and the input.
void AttentionWorkspace::updateCaptions()
{
    const ShownRun &shown = *d->shown;
    const bool stale = shown.isStale();
    const int layer = d->selection->layer(), head = d->selection->head();
    QString oneHead = tr("layer %1, head %2").arg(layer).arg(head);
    const std::shared_ptr<const AttentionRecord> record = shown.variantRecord();
    if (record && layer >= 0 && layer < record->layers() && slidesAt(*record, layer))
        oneHead += tr(" (sliding window of %1 keys)").arg(record->slidingWindow(layer));
    const QStringList &tokens = shown.tokens();
    const QString query = tokenLabel(tokens, d->selection->query());
    const QString key = tokenLabel(tokens, d->selection->key());
    const bool besideReference = d->referenceView->isVisibleTo(this);
    const auto caption = [&](const QString &name, const QString &what) {
        d->frameOf(name)->setCaption(shown.caption(what), stale);
    };
    caption(QStringLiteral("head"), besideReference ? tr("%1 (left: reference)").arg(oneHead) : oneHead);
    caption(QStringLiteral("model"), tr("every layer and head; layer %1, head %2 selected").arg(layer).arg(head));
    caption(QStringLiteral("lines"), tr("layer %1, the ticked heads").arg(layer));
    caption(QStringLiteral("graph"), graphCaption(*d->graphView, layer, head, query));
    caption(QStringLiteral("image"), oneHead);
    caption(QStringLiteral("token"), d->tokenView->direction() == TokenView::Direction::FromQuery
                                         ? tr("%1, from query %2").arg(oneHead, query)
                                         : tr("%1, to key %2").arg(oneHead, key));
    caption(QStringLiteral("neuron"), tr("%1, query %2 → key %3").arg(oneHead, query, key));
    caption(QStringLiteral("analyses"), d->shown->isComparison() ? tr("analyses of this run") : QString());
}

} // namespace attnscope
