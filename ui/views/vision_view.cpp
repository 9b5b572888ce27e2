#include "ui/views/vision_view.h"

#include <cmath>

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>
#include <optional>
#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/capture/attention_record.h"
#include "core/io/input_error.h"
#include "ui/attention_run.h"
#include "ui/export_figure_dialog.h"
#include "ui/vision_image.h"
#include "ui/views/color_scale_bar.h"
#include "ui/views/paint_canvas.h"
#include "viz/attention_overlay.h"
#include "viz/figure/figure_writer.h"
#include "viz/figure/overlay_figure.h"
#include "viz/vision_maps.h"

namespace attnscope {

namespace {

constexpr int kDisplaySide = 1024; // the on-screen overlay is computed at most this large
constexpr int kTopClasses = 5;
constexpr int kScaleGap = 10; // between the picture and its colour scale

// The view's menu lists the maps in VisionMap's order.
static_assert(int(VisionView::MapSource::HoveredPatch) == int(VisionMap::Patch)
              && int(VisionView::MapSource::Relevance) == int(VisionMap::Relevance));

// The geometry of `image` shown at `size` instead of its own resolution.
PatchGeometry scaledGeometry(PatchGeometry geometry, const QSize &size)
{
    geometry.originalWidth = size.width();
    geometry.originalHeight = size.height();
    return geometry;
}

// The geometry of the model's input as if it were the image: no resize, no crop.
PatchGeometry inputGeometry(const PatchGeometry &geometry)
{
    PatchGeometry input = geometry;
    input.originalWidth = input.resizedWidth = geometry.inputWidth;
    input.originalHeight = input.resizedHeight = geometry.inputHeight;
    input.cropLeft = input.cropTop = 0;
    return input;
}

// Maps with one value per layer, not per head: there is no "every head of the layer" of them.
bool isPerLayer(VisionView::MapSource source)
{
    return source == VisionView::MapSource::ClsLayerMean || source == VisionView::MapSource::Rollout;
}

// What a map's values are, for its colour scale.
QString valueName(VisionView::MapSource source)
{
    switch (source) {
    case VisionView::MapSource::ClsHead: return VisionView::tr("CLS attention weight");
    case VisionView::MapSource::ClsLayerMean: return VisionView::tr("CLS attention weight, mean of the heads");
    case VisionView::MapSource::HoveredPatch: return VisionView::tr("the patch's attention weight");
    case VisionView::MapSource::Rollout: return VisionView::tr("rollout share");
    case VisionView::MapSource::Relevance: return VisionView::tr("relevance");
    }
    return {};
}

} // namespace

struct VisionView::Private {
    AttentionRun *run = nullptr;
    std::shared_ptr<const AttentionRecord> record;
    std::shared_ptr<const VisionImage> image;
    QStringList labels;
    std::optional<VisionMaps> maps;
    int relevanceClass = -1;
    int layer = 0, head = 0;
    int hovered = -1;
    MapSource source = MapSource::ClsHead;
    Layout layout = Layout::Single;
    OverlayStyle style;
    bool modelInput = false;
    QImage shown;            // the Single overlay at display size

    PaintCanvas *canvas = nullptr;
    QComboBox *sourceBox = nullptr, *layoutBox = nullptr, *colormapBox = nullptr, *upsamplingBox = nullptr;
    QSlider *opacity = nullptr, *threshold = nullptr;
    QCheckBox *grid = nullptr, *inputBox = nullptr;
    QSpinBox *classBox = nullptr;
    QLabel *predictionsLabel = nullptr, *note = nullptr;
    QPushButton *exportButton = nullptr;
    ColorScaleBar *scaleBar = nullptr;
    bool relevancePending = false; // asked of the run; its answer or its error goes to `note`

