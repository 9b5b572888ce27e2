#include "ui/views/model_view.h"

#include <atomic>
#include <cmath>

#include <QCheckBox>
#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "ui/views/color_scale_bar.h"
#include "ui/views/paint_canvas.h"
#include "ui/worker_progress.h"
#include "viz/layer_masks.h"
#include "viz/model_grid_painter.h"

namespace attnscope {

namespace {
constexpr int kScaleGap = 10; // between the grid and its colour scale
}

struct ModelView::Private {
    std::shared_ptr<const AttentionRecord> record;
    bool causal = false;
    bool signedValues = false;
    ModelThumbnails thumbnails;
    ModelGridImages images;
    GridBadges entropyBadges;
    GridBadges analysisBadges;
    GridSelection selection{0, 0};
    std::shared_ptr<std::atomic<bool>> stop;
    QFutureWatcher<ModelThumbnails> watcher; // only the newest computation reports
    PaintCanvas *canvas = nullptr;
    ColorScaleBar *scaleBar = nullptr;
    QComboBox *pooling = nullptr;
    QComboBox *badge = nullptr;
    QCheckBox *lines = nullptr;
    QCheckBox *shared = nullptr;
    QProgressBar *progress = nullptr;
    QPushButton *cancel = nullptr;
    QLabel *status = nullptr;

