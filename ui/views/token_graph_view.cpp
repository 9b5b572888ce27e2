#include "ui/views/token_graph_view.h"

#include <atomic>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QtConcurrent>
#include <torch/torch.h>

#include "core/analysis/attention_graph_topology.h"
#include "core/analysis/token_graph.h"
#include "core/analysis/token_graph_weights.h"
#include "core/capture/attention_record.h"
#include "ui/views/paint_canvas.h"
#include "ui/worker_progress.h"
#include "viz/arc_diagram_painter.h"
#include "viz/bipartite_graph_painter.h"
#include "viz/graph_scene.h"
#include "viz/layered_graph_painter.h"
#include "viz/svg_figure.h"

namespace attnscope {

namespace {

// Beyond this many tokens the L × T × T edge weights stop fitting comfortably in memory.
constexpr int kMostTokens = 2048;
// The slider runs over the square root of the threshold: fine steps among small weights.
constexpr int kSliderSteps = 1000;
constexpr double kMaxTokenPixels = 64; // zoom limit, or 4 × the fitted zoom for short inputs
constexpr double kDefaultThreshold = 0.05;

struct GraphJob {
    std::shared_ptr<const AttentionRecord> record;
    EdgeWeightSettings settings;
    std::shared_ptr<const TokenGraphWeights> weights; // reused when the settings did not change
    EdgeFilter filter;
    QStringList labels;
    std::vector<int> segments;
    int drawingLayer = -1; // the one-head drawings: that layer; the layered graph: -1
    int layer = 0, head = 0; // the head whose topology is read out
    std::shared_ptr<std::atomic<bool>> stop;
    std::function<void(int64_t, int64_t)> progress;
};

struct GraphResult {
    std::shared_ptr<const AttentionRecord> record; // the run it was computed for
    std::shared_ptr<const TokenGraphWeights> weights;
    std::shared_ptr<const TokenGraphScene> scene;
    std::optional<GraphTopology> topology;
    QString error;
    bool cancelled = false;
};

GraphResult runGraphJob(const GraphJob &job)
{
    at::init_num_threads();
    GraphResult result;
    result.record = job.record;
    try {
        result.weights = job.weights;
        if (!result.weights) {
            auto weights = tokenGraphWeights(*job.record, job.settings, [&job](int done, int total) {
                job.progress(done, total);
                return !job.stop->load();
            });
            if (!weights) {
                result.cancelled = true;
                return result;
            }
            result.weights = std::make_shared<const TokenGraphWeights>(std::move(*weights));
        }
        if (job.stop->load()) {
            result.cancelled = true;
            return result;
        }
        result.scene = std::make_shared<const TokenGraphScene>(
            makeTokenGraphScene(*result.weights, job.filter, job.labels, job.segments, job.drawingLayer));
        const int64_t T = job.record->queries(), S = job.record->keys();
        result.topology = headGraphTopology(job.record->tile(job.layer, job.head, 0, T, 0, S), job.filter.threshold);
    } catch (const std::exception &error) {
        result.error = QString::fromStdString(error.what()).section(QLatin1Char('\n'), 0, 0);
    }
    return result;
}

// Equal keys = equal weights: the head matters to the head source only, the output token to
// rollout and flow only.
QString settingsKey(const EdgeWeightSettings &settings)
{
    return QStringLiteral("%1/%2/%3")
        .arg(edgeSourceName(settings.source))
        .arg(settings.source == EdgeSource::Head ? settings.head : -1)
        .arg(edgeSourceNeedsOutput(settings.source) ? settings.output : -1);
}

} // namespace

struct TokenGraphView::Private {
    std::shared_ptr<const AttentionRecord> record;
    QStringList tokens;
    std::vector<int> segments;
    int layer = 0, head = 0, output = -1;
    Drawing drawing = Drawing::Layered;
    std::shared_ptr<const TokenGraphWeights> weights;
    QString weightsKey;
    std::shared_ptr<const TokenGraphScene> scene = std::make_shared<TokenGraphScene>();
    Influence influence;
    GraphTopology topology;
    GraphStyle style;
    GraphViewport viewport;
    bool fitted = true;
    bool ready = false;
    GraphPaintStats stats;
    std::shared_ptr<std::atomic<bool>> stop;
    QFutureWatcher<GraphResult> watcher;
    QPointF dragFrom;
    bool dragging = false;
    bool pending = false; // settings changed while hidden