    // The canvas but the colour scale's room on its right: where the maps go.
    QSizeF mapsArea() const
    {
        return QSizeF(std::max(1, canvas->width() - scaleBar->sizeHint().width() - kScaleGap), canvas->height());
    }
    // Where the Single overlay is drawn: fitted and centred in the maps' area.
    QRectF shownRect() const
    {
        const QSizeF area = mapsArea();
        const QSizeF fitted = QSizeF(shown.size()).scaled(area - QSizeF(8, 8), Qt::KeepAspectRatio);
        return QRectF(QPointF((area.width() - fitted.width()) / 2, (area.height() - fitted.height()) / 2), fitted);
    }
    // Against the picture's right edge, as tall as the picture (or the small multiples).
    void placeScaleBar()
    {
        const QRectF picture = layout == Layout::Single ? shownRect() : QRectF(QPointF(), mapsArea());
        const int height = std::max(scaleBar->minimumSizeHint().height(), int(picture.height()));
        scaleBar->setGeometry(int(std::ceil(picture.right())) + kScaleGap, int(picture.center().y()) - height / 2,
                              scaleBar->sizeHint().width(), height);
    }
    const QImage &baseImage() const { return modelInput ? image->modelView : image->original; }
    PatchGeometry baseGeometry() const { return modelInput ? inputGeometry(image->geometry) : image->geometry; }

