#include "ui/panels/analysis_result_view.h"

#include <algorithm>

#include <QChart>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QScrollBar>
#include <QPointer>
#include <QVBoxLayout>
#include <torch/torch.h>

#include "ui/panels/analysis_charts.h"
#include "ui/panels/analysis_result_view_private.h"
#include "ui/panels/token_grid_view.h"
#include "ui/views/head_table.h"
#include "ui/views/head_view.h"
#include "viz/figure/figure_request.h"
#include "viz/tile_pyramid.h"

namespace attnscope {

AnalysisResultView::AnalysisResultView(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    auto *pickers = new QHBoxLayout;
    d->score = new QComboBox(this);
    d->score->setToolTip(tr("Which of the analysis' results is drawn"));
    d->score->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    d->layerPick = new QSpinBox(this);
    d->layerPick->setPrefix(tr("layer "));
    d->headPick = new QSpinBox(this);
    d->headPick->setPrefix(tr("head "));
    d->headPick->setMinimum(-1);
    d->headPick->setSpecialValueText(tr("mean of the heads"));
    d->positionPick = new QSpinBox(this);
    d->positionPick->setPrefix(tr("position "));
    pickers->addWidget(new QLabel(tr("Show:"), this));
    pickers->addWidget(d->score);
    pickers->addWidget(d->layerPick);
    pickers->addWidget(d->headPick);
    pickers->addWidget(d->positionPick);
    pickers->addStretch(1);
    d->table = new QTableWidget(this);
    d->table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    d->map = new HeadView(this);
    d->side = new QStackedWidget(this);
    d->side->addWidget(d->table);
    d->side->addWidget(d->map);
    d->grid = new TokenGridView(this);
    d->gridScroll = new QScrollArea(this);
    d->gridScroll->setWidget(d->grid);
    d->side->addWidget(d->gridScroll);
    d->chartView = new QChartView(new QChart, this);
    d->chartView->setRenderHint(QPainter::Antialiasing);
    d->chartView->setMinimumSize(320, 200);
    d->text = new QLabel(this);
    d->text->setWordWrap(true);
    d->text->setTextFormat(Qt::RichText);
    auto *chartColumn = new QWidget(this);
    auto *chartLayout = new QVBoxLayout(chartColumn);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(d->chartView, 1);
    chartLayout->addWidget(d->text);
    d->split = new QSplitter(Qt::Horizontal, this);
    d->split->addWidget(d->side);
    d->split->addWidget(chartColumn);
    d->split->setStretchFactor(0, 1);
    d->split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(pickers);
    layout->addWidget(d->split, 1);

    connect(d->score, &QComboBox::currentTextChanged, this, &AnalysisResultView::showScore);
    connect(d->layerPick, &QSpinBox::valueChanged, this, &AnalysisResultView::drawMatrix);
    connect(d->headPick, &QSpinBox::valueChanged, this, &AnalysisResultView::drawMatrix);
    connect(d->positionPick, &QSpinBox::valueChanged, this, &AnalysisResultView::drawHeadScores);
    connect(d->grid, &TokenGridView::cellClicked, this, [this](int row, int column) {
        drawGridCell(row, column);
        Q_EMIT headChosen(std::max(0, row - 1), 0); // the layer that wrote the stream (the embedding: the first)
    });
    connect(d->map, &HeadView::cellClicked, this, [this](qint64 row, qint64) { selectRow(int(row)); });
    connect(d->map, &HeadView::stepRequested, this, [this](int layers, int heads) {
        d->layerPick->stepBy(layers);
        d->headPick->stepBy(heads);
    });
    connect(d->table, &QTableWidget::cellClicked, this, [this](int row, int column) { Q_EMIT headChosen(row, column); });
}

AnalysisResultView::~AnalysisResultView() = default;

void AnalysisResultView::setResult(const QString &method, std::shared_ptr<const AnalysisResult> result,
                                   const RecordShape &shape, const QStringList &tokens, bool causal)
{
    clear();
    d->result = std::move(result);
    d->shape = shape;
    d->tokens = tokens;
    d->causal = causal;
    d->row = -1;
    d->shownMethod = method;
    const QStringList names = drawableTensors(method, *d->result, shape);
    {
        const QSignalBlocker block(d->score);
        d->score->addItems(names);
    }
    if (!names.isEmpty())
        showScore(names.first());
}

// The view releases its chart without deleting it (Qt Charts' ownership rule): this does.
void AnalysisResultView::setChart(QChart *chart)
{
    const QPointer<QChart> previous = d->chartView->chart();
    d->chartView->setChart(chart);
    delete previous.data();
}

void AnalysisResultView::clear()
{
    setChart(new QChart);
    d->pyramid.reset();
    d->map->setHead(nullptr, {}, {});
    d->slice = torch::Tensor();
    d->table->clear();
    d->table->setRowCount(0);
    d->table->setColumnCount(0);
    d->text->clear();
    d->text->hide();
    d->layerPick->hide();
    d->headPick->hide();
    d->positionPick->hide();
    d->result.reset();
    d->shownMethod.clear();
    d->shownScore.clear();
    {
        const QSignalBlocker block(d->score);
        d->score->clear();
    }
    if (d->badgesShown) { // the model view's badges go with the score
        d->badgesShown = false;
        Q_EMIT scoreShown({}, {});
    }
}

QStringList AnalysisResultView::scoreNames() const
{
    QStringList names;
    for (int i = 0; i < d->score->count(); ++i)
        names << d->score->itemText(i);
    return names;
}

void AnalysisResultView::showScore(const QString &name)
{
    if (!d->result || !d->result->tensors.count(name.toStdString()))
        return;
    if (name != d->shownScore)
        d->row = -1; // another tensor's rows: the last one first
    d->shownScore = name;
    {
        const QSignalBlocker block(d->score);
        d->score->setCurrentText(name);
    }
    d->pyramid.reset();
    d->slice = torch::Tensor();
    d->text->clear();
    d->text->hide();
    d->layerPick->hide();
    d->headPick->hide();
    d->positionPick->hide();
    const torch::Tensor &tensor = d->shownTensor();
    const PictureKind kind = pictureKind(name.toStdString(), tensor, d->shape);
    if (kind != PictureKind::HeadScores && d->badgesShown) {
        d->badgesShown = false;
        Q_EMIT scoreShown({}, {});
    }
    switch (kind) {
    case PictureKind::HeadScores:
        if (tensor.dim() == 3) { // per position: the last at first, what a decoder predicts from
            const QSignalBlocker block(d->positionPick);
            d->positionPick->setRange(0, int(tensor.size(2)) - 1);
            d->positionPick->setValue(d->positionPick->maximum());
            d->positionPick->show();
        }
        drawHeadScores();
        break;
    case PictureKind::TokenGrid: drawTokenGrid(); break;
    case PictureKind::Matrix: {
        const QSignalBlocker blockLayer(d->layerPick), blockHead(d->headPick);
        const int64_t offset = sliceLayerOffset(tensor, d->shape);
        if (tensor.dim() >= 3) {
            // The last layer at first: rollout_by_layer's full rollout, the words of the top layer.
            d->layerPick->setRange(int(offset), int(offset + tensor.size(0) - 1));
            d->layerPick->setValue(d->layerPick->maximum());
            d->layerPick->show();
        }
        if (tensor.dim() == 4) {
            d->headPick->setRange(-1, int(tensor.size(1)) - 1);
            d->headPick->setValue(-1);
            d->headPick->show();
        }
        drawMatrix();
        break;
    }
    case PictureKind::Bars: drawBars(); break;
    case PictureKind::HeadMap: drawHeadMap(); break;
    case PictureKind::PruningCurve: drawPruningCurve(); break;
    case PictureKind::None: setChart(new QChart); break;
    }
}

QString AnalysisResultView::method() const { return d->shownMethod; }
QString AnalysisResultView::score() const { return d->shownScore; }
std::shared_ptr<const AnalysisResult> AnalysisResultView::result() const { return d->result; }

void AnalysisResultView::describeFigure(FigureRequest &request) const
{
    request.method = d->shownMethod;
    request.tensor = d->shownScore;
    request.layer = !d->layerPick->isHidden() ? d->layerPick->value() : -1;
    request.head = !d->headPick->isHidden() ? d->headPick->value() : -1;
    request.token = !d->positionPick->isHidden() ? d->positionPick->value() : -1;
}

void AnalysisResultView::selectRow(int row)
{
    if (!d->slice.defined() || row < 0 || row >= d->slice.size(0))
        return;
    d->row = row;
    drawRowBars();
}

int AnalysisResultView::selectedRow() const { return d->slice.defined() ? d->row : -1; }

void AnalysisResultView::selectSlice(int layer, int head)
{
    {
        const QSignalBlocker blockLayer(d->layerPick), blockHead(d->headPick);
        d->layerPick->setValue(layer);
        d->headPick->setValue(head);
    }
    drawMatrix();
}

void AnalysisResultView::followHead(int layer, int head)
{
    if (!d->result)
        return;
    if (d->side->currentWidget() == d->table && !d->side->isHidden() && layer < d->table->rowCount() && head < d->table->columnCount()) {
        const QSignalBlocker block(d->table);
        d->table->setCurrentCell(layer, head);
    }
    if (!d->layerPick->isHidden() && layer >= d->layerPick->minimum() && layer <= d->layerPick->maximum())
        selectSlice(layer, d->headPick->isHidden() ? -1 : head);
}

double AnalysisResultView::tableValue(int layer, int head) const
{
    const QTableWidgetItem *item = d->table->item(layer, head);
    return item ? item->data(Qt::UserRole).toDouble() : std::nan("");
}

QChart *AnalysisResultView::chart() const { return d->chartView->chart(); }
HeadView *AnalysisResultView::mapView() const { return d->map; }
std::shared_ptr<TilePyramid> AnalysisResultView::mapPyramid() const { return d->pyramid; }
QString AnalysisResultView::coloredText() const { return d->text->text(); }
TokenGridView *AnalysisResultView::tokenGrid() const { return d->grid; }

} // namespace attnscope