    PaintCanvas *canvas = nullptr;
    QComboBox *drawingBox = nullptr;
    QComboBox *source = nullptr;
    QSlider *thresholdSlider = nullptr;
    QDoubleSpinBox *threshold = nullptr;
    QSpinBox *topK = nullptr;
    QComboBox *pairFilter = nullptr;
    QLabel *topologyLabel = nullptr;
    QLabel *status = nullptr;
    QProgressBar *progress = nullptr;
    QPushButton *cancel = nullptr;
    QPushButton *exportButton = nullptr;

    QRectF area() const { return QRectF(canvas->rect()).adjusted(6, 4, -6, -4); }
    bool tokenAxisIsHorizontal() const { return drawing == Drawing::Arcs; }
    bool showsLabels(const GraphViewport &shown) const { return tokenLabelFont(style.font, shown.tokenPixels).has_value(); }

    // Pixel of `token` along the token axis.
    double axisPixel(double token) const
    {
        switch (drawing) {
        case Drawing::Layered: return LayeredGraphGeometry(*scene, viewport).tokenY(token);
        case Drawing::Arcs: return ArcDiagramGeometry(*scene, viewport, showsLabels(viewport)).tokenX(token);
        case Drawing::Bipartite: break;
        }
        return BipartiteGeometry(*scene, viewport).tokenY(int(std::lround(token)));
    }
    GraphNode nodeAt(const QPointF &pos) const
    {
        const GraphViewport shown = shownViewport();
        switch (drawing) {
        case Drawing::Layered: return LayeredGraphGeometry(*scene, shown).nodeAt(pos);
        case Drawing::Arcs: return ArcDiagramGeometry(*scene, shown, showsLabels(shown)).nodeAt(pos);
        case Drawing::Bipartite: break;
        }
        return BipartiteGeometry(*scene, shown).nodeAt(pos);
    }
    double visibleTokens() const
    {
        const QRectF a = area();
        return (tokenAxisIsHorizontal() ? a.width() : a.height()) / viewport.tokenPixels;
    }
    void clampViewport(double fitPixels)
    {
        viewport.tokenPixels = std::clamp(viewport.tokenPixels, fitPixels, std::max(4 * fitPixels, kMaxTokenPixels));
        const double most = std::max(0.0, double(scene->graph.tokens()) - visibleTokens() + 1);
        viewport.firstToken = std::clamp(viewport.firstToken, 0.0, most);
    }
    double thresholdOfSlider(int value) const
    {
        const double root = double(value) / kSliderSteps;
        return root * root;
    }
    QString nodeText(const GraphNode &node) const;
    // Forgets what the last scene showed: its drawing, chosen node, topology and messages.
    void clearReadouts()
    {
        scene = std::make_shared<TokenGraphScene>();
        influence = Influence{};
        topology = GraphTopology{};
        stats = GraphPaintStats{};
        topologyLabel->clear();
        status->clear();
        canvas->update();
    }