    torch::Tensor mapOf(MapSource kind, int atLayer, int atHead)
    {
        return maps->map(VisionMap(kind), atLayer, atHead, hovered);
    }
    bool isClassifier() const { return record && record->logits.defined() && record->logits.dim() == 1; }
    // The overlay colours value v as colormap(v / peak): a linear scale from 0 to the peak,
    // or, for small multiples each over its own peak, shares of it.
    void showColorScale(const torch::Tensor &map)
    {
        HeatmapStyle colors;
        colors.colormap = style.colormap;
        const bool single = layout == Layout::Single;
        colors.scale.range = {0.0, single && map.defined() ? map.max().item<double>() : 1.0};
        scaleBar->setScale(colors, single ? valueName(source) : VisionView::tr("%1 ÷ each map's peak").arg(valueName(source)));
        scaleBar->setVisible(map.defined());
        placeScaleBar();
    }
};

VisionView::VisionView(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->canvas = new PaintCanvas(this);
    d->canvas->setObjectName(QStringLiteral("visionCanvas"));
    d->canvas->setMinimumSize(320, 240);
    d->sourceBox = new QComboBox(this);
    d->sourceBox->addItems({tr("CLS → patches (head)"), tr("CLS → patches (layer mean)"), tr("hovered patch (head)"),
                            tr("rollout"), tr("gradient relevance")});
    d->layoutBox = new QComboBox(this);
    d->layoutBox->addItems({tr("one map"), tr("every head of the layer"), tr("the head across layers")});
    d->colormapBox = new QComboBox(this);
    d->colormapBox->addItems(Colormap::names());
    d->colormapBox->setCurrentText(QStringLiteral("inferno"));
    d->upsamplingBox = new QComboBox(this);
    d->upsamplingBox->addItems({tr("nearest"), tr("bilinear")});
    d->upsamplingBox->setCurrentIndex(1);
    d->opacity = new QSlider(Qt::Horizontal, this);
    d->opacity->setRange(0, 100);
    d->opacity->setValue(60);
    d->threshold = new QSlider(Qt::Horizontal, this);
    d->threshold->setRange(0, 100);
    d->grid = new QCheckBox(tr("patch grid"), this);
    d->inputBox = new QCheckBox(tr("as the model sees it"), this);
    d->classBox = new QSpinBox(this);
    d->classBox->setRange(-1, 0);
    d->classBox->setValue(-1);
    d->classBox->setSpecialValueText(tr("predicted"));
    d->classBox->setToolTip(tr("The class gradient relevance explains"));
    d->exportButton = new QPushButton(tr("Export…"), this);
    d->predictionsLabel = new QLabel(this);
    d->predictionsLabel->setObjectName(QStringLiteral("predictions"));
    d->predictionsLabel->setTextFormat(Qt::RichText);
    d->predictionsLabel->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    d->predictionsLabel->setMinimumWidth(180);
    d->note = new QLabel(this);

    auto *controls = new QFormLayout;
    controls->addRow(tr("Map"), d->sourceBox);
    controls->addRow(tr("Layout"), d->layoutBox);
    controls->addRow(tr("Colormap"), d->colormapBox);
    controls->addRow(tr("Opacity"), d->opacity);
    controls->addRow(tr("Threshold"), d->threshold);
    controls->addRow(tr("Upsampling"), d->upsamplingBox);
    controls->addRow(tr("Relevance of"), d->classBox);
    controls->addRow(d->grid);
    controls->addRow(d->inputBox);
    controls->addRow(d->exportButton);
    auto *side = new QVBoxLayout;
    side->addLayout(controls);
    side->addWidget(new QLabel(tr("<b>Predictions</b>"), this));
    side->addWidget(d->predictionsLabel, 1);
    d->note->setObjectName(QStringLiteral("visionNote"));
    d->note->setWordWrap(true);
    d->scaleBar = new ColorScaleBar(d->canvas);
    d->scaleBar->setObjectName(QStringLiteral("visionColorScale"));
    d->scaleBar->hide();
    auto *centre = new QVBoxLayout;
    centre->addWidget(d->note);
    centre->addWidget(d->canvas, 1);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(centre, 1);
    layout->addLayout(side);

    d->canvas->paint = [this](QPainter &painter, const QRectF &) {
        if (!hasImage()) {
            painter.drawText(d->canvas->rect(), Qt::AlignCenter, tr("Open an image (or drop one on the window) and Run"));
            return;
        }
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        if (d->layout == Layout::Single) {
            const QRectF shownRect = d->shownRect();
            painter.drawImage(shownRect, d->shown);
            if (d->hovered >= 0) {
                const PatchGeometry g = d->baseGeometry();
                const QRectF patch = g.patchInOriginal(d->hovered);
                const double sx = shownRect.width() / g.originalWidth, sy = shownRect.height() / g.originalHeight;
                painter.setPen(QPen(Qt::cyan, 2));
                painter.drawRect(QRectF(shownRect.left() + patch.left() * sx, shownRect.top() + patch.top() * sy,
                                        patch.width() * sx, patch.height() * sy));
            }
            return;
        }
        // Small multiples: every head of the layer, or the head (or the layer's map) in every layer.
        const bool heads = d->layout == Layout::LayerHeads;
        const bool perLayer = isPerLayer(d->source);
        const int count = int(heads ? d->record->heads() : d->record->layers());
        const QSizeF area = d->mapsArea();
        const int columns = int(std::ceil(std::sqrt(double(count) * area.width() / std::max(1.0, area.height()))));
        const int rows = (count + columns - 1) / columns;
        const double cellWidth = area.width() / columns, cellHeight = area.height() / rows;
        const QImage &base = d->baseImage();
        const QImage small = base.scaled(int(cellWidth), int(cellHeight - 16), Qt::KeepAspectRatio, Qt::SmoothTransformation);
        const PatchGeometry geometry = scaledGeometry(d->baseGeometry(), small.size());
        for (int i = 0; i < count; ++i) {
            const int layer = heads ? d->layer : i, head = heads ? i : d->head;
            const torch::Tensor map = d->mapOf(d->source, layer, head);
            const QRectF cell(i % columns * cellWidth, i / columns * cellHeight, cellWidth, cellHeight);
            painter.drawImage(QPointF(cell.left() + (cellWidth - small.width()) / 2, cell.top() + 16), attentionOverlay(small, map, geometry, d->style));
            // Each map is coloured over its own peak: the label says how high that is.
            const QString name = perLayer ? tr("L%1").arg(layer) : tr("L%1 H%2").arg(layer).arg(head);
            painter.drawText(QRectF(cell.left(), cell.top(), cellWidth, 16), Qt::AlignCenter,
                             tr("%1 · peak %2").arg(name).arg(map.max().item<double>(), 0, 'g', 3));
        }
    };
    d->canvas->move = [this](QMouseEvent *event) {
        const QRectF shownRect = d->shownRect();
        if (!hasImage() || d->layout != Layout::Single || shownRect.isEmpty())
            return;
        const PatchGeometry g = d->baseGeometry();
        const QPointF at((event->position().x() - shownRect.left()) * g.originalWidth / shownRect.width(),
                         (event->position().y() - shownRect.top()) * g.originalHeight / shownRect.height());
        const int patch = g.patchAt(at);
        if (patch == d->hovered)
            return;
        d->hovered = patch;
        if (patch >= 0)
            Q_EMIT patchHovered(d->image->leadingTokens + patch);
        if (d->source == MapSource::HoveredPatch)
            rebuild();
        else
            d->canvas->update();
    };
    d->canvas->tooltip = [this](const QPointF &) -> QString {
        if (d->hovered < 0)
            return {};
        const int cols = d->image->geometry.gridCols();
        QString text = tr("patch %1,%2 (token %3)").arg(d->hovered / cols).arg(d->hovered % cols).arg(d->image->leadingTokens + d->hovered);
        const torch::Tensor map = d->mapOf(d->source, d->layer, d->head);
        if (map.defined())
            text += tr("\nvalue %1").arg(map.flatten()[d->hovered].item<double>(), 0, 'g', 4);
        return text;
    };

    const auto restyle = [this] {
        d->style.colormap = Colormap::byName(d->colormapBox->currentText());
        d->style.opacity = d->opacity->value() / 100.0;
        d->style.threshold = d->threshold->value() / 100.0;
        d->style.upsampling = d->upsamplingBox->currentIndex() == 1 ? Upsampling::Bilinear : Upsampling::Nearest;
        d->style.gridLines = d->grid->isChecked();
        d->modelInput = d->inputBox->isChecked();
        d->source = MapSource(d->sourceBox->currentIndex());
        offerLayouts();
        d->layout = Layout(d->layoutBox->currentIndex());
        if (d->source == MapSource::Relevance && d->maps && !d->maps->hasRelevance())
            requestRelevance();
        rebuild();
    };
    for (QComboBox *box : {d->sourceBox, d->layoutBox, d->colormapBox, d->upsamplingBox})
        connect(box, &QComboBox::currentIndexChanged, this, restyle);
    for (QSlider *slider : {d->opacity, d->threshold})
        connect(slider, &QSlider::valueChanged, this, restyle);
    for (QCheckBox *box : {d->grid, d->inputBox})
        connect(box, &QCheckBox::toggled, this, restyle);
    connect(d->classBox, &QSpinBox::valueChanged, this, [this](int value) {
        d->relevanceClass = value;
        if (d->maps)
            d->maps->setRelevance(torch::Tensor());
        if (d->source == MapSource::Relevance)
            requestRelevance();
        rebuild();
    });
    connect(d->exportButton, &QPushButton::clicked, this, &VisionView::chooseFileAndExport);
}

VisionView::~VisionView() = default;

void VisionView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    d->placeScaleBar(); // the canvas has its new size: layouts resize before the widget hears of it
}

