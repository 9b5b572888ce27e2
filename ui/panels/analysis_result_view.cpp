#include "ui/panels/analysis_result_view.h"

#include <algorithm>

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QPointer>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "ui/panels/analysis_charts.h"
#include "ui/panels/token_grid_view.h"
#include "ui/views/head_table.h"
#include "ui/views/head_view.h"
#include "viz/analysis_pictures.h"
#include "viz/figure/figure_request.h"
#include "viz/tile_pyramid.h"

namespace attnscope {

namespace {

// The head statistics that say where attention goes (the rest are entropies and distances).
const QStringList kTokenRoles = {QStringLiteral("to_cls"), QStringLiteral("to_separator"),
                                 QStringLiteral("to_punctuation"), QStringLiteral("self"),
                                 QStringLiteral("previous"), QStringLiteral("next")};

} // namespace

struct AnalysisResultView::Private {
    QComboBox *score = nullptr;
    QSpinBox *layerPick = nullptr;
    QSpinBox *headPick = nullptr;
    QSpinBox *positionPick = nullptr;
    QStackedWidget *side = nullptr; // the table or the map, left of the chart
    QSplitter *split = nullptr;
    QTableWidget *table = nullptr;
    HeadView *map = nullptr;
    TokenGridView *grid = nullptr;
    QScrollArea *gridScroll = nullptr;
    QChartView *chartView = nullptr;
    QLabel *text = nullptr;

    std::shared_ptr<const AnalysisResult> result;
    QString shownMethod;
    QString shownScore;
    bool badgesShown = false;
    RecordShape shape;
    QStringList tokens;
    bool causal = false;
    std::shared_ptr<TilePyramid> pyramid;
    torch::Tensor slice; // the matrix on the map
    QStringList rowLabels;
    QStringList columnLabels;
    int row = -1;