    GraphViewport fittedViewport() const
    {
        switch (drawing) {
        case Drawing::Layered: return fitLayeredViewport(*scene, area(), style.font);
        case Drawing::Arcs: return fitArcViewport(*scene, area(), style.font);
        case Drawing::Bipartite: break;
        }
        return fitBipartiteViewport(*scene, area(), style.font);
    }
    GraphViewport shownViewport() const { return fitted ? fittedViewport() : viewport; }
    GraphPaintStats paint(QPainter &painter) const
    {
        GraphViewport shown = shownViewport();
        shown.area = area();
        switch (drawing) {
        case Drawing::Layered: return paintLayeredGraph(painter, *scene, shown, influence, style);
        case Drawing::Arcs: return paintArcDiagram(painter, *scene, shown, influence, style);
        case Drawing::Bipartite: break;
        }
        return paintBipartiteGraph(painter, *scene, shown, PairFilter(pairFilter->currentIndex()), influence, style);
    }
};

QString TokenGraphView::Private::nodeText(const GraphNode &node) const
{
    const TokenGraph &graph = scene->graph;
    const QString token = node.token < tokens.size() ? tokens[node.token] : QString();
    QString text = drawing == Drawing::Layered
                       ? tr("“%1” (token %2), column %3").arg(token).arg(node.token).arg(layeredColumnTitle(node.column))
                       : tr("“%1” (token %2) as a %3").arg(token).arg(node.token).arg(node.column == 1 ? tr("query") : tr("key"));
    if (drawing == Drawing::Layered && size_t(node.column) < scene->nodeValues.size())
        text += QStringLiteral("\n%1: %2").arg(scene->nodeValueName).arg(scene->nodeValues[size_t(node.column)][size_t(node.token)], 0, 'g', 4);
    // The strongest kept edges leaving the node (towards the inputs) or, for a key, arriving.
    std::vector<std::pair<float, int>> edges;
    if (node.column >= 1) {
        const auto [begin, end] = graph.edgesFrom(node.column, node.token);
        for (size_t e = begin; e < end; ++e)
            edges.emplace_back(graph.edges()[e].weight, graph.edges()[e].to);
    } else if (drawing != Drawing::Layered) {
        for (const GraphEdge &edge : graph.edges())
            if (edge.to == node.token)
                edges.emplace_back(edge.weight, edge.from);
    }
    std::sort(edges.begin(), edges.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    const QString arrow = node.column >= 1 ? QStringLiteral("→") : QStringLiteral("←");
    for (size_t i = 0; i < std::min<size_t>(edges.size(), 6); ++i)
        text += QStringLiteral("\n%1 “%2” %3").arg(arrow, edges[i].second < tokens.size() ? tokens[edges[i].second] : QString())
                    .arg(double(edges[i].first), 0, 'g', 4);
    if (edges.size() > 6)
        text += tr("\n… %1 kept edges").arg(edges.size());
    return text;
}

TokenGraphView::TokenGraphView(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->canvas = new PaintCanvas(this);
    d->canvas->setObjectName(QStringLiteral("tokenGraphCanvas"));
    d->canvas->setMinimumSize(300, 200);
    d->drawingBox = new QComboBox(this);
    d->drawingBox->addItems({tr("layered graph"), tr("arc diagram (one head)"), tr("bipartite (one head)")});
    d->source = new QComboBox(this);
    for (const QString &name : edgeSourceNames())
        d->source->addItem(name, name);
    d->source->setCurrentIndex(int(EdgeSource::LayerMean));
    d->source->setToolTip(tr("What an edge carries: the shown head, the layer mean, the rollout contribution "
                             "or the attention flow of the selected output token"));
    d->thresholdSlider = new QSlider(Qt::Horizontal, this);
    d->thresholdSlider->setRange(0, kSliderSteps);
    d->thresholdSlider->setToolTip(tr("Keep edges at least this strong"));
    d->threshold = new QDoubleSpinBox(this);
    d->threshold->setObjectName(QStringLiteral("threshold"));
    d->threshold->setRange(0, 1);
    d->threshold->setDecimals(4);
    d->threshold->setSingleStep(0.01);
    d->threshold->setValue(kDefaultThreshold);
    d->thresholdSlider->setValue(int(std::lround(std::sqrt(kDefaultThreshold) * kSliderSteps)));
    d->topK = new QSpinBox(this);
    d->topK->setObjectName(QStringLiteral("topK"));
    d->topK->setRange(0, 64);
    d->topK->setValue(4);
    d->topK->setSpecialValueText(tr("all"));
    d->topK->setToolTip(tr("Keep the strongest k edges of each node (all: every edge over the threshold)"));
    d->pairFilter = new QComboBox(this);
    d->pairFilter->addItems(pairFilterNames());
    d->pairFilter->setToolTip(tr("Sentence pair: keep the edges from one sentence to the other"));
    d->topologyLabel = new QLabel(this);
    d->topologyLabel->setObjectName(QStringLiteral("topology"));
    d->topologyLabel->setToolTip(tr("The shown head's graph at the threshold, undirected and without self-loops "
                                    "(Cherniavskii et al. 2022): edges, connected components, independent cycles"));
    d->status = new QLabel(this);
    d->progress = new QProgressBar(this);
    d->cancel = new QPushButton(tr("Cancel"), this);
    d->exportButton = new QPushButton(tr("Export SVG…"), this);

    auto *controls = new QHBoxLayout;
    controls->addWidget(d->drawingBox);
    controls->addWidget(new QLabel(tr("edges"), this));
    controls->addWidget(d->source);
    controls->addWidget(new QLabel(tr("threshold"), this));
    controls->addWidget(d->thresholdSlider, 1);
    controls->addWidget(d->threshold);
    controls->addWidget(new QLabel(tr("top-k"), this));
    controls->addWidget(d->topK);
    controls->addWidget(d->pairFilter);
    controls->addWidget(d->exportButton);
    auto *readouts = new QHBoxLayout;
    readouts->addWidget(d->topologyLabel, 1);
    readouts->addWidget(d->status);
    readouts->addWidget(d->progress);
    readouts->addWidget(d->cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addLayout(readouts);
    layout->addWidget(d->canvas, 1);
    d->progress->hide();
    d->cancel->hide();
    d->pairFilter->hide();

    d->canvas->paint = [this](QPainter &painter, const QRectF &) {
        if (d->scene->graph.tokens() == 0) {
            const QString message = !d->status->text().isEmpty() ? d->status->text()
                                    : !d->progress->isHidden()    ? tr("Computing the token graph…")
                                                                  : tr("Run a text to see its token graph");
            painter.drawText(d->canvas->rect(), Qt::AlignCenter, message);
            return;
        }
        d->stats = d->paint(painter);
    };
    d->canvas->press = [this](QMouseEvent *event) {
        d->dragFrom = event->position();
        d->dragging = false;
    };
    d->canvas->move = [this](QMouseEvent *event) {
        if (!(event->buttons() & Qt::LeftButton))
            return;
        const QPointF delta = event->position() - d->dragFrom;
        if (!d->dragging && delta.manhattanLength() < 4)
            return;
        if (d->fitted)
            d->viewport = d->fittedViewport();
        d->dragging = true;
        d->dragFrom = event->position();
        d->fitted = false;
        d->viewport.firstToken -= (d->tokenAxisIsHorizontal() ? delta.x() : delta.y()) / d->viewport.tokenPixels;
        d->clampViewport(d->fittedViewport().tokenPixels);
        d->canvas->update();
    };
    d->canvas->release = [this](QMouseEvent *event) {
        if (d->dragging || event->button() != Qt::LeftButton)
            return;
        const GraphNode node = d->nodeAt(event->position());
        chooseNode(node);
        if (node.isValid())
            Q_EMIT tokenChosen(node.token);
    };
    d->canvas->wheel = [this](QWheelEvent *event) {
        zoomAt(std::pow(1.25, event->angleDelta().y() / 120.0), event->position());
    };
    d->canvas->key = [this](QKeyEvent *event) {
        const QPointF centre = d->area().center();
        switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal: zoomAt(1.25, centre); return true;
        case Qt::Key_Minus: zoomAt(0.8, centre); return true;
        case Qt::Key_Home:
            d->fitted = true;
            d->canvas->update();
            return true;
        case Qt::Key_Escape: chooseNode(GraphNode{}); return true;
        default: return false;
        }
    };
    d->canvas->tooltip = [this](const QPointF &pos) -> QString {
        if (d->scene->graph.tokens() == 0)
            return {};
        const GraphNode node = d->nodeAt(pos);
        return node.isValid() ? d->nodeText(node) : QString();
    };

    connect(d->drawingBox, &QComboBox::currentIndexChanged, this, [this](int index) { setDrawing(Drawing(index)); });
    connect(d->source, &QComboBox::currentIndexChanged, this, &TokenGraphView::compute);
    connect(d->thresholdSlider, &QSlider::valueChanged, this, [this](int value) {
        const QSignalBlocker block(d->threshold);
        d->threshold->setValue(d->thresholdOfSlider(value));
        compute();
    });
    connect(d->threshold, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        const QSignalBlocker block(d->thresholdSlider);
        d->thresholdSlider->setValue(int(std::lround(std::sqrt(value) * kSliderSteps)));
        compute();
    });
    connect(d->topK, &QSpinBox::valueChanged, this, &TokenGraphView::compute);
    connect(d->pairFilter, &QComboBox::currentIndexChanged, d->canvas, qOverload<>(&QWidget::update));
    connect(d->cancel, &QPushButton::clicked, this, &TokenGraphView::cancel);
    connect(d->exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the token graph"), QStringLiteral("token-graph.svg"),
                                                          tr("SVG figures (*.svg)"));
        QString error;
        if (!path.isEmpty() && !exportSvg(path, &error))
            d->status->setText(error);
    });
    connect(&d->watcher, &QFutureWatcher<GraphResult>::finished, this, [this] {
        d->progress->hide();
        d->cancel->hide();
        GraphResult result = d->watcher.result();
        if (result.record != d->record) // a new run came while hidden: its graph is computed when shown
            return;
        if (result.cancelled) {
            d->status->setText(tr("Cancelled."));
            return;
        }
        if (!result.error.isEmpty()) {
            d->status->setText(result.error);
            d->canvas->update();
            return;
        }
        d->weights = result.weights;
        d->scene = result.scene;
        d->topology = *result.topology;
        d->influence = Influence{};
        d->topologyLabel->setText(topologyText());
        d->status->clear();
        d->ready = true;
        d->canvas->update();
        Q_EMIT ready();
    });
}