    // The grid leaves room on its right for the colour scale, which stands against it.
    ModelGridLayout layout() const
    {
        const int scaleSpace = scaleBar->sizeHint().width() + kScaleGap;
        return ModelGridLayout(QRectF(canvas->rect()).adjusted(4, 4, -4 - scaleSpace, -4),
                               thumbnails.isEmpty() ? 1 : int(thumbnails.heads.size(0)),
                               thumbnails.isEmpty() ? 1 : int(thumbnails.heads.size(1)));
    }
    const GridBadges &shownBadges() const
    {
        static const GridBadges none;
        if (badge->currentIndex() == 0 || (signedValues && badge->currentIndex() == 1))
            return none;
        return badge->currentIndex() == 2 && !analysisBadges.values.empty() ? analysisBadges : entropyBadges;
    }
};

ModelView::ModelView(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->canvas = new PaintCanvas(this);
    d->canvas->setMinimumSize(240, 200);
    d->canvas->setObjectName(QStringLiteral("modelGrid"));
    d->pooling = new QComboBox(this);
    d->pooling->addItems(poolingNames());
    d->pooling->setToolTip(tr("How a thumbnail cell pools the attention weights of its block"));
    d->badge = new QComboBox(this);
    d->badge->addItems({tr("no badges"), tr("entropy (bits)"), tr("analysis score")});
    d->badge->setCurrentIndex(1);
    d->lines = new QCheckBox(tr("lines (≤ %1 tokens)").arg(kLineThumbnailTokens), this);
    d->shared = new QCheckBox(tr("one color scale"), this);
    d->shared->setChecked(true);
    d->progress = new QProgressBar(this);
    d->cancel = new QPushButton(tr("Cancel"), this);
    d->status = new QLabel(this);
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Pooling"), this));
    controls->addWidget(d->pooling);
    controls->addWidget(d->badge);
    controls->addWidget(d->lines);
    controls->addWidget(d->shared);
    controls->addStretch(1);
    controls->addWidget(d->status);
    controls->addWidget(d->progress);
    controls->addWidget(d->cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    d->scaleBar = new ColorScaleBar(d->canvas);
    d->scaleBar->setObjectName(QStringLiteral("modelColorScale"));
    d->scaleBar->hide(); // until the thumbnails are drawn
    layout->addLayout(controls);
    layout->addWidget(d->canvas, 1);
    d->progress->hide();
    d->cancel->hide();

    d->canvas->paint = [this](QPainter &painter, const QRectF &) {
        if (d->images.isEmpty()) {
            painter.drawText(d->canvas->rect(), Qt::AlignCenter,
                             d->record ? tr("Computing the thumbnails…") : tr("Run a text to see every head"));
            return;
        }
        paintModelGrid(painter, d->layout(), d->images, d->shownBadges(), d->selection, font(), slidingLayers(*d->record));
    };
    d->canvas->press = [this](QMouseEvent *event) {
        const auto cell = d->images.isEmpty() ? std::nullopt : d->layout().cellAt(event->position());
        if (event->button() == Qt::LeftButton && cell && cell->first < d->images.layers() && cell->second < d->images.heads())
            Q_EMIT headClicked(cell->first, cell->second);
    };
    d->canvas->tooltip = [this](const QPointF &pos) -> QString {
        const auto cell = d->images.isEmpty() ? std::nullopt : d->layout().cellAt(pos);
        if (!cell)
            return {};
        const auto [layer, head] = *cell;
        const int L = d->images.layers(), H = d->images.heads();
        QString text = layer == L && head == H ? tr("mean over every head of every layer")
                       : layer == L           ? tr("head %1, mean over the layers").arg(head)
                       : head == H            ? tr("layer %1, mean over the heads").arg(layer)
                                              : tr("layer %1, head %2").arg(layer).arg(head);
        if (layer < L && head < H)
            for (const GridBadges *badges : {&d->entropyBadges, &d->analysisBadges})
                if (!badges->values.empty())
                    text += QStringLiteral("\n%1: %2").arg(badges->name).arg(badges->values[size_t(layer)][size_t(head)], 0, 'g', 4);
        const ValueRange range = d->images.range(layer, head);
        return text + tr("\ncolors span %1 … %2 (%3 pooling of %4 × %4 blocks)")
                          .arg(range.low, 0, 'g', 3).arg(range.high, 0, 'g', 3)
                          .arg(poolingNames().at(int(d->thumbnails.pooling)))
                          .arg(int64_t(1) << d->thumbnails.level);
    };
    d->canvas->key = [this](QKeyEvent *event) {
        switch (event->key()) {
        case Qt::Key_Up: Q_EMIT stepRequested(-1, 0); return true;
        case Qt::Key_Down: Q_EMIT stepRequested(1, 0); return true;
        case Qt::Key_Left: Q_EMIT stepRequested(0, -1); return true;
        case Qt::Key_Right: Q_EMIT stepRequested(0, 1); return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            Q_EMIT headClicked(d->selection.layer, d->selection.head);
            return true;
        default: return false;
        }
    };
    connect(d->pooling, &QComboBox::currentIndexChanged, this, &ModelView::compute);
    connect(d->badge, &QComboBox::currentIndexChanged, d->canvas, qOverload<>(&QWidget::update));
    connect(d->lines, &QCheckBox::toggled, this, &ModelView::rebuildImages);
    connect(d->shared, &QCheckBox::toggled, this, &ModelView::rebuildImages);
    connect(d->cancel, &QPushButton::clicked, this, &ModelView::cancel);
    connect(&d->watcher, &QFutureWatcher<ModelThumbnails>::finished, this, [this] {
        d->progress->hide();
        d->cancel->hide();
        ModelThumbnails thumbnails = d->watcher.result();
        if (thumbnails.isEmpty()) {
            d->status->setText(tr("Cancelled."));
            return;
        }
        d->thumbnails = std::move(thumbnails);
        d->entropyBadges.name = tr("entropy (bits)");
        d->entropyBadges.values.assign(size_t(d->thumbnails.entropy.size(0)), {});
        for (int64_t l = 0; l < d->thumbnails.entropy.size(0); ++l)
            for (int64_t h = 0; h < d->thumbnails.entropy.size(1); ++h)
                d->entropyBadges.values[size_t(l)].push_back(d->thumbnails.entropy[l][h].item<double>());
        d->status->setText(slidingWindowNote(*d->record)); // names the window of the layers marked *
        rebuildImages();
        Q_EMIT ready();
    });
}

ModelView::~ModelView() { cancel(); d->watcher.waitForFinished(); }

void ModelView::setRecord(std::shared_ptr<const AttentionRecord> record, bool causal, bool signedValues)
{
    d->record = std::move(record);
    d->causal = causal;
    d->signedValues = signedValues;
    // A difference has no entropy: the selector says so rather than naming badges not drawn.
    d->badge->setItemText(1, signedValues ? tr("entropy (not of a difference)") : tr("entropy (bits)"));
    d->analysisBadges = {};
    compute();
}

void ModelView::cancel()
{
    if (d->stop)
        d->stop->store(true);
}

void ModelView::compute()
{
    cancel();
    d->thumbnails = {};
    d->images = {};
    d->scaleBar->hide();
    d->canvas->update();
    if (!d->record)
        return;
    d->stop = std::make_shared<std::atomic<bool>>(false);
    ThumbnailPass pass;
    pass.pooling = d->signedValues ? Pooling::Mean : Pooling(d->pooling->currentIndex()); // a max hides decreases
    pass.shouldStop = [stop = d->stop] { return stop->load(); };
    pass.progress = progressTo(d->progress);
    d->progress->setRange(0, 0);
    d->progress->show();
    d->cancel->show();
    d->status->clear();
    d->watcher.setFuture(QtConcurrent::run([record = d->record, pass] {
        at::init_num_threads();
        return computeModelThumbnails(*record, pass);
    }));
}

void ModelView::rebuildImages()
{
    if (d->thumbnails.isEmpty())
        return;
    ModelGridStyle style;
    style.scale = d->shared->isChecked() ? ThumbnailScale::Shared : ThumbnailScale::PerThumbnail;
    style.kind = d->lines->isChecked() && !d->signedValues ? ThumbnailKind::Lines : ThumbnailKind::Heatmap;
    if (d->signedValues)
        style.heatmap.colormap = Colormap::byName(QStringLiteral("rdbu"));
    d->images = ModelGridImages(d->thumbnails, style, layerBlockMasks(*d->record, d->causal, int64_t(1) << d->thumbnails.level));
    showColorScale(style);
    d->canvas->update();
}

// The thumbnails' colours: one range for all, or each thumbnail's own (then as shares of its
// peak); line thumbnails show the weight as the opacity of their ink.
void ModelView::showColorScale(const ModelGridStyle &style)
{
    HeatmapStyle colors = style.heatmap;
    if (d->images.kind() == ThumbnailKind::Lines)
        colors.colormap = Colormap::opacityRamp(style.lineColor);
    const bool shared = style.scale == ThumbnailScale::Shared;
    colors.scale.range = shared ? d->images.range(0, 0) : ValueRange{0.0, 1.0};
    const int64_t block = int64_t(1) << d->thumbnails.level;
    QString unit = d->signedValues ? tr("variant − reference weight") : tr("attention weight");
    if (block > 1)
        unit = tr("%1 (%2 of %3 × %3 cells)").arg(unit, poolingNames().at(int(d->thumbnails.pooling))).arg(block);
    d->scaleBar->setScale(colors, shared ? unit : tr("%1 ÷ each thumbnail's peak").arg(unit));
    d->scaleBar->show();
    placeColorScale();
}

void ModelView::placeColorScale()
{
    const ModelGridLayout grid = d->layout();
    const QRectF first = grid.cellRect(0, 0), last = grid.cellRect(grid.layers(), grid.heads());
    d->scaleBar->setGeometry(int(std::ceil(last.right())) + kScaleGap, int(first.top()), d->scaleBar->sizeHint().width(),
                             std::max(d->scaleBar->minimumSizeHint().height(), int(last.bottom() - first.top())));
}

void ModelView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    placeColorScale(); // the canvas has its new size: layouts resize before the widget hears of it
}

QJsonObject ModelView::settings() const
{
    return {{QStringLiteral("pooling"), d->pooling->currentText()},
            {QStringLiteral("lines"), d->lines->isChecked()},
            {QStringLiteral("shared_scale"), d->shared->isChecked()}};
}

void ModelView::applySettings(const QJsonObject &settings)
{
    setPooling(settings.value(QStringLiteral("pooling")).toString(d->pooling->currentText()));
    setLineThumbnails(settings.value(QStringLiteral("lines")).toBool(d->lines->isChecked()));
    setSharedScale(settings.value(QStringLiteral("shared_scale")).toBool(d->shared->isChecked()));
}

void ModelView::setBadges(const QString &name, const std::vector<std::vector<double>> &values)
{
    d->analysisBadges = {name, values};
    d->badge->setItemText(2, name.isEmpty() ? tr("analysis score") : name);
    if (!name.isEmpty())
        d->badge->setCurrentIndex(2);
    else if (d->badge->currentIndex() == 2)
        d->badge->setCurrentIndex(1);
    d->canvas->update();
}

void ModelView::setSelectedHead(int layer, int head)
{
    d->selection = {layer, head};
    d->canvas->update();
}

void ModelView::setPooling(const QString &name)
{
    if (const auto pooling = poolingFromName(name))
        d->pooling->setCurrentIndex(int(*pooling));
}

void ModelView::setLineThumbnails(bool lines) { d->lines->setChecked(lines); }
void ModelView::setSharedScale(bool shared) { d->shared->setChecked(shared); }
bool ModelView::isReady() const { return !d->images.isEmpty(); }
const ModelThumbnails &ModelView::thumbnails() const { return d->thumbnails; }
const GridBadges &ModelView::badges() const { return d->shownBadges(); }
QWidget *ModelView::canvas() const { return d->canvas; }
ColorScaleBar *ModelView::colorScale() const { return d->scaleBar; }
QRectF ModelView::cellRect(int layer, int head) const { return d->layout().cellRect(layer, head); }

} // namespace attnscope