    const torch::Tensor &shownTensor() const { return result->tensors.at(shownScore.toStdString()); }
    bool labelsAreTokens(const QStringList &labels) const
    {
        return labels.size() == shape.tokens || result->summary.contains(QStringLiteral("words"));
    }
};

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

void AnalysisResultView::drawHeadScores()
{
    if (!d->result || pictureKind(d->shownScore.toStdString(), d->shownTensor(), d->shape) != PictureKind::HeadScores)
        return;
    const torch::Tensor tensor = d->shownTensor().dim() == 3 ? d->shownTensor().select(2, d->positionPick->value())
                                                             : d->shownTensor();
    const HeadValues values = toHeadValues(tensor);
    fillHeadTable(d->table, values, tensor.is_floating_point() ? 3 : 0);
    d->side->setCurrentWidget(d->table);
    d->side->show();
    // The whole table when it fits in two thirds of the width; the chart takes the rest.
    const int tableWidth = d->table->verticalHeader()->sizeHint().width() + d->table->horizontalHeader()->length()
                           + 2 * d->table->frameWidth() + 2;
    const int total = d->split->width();
    if (tableWidth < 2 * total / 3)
        d->split->setSizes({tableWidth, total - tableWidth});
    const QString label = valueLabel(d->shownMethod, d->shownScore);
    if (kTokenRoles.contains(d->shownScore) && d->result->tensors.count("to_cls")) {
        std::vector<NamedLayerValues> roles;
        for (const QString &role : kTokenRoles)
            if (const auto found = d->result->tensors.find(role.toStdString()); found != d->result->tensors.end())
                roles.push_back({role, toVector(found->second.to(torch::kFloat64).mean(1))});
        setChart(tokenRoleChart(roles));
    } else {
        setChart(perLayerChart(values, label));
    }
    d->badgesShown = true;
    Q_EMIT scoreShown(QStringLiteral("%1: %2").arg(d->shownMethod, label), values);
}

void AnalysisResultView::drawMatrix()
{
    if (!d->result || d->shownScore.isEmpty())
        return;
    const torch::Tensor &tensor = d->shownTensor();
    if (pictureKind(d->shownScore.toStdString(), tensor, d->shape) != PictureKind::Matrix)
        return;
    const int64_t first = tensor.dim() == 3 ? d->layerPick->value() - sliceLayerOffset(tensor, d->shape) : d->layerPick->value();
    d->slice = matrixSlice(tensor, first, d->headPick->value());
    const int64_t rows = d->slice.size(0), cols = d->slice.size(1);
    d->rowLabels = entryLabels(rows, *d->result, d->tokens, d->shape);
    d->columnLabels = entryLabels(cols, *d->result, d->tokens, d->shape);
    PyramidOptions options;
    // Token × token results of a decoder are zero above the diagonal: shown as masked.
    if (d->causal && rows == cols && d->labelsAreTokens(d->rowLabels))
        options.mask = CellMask::causal(rows, cols);
    d->pyramid = std::make_shared<TilePyramid>(denseTileSource(d->slice), rows, cols, options);
    d->map->setValueName(valueLabel(d->shownMethod, d->shownScore));
    d->map->setHead(d->pyramid, d->rowLabels, d->columnLabels);
    if (d->side->currentWidget() != d->map || d->side->isHidden())
        d->split->setSizes({d->split->width() / 2, d->split->width() / 2}); // a table may have narrowed it
    d->side->setCurrentWidget(d->map);
    d->side->show();
    if (d->row < 0 || d->row >= rows)
        d->row = int(rows) - 1; // the last token: what a decoder predicts from
    drawRowBars();
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

void AnalysisResultView::drawTokenGrid()
{
    const TokenGrid grid = logitLensGrid(*d->result);
    d->rowLabels = grid.rowLabels;
    d->grid->setGrid(grid.texts, grid.probabilities, grid.rowLabels, d->tokens);
    d->side->setCurrentWidget(d->gridScroll);
    d->side->show();
    d->gridScroll->horizontalScrollBar()->setValue(d->gridScroll->horizontalScrollBar()->maximum()); // the last position
    d->split->setSizes({2 * d->split->width() / 3, d->split->width() / 3});
    drawGridCell(d->grid->rows() - 1, int(d->tokens.size()) - 1);
}

// The top-k of a grid cell as bars.
void AnalysisResultView::drawGridCell(int row, int column)
{
    const TokenGrid cell = logitLensCell(*d->result, row, column);
    d->grid->setSelectedCell(row, column);
    setChart(barChart(cell.probabilities[0], cell.texts[0],
                      tr("top tokens %1 at “%2”").arg(d->rowLabels.value(row), d->tokens.value(column).toHtmlEscaped()),
                      tr("probability")));
}

void AnalysisResultView::drawRowBars()
{
    const std::vector<double> values = toVector(d->slice[d->row]);
    const QString label = valueLabel(d->shownMethod, d->shownScore);
    setChart(barChart(values, d->columnLabels,
                      tr("%1 of row %2 “%3”").arg(label).arg(d->row).arg(d->rowLabels.value(d->row).toHtmlEscaped()), label));
    d->map->setSelectedCell(d->row, d->slice[d->row].argmax().item<int64_t>());
    showColoredText(values, d->columnLabels);
}

void AnalysisResultView::drawBars()
{
    const std::vector<double> values = toVector(d->shownTensor());
    const QStringList labels = entryLabels(int64_t(values.size()), *d->result, d->tokens, d->shape);
    // Flow and relevance follow one output token: the title names it.
    const QJsonObject &summary = d->result->summary;
    const QJsonValue output = summary.contains(QStringLiteral("token")) ? summary.value(QStringLiteral("token"))
                                                                         : summary.value(QStringLiteral("explained_row"));
    const QString label = valueLabel(d->shownMethod, d->shownScore);
    QString title = label;
    if (output.isDouble() && int64_t(values.size()) == d->shape.tokens)
        title = tr("%1 for output %2 “%3”").arg(label).arg(output.toInt()).arg(d->tokens.value(output.toInt()).toHtmlEscaped());
    d->side->hide();
    setChart(barChart(values, labels, title, label));
    showColoredText(values, labels);
}

void AnalysisResultView::drawHeadMap()
{
    const HeadValues points = toHeadValues(d->shownTensor());
    std::vector<QPointF> map;
    for (const std::vector<double> &point : points)
        map.emplace_back(point[0], point[1]);
    d->side->hide();
    setChart(headMapChart(map, int(d->shape.heads), [this](int layer, int head) { Q_EMIT headChosen(layer, head); }));
}

void AnalysisResultView::drawPruningCurve()
{
    std::vector<std::array<double, 3>> rows;
    for (const std::vector<double> &step : toHeadValues(d->shownTensor()))
        rows.push_back({step[0], step[1], step.size() > 2 ? step[2] : 0.0});
    d->side->hide();
    setChart(pruningChart(rows));
}

void AnalysisResultView::showColoredText(const std::vector<double> &values, const QStringList &labels)
{
    if (!d->labelsAreTokens(labels) || values.empty())
        return;
    d->text->setText(coloredTokensHtml(values, labels));
    d->text->show();
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