TokenGraphView::~TokenGraphView()
{
    cancel();
    d->watcher.waitForFinished();
}

void TokenGraphView::setAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &tokens,
                                  const std::vector<int> &segments)
{
    d->record = std::move(record);
    d->tokens = tokens;
    d->segments = segments;
    d->weights.reset();
    d->weightsKey.clear();
    d->output = -1;
    d->fitted = true;
    d->clearReadouts(); // nothing of the previous run stays on screen, even while hidden
    d->pairFilter->setEnabled(std::find(segments.begin(), segments.end(), 1) != segments.end());
    compute();
}

void TokenGraphView::showHead(int layer, int head)
{
    if (layer == d->layer && head == d->head)
        return;
    d->layer = layer;
    d->head = head;
    compute();
}

void TokenGraphView::setOutputToken(int token)
{
    if (token == d->output)
        return;
    d->output = token;
    if (edgeSourceNeedsOutput(EdgeSource(d->source->currentIndex())))
        compute();
}

void TokenGraphView::setDrawing(Drawing drawing)
{
    {
        const QSignalBlocker block(d->drawingBox);
        d->drawingBox->setCurrentIndex(int(drawing));
    }
    if (drawing == d->drawing)
        return;
    d->drawing = drawing;
    d->pairFilter->setVisible(drawing == Drawing::Bipartite);
    d->fitted = true;
    compute();
}