void VisionView::setRun(AttentionRun *run)
{
    if (d->run != run) {
        d->run = run;
        connect(run, &AttentionRun::failed, this, [this](const QString &message) {
            if (!d->relevancePending)
                return;
            d->relevancePending = false;
            d->note->setText(tr("No gradient relevance: %1").arg(message));
        });
        connect(run, &AttentionRun::analysisFinished, this, [this](const QString &method) {
            if (method != QLatin1String("relevance"))
                return; // the analyses panel's
            d->relevancePending = false;
            const auto result = d->run->analysisResult();
            if (!result || !hasImage())
                return;
            const auto found = result->tensors.find("relevance_of_output");
            if (found == result->tensors.end() || found->second.numel() != d->record->keys())
                return;
            d->note->setText(d->image->warning);
            d->maps->setRelevance(found->second);
            rebuild();
        });
    }
    d->record = run->record();
    d->image = run->visionImage();
    d->labels = run->classLabels();
    d->hovered = -1;
    d->maps.reset();
    if (d->record && d->image)
        d->maps.emplace(d->record, d->image->leadingTokens, d->image->geometry.gridRows(), d->image->geometry.gridCols());
    d->classBox->setRange(-1, std::max(0, int(d->labels.size()) - 1));
    d->note->setText(d->image ? d->image->warning : QString());
    // Predictions: softmax over the classifier's logits.
    QString text;
    for (const auto &[label, probability] : predictions())
        text += QStringLiteral("%1 — %2%<br>").arg(label.toHtmlEscaped()).arg(100 * probability, 0, 'f', 1);
    d->predictionsLabel->setText(text.isEmpty() ? tr("(not a classifier)") : text);
    if (d->source == MapSource::Relevance)
        requestRelevance();
    rebuild();
}

