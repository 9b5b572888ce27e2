#include "ui/views/head_view.h"

#include <cmath>
#include <optional>

#include <QCheckBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QToolTip>
#include <torch/torch.h>

#include "ui/views/color_scale_bar.h"
#include "ui/views/heatmap_axes.h"
#include "ui/views/heatmap_tile_layer.h"
#include "ui/views/heatmap_viewport.h"
#include "viz/tile_pyramid.h"
#include "viz/value_range.h"

namespace attnscope {

namespace {
constexpr double kZoomStep = 1.25;
constexpr double kClickSlop = 4; // pixels a press may move and still be a click
constexpr int kScaleGap = 8;      // between the matrix and its colour scale
constexpr int kMinScaleHeight = 120;
constexpr int kProgressMilliseconds = 150;
}

struct HeadView::Private {
    std::shared_ptr<TilePyramid> given;   // as setHead() received it
    std::shared_ptr<TilePyramid> pyramid; // the one shown: given, or its row-normalized twin
    QStringList queryTokens;
    QStringList keyTokens;
    HeatmapViewport viewport;
    HeatmapTileLayer layer;
    bool rangeFromData = true;
    bool rangeKnown = false;
    bool dragging = false;
    QPointF dragFrom;
    QPointF pressedAt;   // a release near it is a click, not a drag
    qint64 selectedRow = -1;
    qint64 selectedCol = -1;
    QString error;
    QWidget *progressBox = nullptr;
    QProgressBar *progress = nullptr;
    ColorScaleBar *scaleBar = nullptr;
    QCheckBox *perRow = nullptr;
    bool rowNormalized = false;
    QString valueName;
    std::optional<HeatmapTileLayer> previous; // the last head, drawn dimmed until the new overview arrives
    QElapsedTimer sinceHead;     // the progress bar shows only for work that lasts
    QElapsedTimer sinceProgress; // and moves at most every kProgressMilliseconds
    double widestQuery = 0;   // of the axis labels, measured once per token list and font
    double widestKey = 0;

    void measureLabels(const QFont &font)
    {
        const qint64 rows = pyramid ? pyramid->geometry().rows() : 0, cols = pyramid ? pyramid->geometry().cols() : 0;
        widestQuery = widestAxisLabel(queryTokens, rows, font);
        widestKey = keyTokens == queryTokens && rows == cols ? widestQuery : widestAxisLabel(keyTokens, cols, font);
    }