void TokenGraphView::setEdgeSource(const QString &name) { d->source->setCurrentIndex(d->source->findData(name)); }
void TokenGraphView::setThreshold(double threshold) { d->threshold->setValue(threshold); }
void TokenGraphView::setTopK(int topK) { d->topK->setValue(topK); }
void TokenGraphView::setPairFilter(int filter) { d->pairFilter->setCurrentIndex(filter); }
TokenGraphView::Drawing TokenGraphView::drawing() const { return d->drawing; }
QString TokenGraphView::edgeSource() const { return d->source->currentData().toString(); }
double TokenGraphView::threshold() const { return d->threshold->value(); }
int TokenGraphView::topK() const { return d->topK->value(); }
int TokenGraphView::pairFilter() const { return d->pairFilter->currentIndex(); }

QJsonObject TokenGraphView::settings() const
{
    return {{QStringLiteral("drawing"), int(drawing())},
            {QStringLiteral("edges"), edgeSource()},
            {QStringLiteral("threshold"), threshold()},
            {QStringLiteral("top_k"), topK()},
            {QStringLiteral("pairs"), pairFilter()}};
}

void TokenGraphView::applySettings(const QJsonObject &settings)
{
    const int drawing = settings.value(QStringLiteral("drawing")).toInt(int(d->drawing));
    if (drawing >= int(Drawing::Layered) && drawing <= int(Drawing::Bipartite))
        setDrawing(Drawing(drawing));
    const QString edges = settings.value(QStringLiteral("edges")).toString();
    if (edgeSourceNames().contains(edges))
        setEdgeSource(edges);
    setThreshold(settings.value(QStringLiteral("threshold")).toDouble(threshold()));
    setTopK(settings.value(QStringLiteral("top_k")).toInt(topK()));
    setPairFilter(settings.value(QStringLiteral("pairs")).toInt(pairFilter()));
}

void TokenGraphView::chooseNode(const GraphNode &node)
{
    d->influence = node.isValid() ? influenceOf(d->scene->graph, node.column, node.token) : Influence{};
    d->canvas->update();
}

void TokenGraphView::cancel()
{
    if (d->stop)
        d->stop->store(true);
}