void VisionView::showHead(int layer, int head)
{
    d->layer = layer;
    d->head = head;
    rebuild();
}

void VisionView::setSource(MapSource source) { d->sourceBox->setCurrentIndex(int(source)); }
void VisionView::setLayout(Layout layout) { d->layoutBox->setCurrentIndex(int(layout)); }
void VisionView::setOpacity(double opacity) { d->opacity->setValue(int(std::lround(opacity * 100))); }
void VisionView::setThreshold(double threshold) { d->threshold->setValue(int(std::lround(threshold * 100))); }
void VisionView::setBilinear(bool bilinear) { d->upsamplingBox->setCurrentIndex(bilinear ? 1 : 0); }
void VisionView::setGridLines(bool shown) { d->grid->setChecked(shown); }
void VisionView::setModelInput(bool shown) { d->inputBox->setChecked(shown); }
void VisionView::setRelevanceClass(int classIndex) { d->classBox->setValue(classIndex); }

bool VisionView::hasImage() const { return d->record && d->image; }
VisionView::Layout VisionView::layout() const { return d->layout; }
QString VisionView::note() const { return d->note->text(); }
ColorScaleBar *VisionView::colorScale() const { return d->scaleBar; }
int VisionView::hoveredPatch() const { return d->hovered; }
QWidget *VisionView::canvas() const { return d->canvas; }

void VisionView::requestRelevance()
{
    if (!d->run || !hasImage())
        return;
    if (!d->isClassifier()) { // the relevance explains a class score: without classes, nothing to explain
        d->note->setText(tr("Gradient relevance explains a class score, and this model has no classifier: "
                            "pick another map."));
        return;
    }
    d->relevancePending = true;
    d->note->setText(tr("Computing the gradient relevance…"));
    d->run->startAnalysis(QStringLiteral("relevance"), {{QStringLiteral("target"), QString::number(d->relevanceClass)}});
}

// The layouts the map has: a per-layer map has no heads to show side by side, and the
// relevance is one map of the whole model. An unavailable layout falls back to one map.
void VisionView::offerLayouts()
{
    const auto *model = qobject_cast<QStandardItemModel *>(d->layoutBox->model());
    const bool perLayer = isPerLayer(d->source), relevance = d->source == MapSource::Relevance;
    model->item(int(Layout::LayerHeads))->setEnabled(!perLayer && !relevance);
    model->item(int(Layout::HeadAcrossLayers))->setEnabled(!relevance);
    model->item(int(Layout::HeadAcrossLayers))->setText(perLayer ? tr("every layer") : tr("the head across layers"));
    if (!model->item(d->layoutBox->currentIndex())->isEnabled()) {
        const QSignalBlocker block(d->layoutBox);
        d->layoutBox->setCurrentIndex(int(perLayer ? Layout::HeadAcrossLayers : Layout::Single));
    }
}