    // The pyramid to show for `given`: itself, or one over the same cells with each row
    // divided by its peak.
    std::shared_ptr<TilePyramid> shownPyramid() const
    {
        if (!given || given->options().normalizeRows == rowNormalized)
            return given;
        PyramidOptions options = given->options();
        options.normalizeRows = rowNormalized;
        return std::make_shared<TilePyramid>(given->source(), given->geometry().rows(), given->geometry().cols(), options);
    }
    // The matrix as drawn, within the plot (widget pixels).
    QRectF matrixRect() const
    {
        const QRectF shown = viewport.visibleCells();
        return QRectF(viewport.toPixel(shown.topLeft()), viewport.toPixel(shown.bottomRight())).intersected(viewport.plotRect());
    }
};

HeadView::HeadView(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(240, 200);
    setAttribute(Qt::WA_OpaquePaintEvent); // paintEvent fills every pixel: the tabs behind need no repaint
    d->progressBox = new QWidget(this);
    auto *row = new QHBoxLayout(d->progressBox);
    row->setContentsMargins(0, 0, 0, 0);
    d->progress = new QProgressBar(d->progressBox);
    auto *cancel = new QPushButton(tr("Cancel"), d->progressBox);
    row->addWidget(d->progress);
    row->addWidget(cancel);
    d->progressBox->hide();
    connect(cancel, &QPushButton::clicked, this, [this] {
        if (d->pyramid)
            d->pyramid->cancel();
        d->progressBox->hide();
    });
    d->scaleBar = new ColorScaleBar(this);
    d->scaleBar->hide(); // until the colours' range is known
    d->perRow = new QCheckBox(tr("per row"), this);
    d->perRow->setObjectName(QStringLiteral("perRow"));
    d->perRow->setToolTip(tr("Divide each row by its largest weight: the colours then compare the keys of one query, "
                             "not the rows with each other"));
    d->perRow->setFocusPolicy(Qt::NoFocus); // the arrows stay the map's
    connect(d->perRow, &QCheckBox::toggled, this, &HeadView::setRowNormalized);
}

HeadView::~HeadView() = default;

void HeadView::setHead(std::shared_ptr<TilePyramid> pyramid, const QStringList &queryTokens,
                       const QStringList &keyTokens)
{
    if (d->pyramid)
        disconnect(d->pyramid.get(), nullptr, this, nullptr);
    const qint64 oldRows = d->viewport.rows(), oldCols = d->viewport.cols();
    const bool sameShape = d->pyramid && pyramid && pyramid->geometry().rows() == oldRows && pyramid->geometry().cols() == oldCols;
    // Until the new head's overview arrives, the old one stays (dimmed, with its scale).
    if (sameShape && d->rangeKnown && d->error.isEmpty()) {
        d->previous = std::move(d->layer);
        d->layer = HeatmapTileLayer();
        d->layer.setStyle(d->previous->style());
    } else if (!sameShape) {
        d->previous.reset();
        d->scaleBar->hide();
    }
    d->given = std::move(pyramid);
    d->pyramid = d->shownPyramid();
    const bool sameLabels = sameShape && queryTokens == d->queryTokens && keyTokens == d->keyTokens;
    d->queryTokens = queryTokens;
    d->keyTokens = keyTokens;
    if (!sameLabels)
        d->measureLabels(font());
    d->error.clear();
    d->rangeKnown = !d->rangeFromData;
    if (d->rangeKnown)
        d->scaleBar->show();
    d->layer.setPyramid(d->pyramid);
    d->progressBox->hide();
    if (d->pyramid) {
        const PyramidGeometry &geometry = d->pyramid->geometry();
        d->viewport.setMatrixSize(geometry.rows(), geometry.cols());
        connect(d->pyramid.get(), &TilePyramid::tileReady, this,
                [this](int level, qint64, qint64) { onTileReady(level); });
        d->sinceHead.start();
        d->sinceProgress.start();
        connect(d->pyramid.get(), &TilePyramid::progress, this, [this](qint64 done, qint64 total) {
            // A progress bar repaints the map under it: only for work that lasts, a few times a second.
            const bool lasting = d->sinceHead.elapsed() >= kProgressMilliseconds && d->sinceProgress.elapsed() >= kProgressMilliseconds;
            if (done < total && !lasting)
                return;
            d->sinceProgress.restart();
            d->progress->setRange(0, int(total));
            d->progress->setValue(int(done));
            d->progressBox->setVisible(done < total);
        });
        connect(d->pyramid.get(), &TilePyramid::idle, d->progressBox, &QWidget::hide);
        connect(d->pyramid.get(), &TilePyramid::failed, this, [this](const QString &message) {
            d->error = message;
            update();
        });
        takeRangeFromOverview();
    }
    relayout(); // the labels' margins follow the tokens
}

void HeadView::setStyle(const HeatmapStyle &style, bool rangeFromData)
{
    d->layer.setStyle(style);
    d->rangeFromData = rangeFromData;
    d->rangeKnown = !rangeFromData;
    if (d->rangeKnown)
        showColors();
    takeRangeFromOverview();
    update();
}

HeatmapStyle HeadView::style() const { return d->layer.style(); }

bool HeadView::hasOverview() const { return d->pyramid && d->rangeKnown; }

void HeadView::setValueName(const QString &name)
{
    d->valueName = name;
    if (d->rangeKnown)
        showColors();
}

QString HeadView::valueName() const
{
    const QString name = d->valueName.isEmpty() ? tr("attention weight") : d->valueName;
    return d->rowNormalized ? tr("%1 ÷ its row's peak").arg(name) : name;
}

void HeadView::setRowNormalized(bool normalized)
{
    if (normalized == d->rowNormalized)
        return;
    d->rowNormalized = normalized;
    const QSignalBlocker block(d->perRow);
    d->perRow->setChecked(normalized);
    if (d->given) {
        // The same head and zoom, over the other pyramid; its range comes from its overview.
        const HeatmapViewport viewport = d->viewport;
        d->rangeKnown = false;
        setHead(d->given, d->queryTokens, d->keyTokens);
        d->viewport = viewport;
        onViewChanged();
    }
    Q_EMIT rowNormalizationChanged(normalized);
}

bool HeadView::isRowNormalized() const { return d->rowNormalized; }

ColorScaleBar *HeadView::colorScale() const { return d->scaleBar; }

HeatmapAxes HeadView::axes() const { return layoutHeatmapAxes(d->viewport, d->queryTokens, d->keyTokens, font()); }

// The colour scale shows exactly the style the tiles are drawn in.
void HeadView::showColors()
{
    d->scaleBar->setScale(d->layer.style(), valueName());
    d->scaleBar->show();
    relayout(); // its tick labels may have widened it
    Q_EMIT colorsChanged();
}

// Beside the matrix (not at the far edge of the widget), as tall as the visible matrix.
void HeadView::placeScaleBar()
{
    const QRectF matrix = d->matrixRect();
    const QRectF plot = d->viewport.plotRect();
    const int width = d->scaleBar->sizeHint().width();
    const int x = std::min(int(std::ceil(matrix.right())) + kScaleGap, this->width() - width);
    const bool tallEnough = matrix.height() >= kMinScaleHeight;
    const int top = int(tallEnough ? matrix.top() : plot.top()), bottom = int(tallEnough ? matrix.bottom() : plot.bottom());
    d->scaleBar->setGeometry(x, top, width, std::max(1, bottom - top));
}

void HeadView::onTileReady(int level)
{
    if (!d->rangeKnown && d->pyramid && level == d->pyramid->geometry().topLevel())
        takeRangeFromOverview();
    update();
}

// The colors' range from the overview tile: with max pooling its largest value is the
// largest weight of the head.
void HeadView::takeRangeFromOverview()
{
    if (d->rangeKnown || !d->pyramid)
        return;
    const PyramidTile overview = d->pyramid->cachedTile({d->pyramid->geometry().topLevel(), 0, 0});
    if (!overview.isValid())
        return;
    HeatmapStyle style = d->layer.style();
    if (style.colormap.isDiverging()) {
        style.scale.range = symmetricRange(overview.values, overview.masked);
    } else {
        const ValueRange range = dataRange(overview.values, overview.masked);
        style.scale.range = {std::min(0.0, range.low), range.high};
    }
    d->layer.setStyle(style);
    d->rangeKnown = true;
    d->previous.reset();
    showColors();
    Q_EMIT overviewReady();
}

QRectF HeadView::visibleCells() const { return d->viewport.visibleCells(); }

double HeadView::cellPixels() const { return d->viewport.cellPixels(); }

QPointF HeadView::cellCenter(qint64 row, qint64 col) const
{
    return d->viewport.toPixel(QPointF(col + 0.5, row + 0.5));
}

HoveredCell HeadView::cellAt(const QPointF &pos) const
{
    HoveredCell cell;
    if (!d->pyramid || !d->viewport.plotRect().contains(pos))
        return cell;
    const QPointF at = d->viewport.toCell(pos);
    const qint64 row = qint64(std::floor(at.y())), col = qint64(std::floor(at.x()));
    const PyramidGeometry &geometry = d->pyramid->geometry();
    if (row < 0 || col < 0 || row >= geometry.rows() || col >= geometry.cols())
        return cell;
    // The exact weight and its rank among the row's weights, straight from the source.
    const torch::Tensor weights = d->pyramid->source()(row, row + 1, 0, geometry.cols())[0].to(torch::kDouble);
    cell.row = row;
    cell.col = col;
    cell.weight = weights[col].item<double>();
    cell.rank = 1 + qint64((weights > cell.weight).sum().item<int64_t>());
    cell.masked = d->pyramid->options().mask.masked(row, col);
    return cell;
}

QString HeadView::describe(const HoveredCell &cell) const
{
    if (!cell.isValid())
        return {};
    const auto token = [](const QStringList &tokens, qint64 index) {
        return index < tokens.size() ? QStringLiteral(" “%1”").arg(tokens.at(int(index))) : QString();
    };
    QString text = tr("query %1%2\nkey %3%4\n")
                       .arg(cell.row).arg(token(d->queryTokens, cell.row))
                       .arg(cell.col).arg(token(d->keyTokens, cell.col));
    if (cell.masked)
        return text + tr("masked (not visible to this query)");
    text += tr("weight %1 (rank %2 of %3 in the row)")
                .arg(cell.weight, 0, 'g', 6)
                .arg(cell.rank)
                .arg(d->pyramid->geometry().cols());
    if (d->rowNormalized) {
        const PyramidGeometry &geometry = d->pyramid->geometry();
        const double peak = d->pyramid->source()(cell.row, cell.row + 1, 0, geometry.cols()).abs().max().item<double>();
        text += tr("\n%1 of the row's peak").arg(peak > 0 ? cell.weight / peak : 0.0, 0, 'g', 4);
    }
    return text;
}

void HeadView::zoomIn() { d->viewport.zoomAt(kZoomStep, d->viewport.plotRect().center()); onViewChanged(); }

void HeadView::zoomOut() { d->viewport.zoomAt(1.0 / kZoomStep, d->viewport.plotRect().center()); onViewChanged(); }

void HeadView::resetView()
{
    d->viewport.fit();
    onViewChanged();
}

void HeadView::onViewChanged()
{
    d->layer.request(d->viewport);
    placeScaleBar();
    update();
    Q_EMIT viewChanged();
}

void HeadView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (!d->pyramid) {
        painter.drawText(rect(), Qt::AlignCenter, tr("No head selected"));
        return;
    }
    if (d->rangeKnown) {
        d->layer.paint(painter, d->viewport);
    } else if (d->previous) {
        d->previous->paint(painter, d->viewport);
        painter.fillRect(d->viewport.plotRect(), QColor(255, 255, 255, 150));
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(d->viewport.plotRect(), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("Computing this head…\n(the previous head, dimmed, until it is ready)"));
    } else {
        painter.drawText(d->viewport.plotRect(), Qt::AlignCenter, tr("Computing the overview…"));
    }
    if (d->rangeKnown && d->selectedRow >= 0)
        paintSelectedCell(painter);
    paintHeatmapAxes(painter, axes());
    if (!d->error.isEmpty()) {
        painter.setPen(Qt::red);
        painter.drawText(d->viewport.plotRect(), Qt::AlignCenter | Qt::TextWordWrap, d->error);
    }
}