void TokenGraphView::compute()
{
    cancel();
    d->ready = false;
    // Hidden (another tab in front): computed when shown, so runs do not pay for it.
    d->pending = !isVisible();
    if (!d->record || d->pending)
        return;
    if (d->record->queries() > kMostTokens || d->record->queries() != d->record->keys()) {
        d->clearReadouts();
        d->status->setText(d->record->queries() > kMostTokens
                               ? tr("The token graph shows inputs of up to %1 tokens; use the head view.").arg(kMostTokens)
                               : tr("The token graph needs self-attention."));
        d->canvas->update();
        return;
    }
    GraphJob job;
    job.record = d->record;
    job.settings.source = EdgeSource(d->source->currentIndex());
    job.settings.head = d->head;
    job.settings.output = d->output;
    const QString key = settingsKey(job.settings);
    if (key == d->weightsKey)
        job.weights = d->weights;
    d->weightsKey = key;
    d->weights.reset();
    job.filter = EdgeFilter{d->threshold->value(), d->topK->value()};
    job.labels = d->tokens;
    job.segments = d->segments;
    job.drawingLayer = d->drawing == Drawing::Layered ? -1 : d->layer;
    job.layer = d->layer;
    job.head = d->head;
    d->stop = std::make_shared<std::atomic<bool>>(false);
    job.stop = d->stop;
    job.progress = progressTo(d->progress);
    d->progress->setRange(0, 0);
    d->progress->show();
    d->cancel->show();
    d->status->clear();
    d->watcher.setFuture(QtConcurrent::run(runGraphJob, job));
}

void TokenGraphView::zoomAt(double factor, const QPointF &anchor)
{
    if (d->scene->graph.tokens() == 0)
        return;
    const double fitPixels = d->fittedViewport().tokenPixels;
    d->viewport = d->shownViewport();
    // Keep the token under the anchor in place: the axis maps tokens linearly.
    const double pixel = d->tokenAxisIsHorizontal() ? anchor.x() : anchor.y();
    const double origin = d->axisPixel(d->viewport.firstToken);
    const double token = d->viewport.firstToken + (pixel - origin) / d->viewport.tokenPixels;
    d->viewport.tokenPixels *= factor;
    d->clampViewport(fitPixels);
    d->viewport.firstToken = token - (pixel - origin) / d->viewport.tokenPixels;
    d->clampViewport(fitPixels);
    d->fitted = d->viewport.tokenPixels <= fitPixels;
    d->canvas->update();
}

void TokenGraphView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (d->pending)
        compute();
}

bool TokenGraphView::isReady() const { return d->ready; }
const TokenGraphScene &TokenGraphView::scene() const { return *d->scene; }
const Influence &TokenGraphView::influence() const { return d->influence; }
const GraphTopology &TokenGraphView::topology() const { return d->topology; }
const GraphPaintStats &TokenGraphView::paintStats() const { return d->stats; }
QWidget *TokenGraphView::canvas() const { return d->canvas; }

QString TokenGraphView::topologyText() const
{
    return tr("Layer %1, head %2 at ≥ %3: %4 edges, %5 components, %6 independent cycles")
        .arg(d->layer).arg(d->head).arg(d->threshold->value(), 0, 'g', 4)
        .arg(d->topology.edges).arg(d->topology.components).arg(d->topology.cycles);
}

QPointF TokenGraphView::nodePosition(const GraphNode &node) const
{
    const GraphViewport viewport = d->shownViewport();
    switch (d->drawing) {
    case Drawing::Layered: {
        const LayeredGraphGeometry geometry(*d->scene, viewport);
        return QPointF(geometry.columnX(node.column), geometry.tokenY(node.token));
    }
    case Drawing::Arcs: {
        const ArcDiagramGeometry geometry(*d->scene, viewport, d->showsLabels(viewport));
        return QPointF(geometry.tokenX(node.token), geometry.baseline());
    }
    case Drawing::Bipartite: break;
    }
    const BipartiteGeometry geometry(*d->scene, viewport);
    return QPointF(node.column == 1 ? geometry.queryX() : geometry.keyX(), geometry.tokenY(node.token));
}

QByteArray TokenGraphView::svg() const
{
    const QString title = d->drawing == Drawing::Layered
                              ? tr("Token graph (%1)").arg(d->source->currentText())
                              : tr("Layer %1, head %2").arg(d->layer).arg(d->head);
    return svgFigure(d->canvas->size(), title, [this](QPainter &painter) { d->paint(painter); });
}

bool TokenGraphView::exportSvg(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(svg()) < 0) {
        if (error)
            *error = tr("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace attnscope