void VisionView::rebuild()
{
    if (!hasImage())
        return;
    d->layer = std::clamp(d->layer, 0, int(d->record->layers()) - 1);
    d->head = std::clamp(d->head, 0, int(d->record->heads()) - 1);
    const QImage &base = d->baseImage();
    const QImage display = std::max(base.width(), base.height()) > kDisplaySide
                               ? base.scaled(kDisplaySide, kDisplaySide, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                               : base;
    const torch::Tensor map = d->mapOf(d->source, d->layer, d->head);
    d->shown = map.defined() ? attentionOverlay(display, map, scaledGeometry(d->baseGeometry(), display.size()), d->style)
                             : display;
    d->showColorScale(map);
    d->canvas->update();
    Q_EMIT overlayChanged();
}

QImage VisionView::overlay() const
{
    if (!hasImage())
        return {};
    const torch::Tensor map = d->mapOf(d->source, d->layer, d->head);
    return map.defined() ? attentionOverlay(d->baseImage(), map, d->baseGeometry(), d->style) : d->baseImage();
}

QPointF VisionView::patchCenter(int patch) const
{
    const PatchGeometry g = d->baseGeometry();
    const QPointF centre = g.patchInOriginal(patch).center();
    const QRectF shownRect = d->shownRect();
    return QPointF(shownRect.left() + centre.x() * shownRect.width() / g.originalWidth,
                   shownRect.top() + centre.y() * shownRect.height() / g.originalHeight);
}

std::vector<std::pair<QString, double>> VisionView::predictions() const
{
    std::vector<std::pair<QString, double>> top;
    if (!d->record || !d->record->logits.defined() || d->record->logits.dim() != 1 || d->labels.isEmpty())
        return top;
    const torch::Tensor probabilities = torch::softmax(d->record->logits.to(torch::kFloat64), 0);
    const auto [values, indices] = probabilities.topk(std::min<int64_t>(kTopClasses, probabilities.size(0)));
    for (int64_t i = 0; i < values.size(0); ++i) {
        const int64_t index = indices[i].item<int64_t>();
        top.emplace_back(index < d->labels.size() ? d->labels[int(index)] : QString::number(index), values[i].item<double>());
    }
    return top;
}

std::unique_ptr<FigureContent> VisionView::overlayFigureContent(const QString &where) const
{
    if (!hasImage())
        throw InputError(where, QStringLiteral("there is no overlay to export yet"));
    const torch::Tensor map = d->mapOf(d->source, d->layer, d->head);
    if (!map.defined())
        throw InputError(where, QStringLiteral("there is no map to export yet"));
    OverlayFigureData figure;
    figure.original = d->baseImage();
    figure.map = map;
    figure.geometry = d->baseGeometry();
    figure.style = d->style;
    figure.title = overlayFigureTitle(QFileInfo(d->image->path).fileName(), VisionMap(d->source), d->layer, d->head, d->hovered);
    figure.valueName = overlayValueName(VisionMap(d->source));
    return overlayFigure(std::move(figure));
}

bool VisionView::exportFigure(const QString &path, QString *error) const
{
    try {
        // On a page, as every view's figure: title, colorbar, physical size and dpi.
        writeFigure(path, FigurePage(), *overlayFigureContent(path));
        return true;
    } catch (const InputError &failure) {
        if (error)
            *error = QString::fromUtf8(failure.what());
        return false;
    }
}

void VisionView::chooseFileAndExport()
{
    QString error;
    try {
        overlayFigureContent(tr("the image tab")); // says at once when there is nothing to export
        FigureRequest request;
        request.view = QStringLiteral("overlay");
        request.layer = d->layer;
        request.head = d->head;
        // The overlay as shown now; the dialog sets its page (size, dpi, title, colorbar, font).
        ExportFigureDialog dialog(request, [this](const FigureRequest &) { return overlayFigureContent(tr("the image tab")); },
                                  QString(), {QStringLiteral("--image"), d->image->path}, this);
        dialog.exec();
    } catch (const InputError &failure) {
        d->note->setText(QString::fromUtf8(failure.what()));
    }
}

} // namespace attnscope