void HeadView::resizeEvent(QResizeEvent *) { relayout(); }

void HeadView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange) {
        d->measureLabels(font());
        relayout();
    }
    QWidget::changeEvent(event);
}

void HeadView::relayout()
{
    // Room on the right for the colour scale; at the top for the keys and the "per row" box.
    const QSize perRow = d->perRow->sizeHint();
    const int scaleWidth = std::max(d->scaleBar->sizeHint().width(), perRow.width());
    HeatmapMargins margins = heatmapMargins(d->widestQuery, d->widestKey, size(), scaleWidth + kScaleGap);
    margins.top = std::max(margins.top, perRow.height() + 4);
    d->viewport.setPlotRect(QRectF(rect()).adjusted(margins.left, margins.top, -margins.right, -margins.bottom));
    d->perRow->setGeometry(QRect(QPoint(width() - perRow.width() - 2, 2), perRow));
    const QSize box(std::min(width() - 16, 320), d->progressBox->sizeHint().height());
    d->progressBox->setGeometry(QRect(QPoint(width() - box.width() - 8, height() - box.height() - 8), box));
    onViewChanged();
}

void HeadView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0.0)
        return;
    d->viewport.zoomAt(std::pow(kZoomStep, steps), event->position());
    onViewChanged();
    event->accept();
}

