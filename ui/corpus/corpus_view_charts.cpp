// CorpusView's drawn charts: the per-layer band, the distribution and the query–key map on
// canvases that paint the very figures File → Export… writes; their captions; the export.
#include "ui/corpus/corpus_view.h"

#include "ui/corpus/corpus_view_private.h"

#include <cmath>
#include <set>

#include <QMouseEvent>
#include <QTabWidget>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include "ui/export_figure_dialog.h"
#include "ui/views/view_frame.h"

namespace attnscope {

namespace {

constexpr double kCanvasMargin = 6;
constexpr double kHoverRadius = 6;

FigureCanvas canvasOf(const QWidget *widget)
{
    FigureCanvas canvas;
    canvas.font = widget->font();
    canvas.pixelsPerPoint = widget->devicePixelRatioF();
    return canvas;
}

QRectF areaOf(const QWidget *widget)
{
    return QRectF(widget->rect()).adjusted(kCanvasMargin, kCanvasMargin, -kCanvasMargin, -kCanvasMargin);
}

// The canvas paints whatever figure `figure` holds when it paints.
template <typename Figure>
void paintFigureOn(PaintCanvas *canvas, const std::unique_ptr<Figure> &figure)
{
    canvas->paint = [canvas, &figure](QPainter &painter, const QRectF &) {
        if (figure)
            figure->paint(painter, areaOf(canvas), canvasOf(canvas));
    };
}

} // namespace

QWidget *CorpusView::buildCharts()
{
    paintFigureOn(d->band, d->bandFigure);
    d->band->press = [this](QMouseEvent *event) {
        if (d->bandFigure)
            selectEntry(d->bandFigure->entryAt(areaOf(d->band), canvasOf(d->band), event->position()));
        d->lastChart = QStringLiteral("table");
    };

    d->distributionCanvas = new PaintCanvas(this);
    d->distributionCanvas->setObjectName(QStringLiteral("corpusDistribution"));
    paintFigureOn(d->distributionCanvas, d->distribution);
    d->distributionCanvas->press = [this](QMouseEvent *) { d->lastChart = QStringLiteral("distribution"); };
    d->distributionCanvas->tooltip = [this](const QPointF &point) {
        const int bin = d->distribution ? d->distribution->binAt(areaOf(d->distributionCanvas), canvasOf(d->distributionCanvas), point) : -1;
        if (bin < 0)
            return QString();
        const CorpusHistogram &h = d->histogram;
        const double width = (h.high - h.low) / double(h.counts.size());
        return tr("%1 examples with values in [%2, %3%4")
            .arg(h.counts[size_t(bin)])
            .arg(h.low + bin * width, 0, 'g', 4)
            .arg(h.low + (bin + 1) * width, 0, 'g', 4)
            .arg(bin + 1 == int(h.counts.size()) ? QStringLiteral("]") : QStringLiteral(")"));
    };

    d->qkCanvas = new PaintCanvas(this);
    d->qkCanvas->setObjectName(QStringLiteral("corpusQueryKeys"));
    paintFigureOn(d->qkCanvas, d->queryKeys);
    const auto pointUnder = [this](const QPointF &point) {
        return d->queryKeys ? d->queryKeys->pointAt(areaOf(d->qkCanvas), canvasOf(d->qkCanvas), point, kHoverRadius) : -1;
    };
    d->qkCanvas->move = [this, pointUnder](QMouseEvent *event) {
        const int point = pointUnder(event->position());
        const int64_t example = point < 0 ? -1 : d->run->sampleExamples()[size_t(point) % d->run->sampleExamples().size()];
        if (example != d->markedExample) { // the hovered token's whole example stands out
            d->markedExample = example;
            d->rebuildQueryKeys(figureTitle(QStringLiteral("qk")));
            d->qkCanvas->update();
        }
    };
    d->qkCanvas->leave = [this] {
        d->markedExample = -1;
        d->rebuildQueryKeys(figureTitle(QStringLiteral("qk")));
        d->qkCanvas->update();
    };
    d->qkCanvas->tooltip = [this, pointUnder](const QPointF &point) {
        const int k = pointUnder(point);
        if (k < 0)
            return QString();
        const size_t n = d->run->sampleExamples().size(), token = size_t(k) % n;
        return tr("%1 of “%2” · example %3, position %4\n%5")
            .arg(size_t(k) < n ? tr("query") : tr("key"), d->run->sampleTokens()[int(token)])
            .arg(d->run->sampleExamples()[token]).arg(d->run->samplePositions()[token])
            .arg(d->run->tokenInContext(int64_t(token)));
    };
    d->qkCanvas->press = [this, pointUnder](QMouseEvent *event) {
        d->lastChart = QStringLiteral("qk");
        openSampleToken(pointUnder(event->position()));
    };

    d->counting = new QFutureWatcher<CountedValues>(this);
    connect(d->counting, &QFutureWatcherBase::finished, this, &CorpusView::showCountedValues);
    d->distributionFrame = new ViewFrame(d->distributionCanvas, this);
    d->qkFrame = new ViewFrame(d->qkCanvas, this);
    d->charts = new QTabWidget(this);
    d->charts->addTab(d->distributionFrame, tr("Distribution"));
    d->charts->addTab(d->qkFrame, tr("Query–Key Map"));
    connect(d->charts, &QTabWidget::currentChanged, this,
            [this](int tab) { d->lastChart = tab == 0 ? QStringLiteral("distribution") : QStringLiteral("qk"); });
    return d->charts;
}

void CorpusView::countValues()
{
    const int generation = ++d->generation;
    const int bins = std::clamp(int(std::ceil(2 * std::cbrt(double(d->run->examples())))), 5, 60);
    d->counting->setFuture(QtConcurrent::run([run = d->run, score = d->score, entry = d->entry, bins, generation] {
        CountedValues counted;
        counted.generation = generation;
        try {
            counted.histogram = run->histogram(score, entry, bins);
        } catch (const std::exception &problem) { // values.bin changed since the run was opened
            counted.error = QString::fromUtf8(problem.what());
        }
        return counted;
    }));
    // A long corpus takes a moment: the caption then says the chart below is the previous one.
    QTimer::singleShot(150, this, [this, generation] {
        if (d->generation == generation && d->shownGeneration != generation)
            d->distributionFrame->setCaption(tr("Reading values.bin for %1…").arg(caption(QStringLiteral("distribution"))), true);
    });
}

void CorpusView::showCountedValues()
{
    const CountedValues counted = d->counting->result();
    if (counted.generation != d->generation || !d->hasRun())
        return; // another entry (or run) was chosen meanwhile
    d->shownGeneration = counted.generation;
    d->histogram = counted.histogram;
    d->distribution.reset();
    if (counted.error.isEmpty()) {
        const CorpusScoreSummary &score = d->scoreSummary();
        d->distribution = std::make_unique<CorpusHistogramFigure>(d->histogram, score.entries[size_t(d->entry)], d->run->level(),
                                                                  figureTitle(QStringLiteral("distribution")),
                                                                  CorpusRunModel::scoreLabel(score.name));
    }
    d->distributionFrame->setUnavailable(counted.error);
    d->distributionFrame->setCaption(caption(QStringLiteral("distribution")));
    d->distributionCanvas->update();
    Q_EMIT distributionShown();
}

QString CorpusView::caption(const QString &chart) const
{
    if (!d->hasRun() || d->entry < 0)
        return {};
    const CorpusRunModel &run = *d->run;
    const CorpusScoreSummary &score = d->scoreSummary();
    const QString label = CorpusRunModel::scoreLabel(score.name);
    const QString corpus = tr("%1 examples of %2").arg(run.examples()).arg(run.corpusName());
    const QString name = CorpusRunModel::entryName(score, d->entry);
    const QString entry = score.perHead() ? tr("at %1").arg(name) : d->entry == 0 ? tr("at the embedding") : name;
    const long percent = std::lround(run.level() * 100);
    if (chart == QLatin1String("table"))
        return score.perHead() ? tr("%1: mean per head and its %2% interval over %3").arg(label).arg(percent).arg(corpus)
                               : tr("%1 per layer: mean and its %2% interval over %3").arg(label).arg(percent).arg(corpus);
    if (chart == QLatin1String("distribution"))
        return tr("Distribution of %1 %2 over %3").arg(label, entry, corpus);
    if (chart == QLatin1String("examples"))
        return tr("Examples where %1 %2 is highest (of %3)").arg(label, entry, corpus);
    if (chart == QLatin1String("qk")) {
        const std::vector<int64_t> &examples = run.sampleExamples();
        const int64_t distinct = examples.empty() ? 0 : int64_t(std::set<int64_t>(examples.begin(), examples.end()).size());
        return tr("Joint query–key map of L%1 H%2 (PCA): %3 tokens of %4 examples of %5")
            .arg(d->qkLayer).arg(d->qkHead).arg(examples.size()).arg(distinct).arg(run.corpusName());
    }
    return {};
}

// Shorter than the captions, to fit a figure's title line: "Mean row entropy (bits) at L1 H3 · n = 40 · sentences.txt".
QString CorpusView::figureTitle(const QString &chart) const
{
    if (!d->hasRun() || d->entry < 0)
        return {};
    const CorpusRunModel &run = *d->run;
    const CorpusScoreSummary &score = d->scoreSummary();
    QString label = CorpusRunModel::scoreLabel(score.name);
    label[0] = label[0].toUpper();
    const QString name = CorpusRunModel::entryName(score, d->entry);
    const QString corpus = tr(" · n = %1 · %2").arg(run.examples()).arg(run.corpusName());
    if (chart == QLatin1String("table"))
        return label + (score.perHead() ? tr(" per head") : tr(" per layer")) + corpus;
    if (chart == QLatin1String("distribution"))
        return label + (score.perHead() ? tr(" at %1").arg(name) : d->entry == 0 ? tr(" at the embedding") : QLatin1Char(' ') + name) + corpus;
    if (chart == QLatin1String("qk")) {
        const std::vector<int64_t> &examples = run.sampleExamples();
        return tr("Query–key map of L%1 H%2 · %3 tokens of %4 examples · %5")
            .arg(d->qkLayer).arg(d->qkHead).arg(examples.size())
            .arg(std::set<int64_t>(examples.begin(), examples.end()).size()).arg(run.corpusName());
    }
    return {};
}

void CorpusView::updateCaptions()
{
    if (!d->hasRun() || d->entry < 0)
        return;
    const bool hoverForIntervals = d->scoreSummary().perHead() && !d->intervalsShown;
    d->tableFrame->setCaption(caption(QStringLiteral("table")) + (hoverForIntervals ? tr(" · point at a cell for its interval") : QString()));
    d->distributionFrame->setCaption(caption(QStringLiteral("distribution")));
    d->examplesFrame->setCaption(caption(QStringLiteral("examples")) + tr(" · double-click one to open it"));
    if (d->run->hasQueryKeys()) {
        d->qkFrame->setCaption(caption(QStringLiteral("qk")) + tr(" · hover shows a token in context, click opens its example"));
        d->qkFrame->setUnavailable(d->queryKeys ? QString() : tr("qk.safetensors holds no map for L%1 H%2").arg(d->qkLayer).arg(d->qkHead));
    } else {
        d->qkFrame->setCaption(QString());
        d->qkFrame->setUnavailable(d->run->queryKeyProblem());
    }
}

void CorpusView::Private::rebuildQueryKeys(const QString &title)
{
    queryKeys.reset();
    QueryKeyPoints points = run->queryKeys(qkLayer, qkHead);
    if (!points.points.empty())
        queryKeys = std::make_unique<QueryKeyFigure>(std::move(points), run->sampleExamples(), markedExample, title);
}

void CorpusView::Private::openExample(CorpusView *view, int64_t index, int layer, int head)
{
    CorpusExampleChoice choice;
    choice.modelDir = run->modelDir();
    choice.index = index;
    choice.layer = layer;
    choice.head = head;
    if (choice.modelDir.isEmpty()) {
        view->setStatus(tr("Cannot open example %1: the run's model folder %2 is not found").arg(index).arg(run->manifest().model));
        return;
    }
    try {
        const CorpusExample example = run->readExample(index);
        choice.text = QString::fromUtf8(example.text);
        choice.pair = QString::fromUtf8(example.pair);
    } catch (const std::exception &problem) {
        view->setStatus(tr("Cannot open example %1: %2").arg(index).arg(QString::fromUtf8(problem.what())));
        return;
    }
    view->setStatus(QString());
    Q_EMIT view->exampleChosen(choice);
}

std::unique_ptr<FigureContent> CorpusView::figure(const QString &chart) const
{
    if (!d->hasRun() || d->entry < 0)
        return nullptr;
    const CorpusScoreSummary &score = d->scoreSummary();
    const QString label = CorpusRunModel::scoreLabel(score.name);
    if (chart == QLatin1String("table"))
        return score.perHead() ? std::unique_ptr<FigureContent>(std::make_unique<CorpusTableFigure>(score, figureTitle(chart), label, d->run->level()))
                               : std::make_unique<CorpusBandFigure>(score, figureTitle(chart), label, d->run->level(), int(d->entry));
    if (chart == QLatin1String("distribution") && d->distribution && distributionReady())
        return std::make_unique<CorpusHistogramFigure>(d->histogram, score.entries[size_t(d->entry)], d->run->level(), figureTitle(chart), label);
    if (chart == QLatin1String("qk")) {
        QueryKeyPoints points = d->run->queryKeys(d->qkLayer, d->qkHead);
        if (!points.points.empty())
            return std::make_unique<QueryKeyFigure>(std::move(points), d->run->sampleExamples(), -1, figureTitle(chart));
    }
    return nullptr;
}

void CorpusView::exportFigure() { exportFigure(d->lastChart); }

void CorpusView::exportFigure(const QString &chart)
{
    if (!figure(chart)) {
        setStatus(tr("Nothing to export: %1").arg(chart == QLatin1String("qk") ? d->run && !d->run->queryKeyProblem().isEmpty()
                                                                                   ? d->run->queryKeyProblem() : tr("no query–key map")
                                                                               : tr("open a corpus run first")));
        return;
    }
    FigureRequest request;
    request.view = QStringLiteral("corpus-%1").arg(chart);
    if (chart == QLatin1String("qk"))
        request.page.height = request.page.width; // the map keeps its aspect
    ExportFigureDialog dialog(request, [this, chart](const FigureRequest &) { return figure(chart); }, QString(), {}, this);
    dialog.exec();
}

} // namespace attnscope