void HeadView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    d->dragging = true;
    d->dragFrom = event->position();
    d->pressedAt = event->position();
    setCursor(Qt::ClosedHandCursor);
}

void HeadView::mouseMoveEvent(QMouseEvent *event)
{
    if (d->dragging) {
        d->viewport.panBy(event->position() - d->dragFrom);
        d->dragFrom = event->position();
        onViewChanged();
        return;
    }
    const HoveredCell cell = cellAt(event->position());
    if (!cell.isValid()) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(event->globalPosition().toPoint(), describe(cell), this);
    Q_EMIT cellHovered(cell.row, cell.col, cell.weight);
}

void HeadView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    d->dragging = false;
    unsetCursor();
    if ((event->position() - d->pressedAt).manhattanLength() > kClickSlop)
        return;
    const HoveredCell cell = cellAt(event->position());
    if (cell.isValid())
        Q_EMIT cellClicked(cell.row, cell.col);
}

void HeadView::setSelectedCell(qint64 row, qint64 col)
{
    d->selectedRow = row;
    d->selectedCol = col;
    update();
}

// The selected query's row and key's column outlined, their crossing marked.
void HeadView::paintSelectedCell(QPainter &painter) const
{
    const PyramidGeometry &geometry = d->pyramid->geometry();
    if (d->selectedRow >= geometry.rows() || d->selectedCol >= geometry.cols())
        return;
    const auto pixel = [this](double col, double row) { return d->viewport.toPixel(QPointF(col, row)); };
    const double rows = double(geometry.rows()), cols = double(geometry.cols());
    const double row = double(d->selectedRow), col = double(d->selectedCol);
    painter.save();
    painter.setClipRect(d->viewport.plotRect());
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(QColor(255, 255, 255, 200), 1, Qt::DashLine));
    painter.drawRect(QRectF(pixel(0, row), pixel(cols, row + 1)));
    painter.drawRect(QRectF(pixel(col, 0), pixel(col + 1, rows)));
    painter.setPen(QPen(QColor(224, 96, 16), 2));
    painter.drawRect(QRectF(pixel(col, row), pixel(col + 1, row + 1)).adjusted(-1, -1, 1, 1));
    painter.restore();
}

void HeadView::keyPressEvent(QKeyEvent *event)
{
    QPoint arrow; // the arrow's direction: x = heads (right), y = layers (down)
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomIn(); return;
    case Qt::Key_Minus: zoomOut(); return;
    case Qt::Key_Home: resetView(); return;
    case Qt::Key_Left: arrow = {-1, 0}; break;
    case Qt::Key_Right: arrow = {1, 0}; break;
    case Qt::Key_Up: arrow = {0, -1}; break;
    case Qt::Key_Down: arrow = {0, 1}; break;
    default: QWidget::keyPressEvent(event); return;
    }
    if (!(event->modifiers() & Qt::ShiftModifier)) {
        Q_EMIT stepRequested(arrow.y(), arrow.x());
        return;
    }
    // Shift+arrow shows the cells in that direction: the matrix moves the other way.
    const QSizeF page = d->viewport.plotRect().size() / 10;
    d->viewport.panBy(QPointF(-arrow.x() * page.width(), -arrow.y() * page.height()));
    onViewChanged();
}

} // namespace attnscope
