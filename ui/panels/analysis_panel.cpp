#include "ui/panels/analysis_panel.h"

#include <algorithm>

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/analysis/analysis_registry.h"
#include "core/capture/attention_record.h"
#include "ui/attention_run.h"
#include "ui/panels/analysis_charts.h"
#include "ui/panels/analysis_pictures.h"
#include "ui/views/head_table.h"
#include "ui/views/head_view.h"
#include "viz/colormap.h"
#include "viz/tile_pyramid.h"

namespace attnscope {

namespace {

constexpr int kAllTokensFlowUpTo = 48; // tokens: flow of every output token is still quick

// The head statistics that say where attention goes (the rest are entropies and distances).
const QStringList kTokenRoles = {QStringLiteral("to_cls"), QStringLiteral("to_separator"),
                                 QStringLiteral("to_punctuation"), QStringLiteral("self"),
                                 QStringLiteral("previous"), QStringLiteral("next")};

std::vector<double> toVector(const torch::Tensor &values)
{
    const torch::Tensor flat = values.to(torch::kFloat64).contiguous().view(-1);
    return {flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel()};
}

HeadValues toHeadValues(const torch::Tensor &values)
{
    HeadValues table(size_t(values.size(0)));
    for (int64_t layer = 0; layer < values.size(0); ++layer)
        table[size_t(layer)] = toVector(values[layer]);
    return table;
}

} // namespace

struct AnalysisPanel::Private {
    AttentionRun *run = nullptr;
    QLabel *caption = nullptr;
    QComboBox *method = nullptr;
    QFormLayout *options = nullptr;
    std::vector<std::pair<QString, QWidget *>> editors;
    QLabel *summary = nullptr;
    QStackedWidget *area = nullptr; // the message, or the picture
    QLabel *message = nullptr;
    QComboBox *score = nullptr;
    QSpinBox *layerPick = nullptr;
    QSpinBox *headPick = nullptr;
    QStackedWidget *side = nullptr; // the table or the map, left of the chart
    QSplitter *split = nullptr;
    QTableWidget *table = nullptr;
    HeadView *map = nullptr;
    QChartView *chartView = nullptr;
    QLabel *text = nullptr;

    QString pending; // the method being computed
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

AnalysisPanel::AnalysisPanel(AttentionRun *run, QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->run = run;
    d->caption = new QLabel(this);
    d->caption->setStyleSheet(QStringLiteral("font-weight: bold"));
    d->caption->hide();

    auto *controls = new QVBoxLayout;
    d->method = new QComboBox(this);
    d->method->setObjectName(QStringLiteral("method"));
    for (const QString &name : analysisNames()) {
        d->method->addItem(name);
        d->method->setItemData(d->method->count() - 1, findAnalysis(name)->description(), Qt::ToolTipRole);
    }
    controls->addWidget(d->method);
    d->options = new QFormLayout;
    controls->addLayout(d->options);
    auto *start = new QPushButton(tr("Run &analysis"), this);
    controls->addWidget(start);
    d->summary = new QLabel(this);
    d->summary->setWordWrap(true);
    d->summary->setTextFormat(Qt::PlainText); // token texts such as <s> are no markup
    d->summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    d->summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *summaryScroll = new QScrollArea(this);
    summaryScroll->setWidget(d->summary);
    summaryScroll->setWidgetResizable(true);
    summaryScroll->setFrameShape(QFrame::NoFrame);
    summaryScroll->viewport()->setAutoFillBackground(false);
    d->summary->setAutoFillBackground(false);
    controls->addWidget(summaryScroll, 1);

    d->message = new QLabel(this);
    d->message->setAlignment(Qt::AlignCenter);
    d->message->setWordWrap(true);
    d->message->setTextFormat(Qt::PlainText);
    d->message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *picture = new QWidget(this);
    auto *pickers = new QHBoxLayout;
    d->score = new QComboBox(picture);
    d->score->setToolTip(tr("Which of the analysis' results is drawn"));
    d->score->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    d->layerPick = new QSpinBox(picture);
    d->layerPick->setPrefix(tr("layer "));
    d->headPick = new QSpinBox(picture);
    d->headPick->setPrefix(tr("head "));
    d->headPick->setMinimum(-1);
    d->headPick->setSpecialValueText(tr("mean of the heads"));
    pickers->addWidget(new QLabel(tr("Show:"), picture));
    pickers->addWidget(d->score);
    pickers->addWidget(d->layerPick);
    pickers->addWidget(d->headPick);
    pickers->addStretch(1);
    d->table = new QTableWidget(picture);
    d->table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    d->map = new HeadView(picture);
    d->side = new QStackedWidget(picture);
    d->side->addWidget(d->table);
    d->side->addWidget(d->map);
    d->chartView = new QChartView(new QChart, picture);
    d->chartView->setRenderHint(QPainter::Antialiasing);
    d->chartView->setMinimumSize(320, 200);
    d->text = new QLabel(picture);
    d->text->setWordWrap(true);
    d->text->setTextFormat(Qt::RichText);
    auto *chartColumn = new QWidget(picture);
    auto *chartLayout = new QVBoxLayout(chartColumn);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(d->chartView, 1);
    chartLayout->addWidget(d->text);
    d->split = new QSplitter(Qt::Horizontal, picture);
    QSplitter *split = d->split;
    split->addWidget(d->side);
    split->addWidget(chartColumn);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto *pictureLayout = new QVBoxLayout(picture);
    pictureLayout->setContentsMargins(0, 0, 0, 0);
    pictureLayout->addLayout(pickers);
    pictureLayout->addWidget(split, 1);

    d->area = new QStackedWidget(this);
    d->area->addWidget(d->message);
    d->area->addWidget(picture);

    auto *body = new QHBoxLayout;
    body->addLayout(controls, 1);
    body->addWidget(d->area, 4);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(d->caption);
    layout->addLayout(body, 1);

    connect(d->method, &QComboBox::currentTextChanged, this, &AnalysisPanel::rebuildOptions);
    connect(d->method, &QComboBox::activated, this, &AnalysisPanel::startAnalysis); // picked by the user
    connect(start, &QPushButton::clicked, this, &AnalysisPanel::startAnalysis);
    connect(d->score, &QComboBox::currentTextChanged, this, &AnalysisPanel::showScore);
    connect(d->layerPick, &QSpinBox::valueChanged, this, &AnalysisPanel::drawMatrix);
    connect(d->headPick, &QSpinBox::valueChanged, this, &AnalysisPanel::drawMatrix);
    connect(d->map, &HeadView::cellClicked, this, [this](qint64 row, qint64) { selectRow(int(row)); });
    connect(d->map, &HeadView::stepRequested, this, [this](int layers, int heads) {
        d->layerPick->stepBy(layers);
        d->headPick->stepBy(heads);
    });
    connect(d->table, &QTableWidget::cellClicked, this, [this](int row, int column) { Q_EMIT headChosen(row, column); });
    connect(d->run, &AttentionRun::analysisFinished, this, &AnalysisPanel::showResult);
    connect(d->run, &AttentionRun::failed, this, [this](const QString &error) {
        if (!d->pending.isEmpty()) {
            d->pending.clear();
            showMessage(error);
        }
    });
    connect(d->run, &AttentionRun::cancelled, this, [this] {
        if (!d->pending.isEmpty()) {
            d->pending.clear();
            showMessage(tr("The analysis was cancelled."));
        }
    });
    // A model run replaced the analysis that was computing (its result will never come).
    connect(d->run, &AttentionRun::finished, this, [this] {
        if (!d->pending.isEmpty())
            clear();
    });
    rebuildOptions();
}

AnalysisPanel::~AnalysisPanel() = default;

void AnalysisPanel::chooseMethod(const QString &name) { d->method->setCurrentText(name); }

void AnalysisPanel::setOption(const QString &name, const QString &value)
{
    for (const auto &[option, editor] : d->editors)
        if (option == name) {
            if (auto *box = qobject_cast<QCheckBox *>(editor))
                box->setChecked(value == QLatin1String("true"));
            else if (auto *combo = qobject_cast<QComboBox *>(editor))
                combo->setCurrentText(value);
            else
                qobject_cast<QLineEdit *>(editor)->setText(value);
        }
}

void AnalysisPanel::setRunCaption(const QString &caption)
{
    d->caption->setText(caption);
    d->caption->setVisible(!caption.isEmpty());
}

QString AnalysisPanel::runCaption() const { return d->caption->text(); }

void AnalysisPanel::clear()
{
    d->pending.clear();
    d->result.reset();
    showMessage(tr("Press Run analysis to analyse this input."));
}

void AnalysisPanel::rebuildOptions()
{
    while (d->options->rowCount() > 0)
        d->options->removeRow(0);
    d->editors.clear();
    const Analysis *analysis = findAnalysis(d->method->currentText());
    if (!analysis)
        return;
    d->method->setToolTip(analysis->description());
    const auto record = d->run->record();
    for (const AnalysisOption &option : analysis->options()) {
        QWidget *editor = nullptr;
        if (option.kind == AnalysisOption::Kind::Flag) {
            auto *box = new QCheckBox(this);
            // Flow of every output token gives the same token × token map as rollout.
            box->setChecked(option.name == QLatin1String("all-tokens") && record && record->queries() <= kAllTokensFlowUpTo);
            editor = box;
        } else if (option.kind == AnalysisOption::Kind::Choice) {
            auto *combo = new QComboBox(this);
            combo->addItems(option.choices);
            editor = combo;
        } else {
            auto *line = new QLineEdit(this);
            // 0.1, not the 17 digits of its exact spelling.
            line->setPlaceholderText(option.kind == AnalysisOption::Kind::Real
                                         ? QString::number(option.defaultValue.toDouble(), 'g', 10) : option.defaultValue);
            editor = line;
        }
        editor->setToolTip(option.description);
        d->options->addRow(option.name, editor);
        d->editors.emplace_back(option.name, editor);
    }
    // The shown result is another method's: it goes now, not when the new one arrives.
    d->pending.clear();
    d->result.reset();
    showMessage(tr("Press Run analysis to compute %1.").arg(analysis->name()));
}

void AnalysisPanel::startAnalysis()
{
    if (!d->run->record()) {
        showMessage(tr("Run the model on an input first."));
        return;
    }
    std::map<QString, QString> given;
    for (const auto &[name, editor] : d->editors) {
        if (const auto *box = qobject_cast<QCheckBox *>(editor)) {
            if (box->isChecked())
                given[name] = QStringLiteral("true");
        } else if (const auto *combo = qobject_cast<QComboBox *>(editor)) {
            given[name] = combo->currentText();
        } else if (const QString text = qobject_cast<QLineEdit *>(editor)->text().trimmed(); !text.isEmpty()) {
            given[name] = text;
        }
    }
    d->result.reset();
    d->pending = d->method->currentText();
    showMessage(tr("Computing %1…").arg(d->pending));
    d->run->startAnalysis(d->pending, given);
}

void AnalysisPanel::showMessage(const QString &text)
{
    dropPicture();
    d->summary->setText(d->result ? summaryText(d->result->summary) : QString());
    d->message->setText(text);
    d->area->setCurrentIndex(0);
}

// Every chart, map and table of the shown result goes (and the badges it gave the model view).
// The view releases its chart without deleting it (Qt Charts' ownership rule): this does.
void AnalysisPanel::setChart(QChart *chart)
{
    const QPointer<QChart> previous = d->chartView->chart();
    d->chartView->setChart(chart);
    delete previous.data();
}

void AnalysisPanel::dropPicture()
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
    d->shownMethod.clear();
    d->shownScore.clear();
    if (d->badgesShown) {
        d->badgesShown = false;
        Q_EMIT scoreShown({}, {});
    }
    if (!d->result) {
        const QSignalBlocker block(d->score);
        d->score->clear();
    }
}

void AnalysisPanel::showResult()
{
    if (d->pending.isEmpty())
        return; // not asked for here (the image view's relevance)
    const auto record = d->run->record();
    const QString method = d->pending;
    d->pending.clear();
    d->result = d->run->analysisResult();
    if (!d->result || !record) {
        showMessage(tr("%1 gave no result.").arg(method));
        return;
    }
    d->shape = {record->layers(), record->heads(), record->queries()};
    d->tokens = d->run->tokens();
    d->causal = d->run->causal();
    d->row = -1;
    const QStringList names = drawableTensors(method, *d->result, d->shape);
    {
        const QSignalBlocker block(d->score);
        d->score->clear();
        d->score->addItems(names);
    }
    if (names.isEmpty()) {
        showMessage(tr("%1 gave nothing to draw.").arg(method));
        return;
    }
    d->shownMethod = method;
    showScore(names.first());
    Q_EMIT shown();
}

QStringList AnalysisPanel::scoreNames() const
{
    QStringList names;
    for (int i = 0; i < d->score->count(); ++i)
        names << d->score->itemText(i);
    return names;
}

void AnalysisPanel::showScore(const QString &name)
{
    if (!d->result || !d->result->tensors.count(name.toStdString()))
        return;
    const QString method = d->shownMethod.isEmpty() ? d->method->currentText() : d->shownMethod;
    dropPicture();
    d->shownMethod = method;
    d->shownScore = name;
    d->summary->setText(summaryText(d->result->summary));
    {
        const QSignalBlocker block(d->score);
        d->score->setCurrentText(name);
    }
    d->area->setCurrentIndex(1);
    d->layerPick->hide();
    d->headPick->hide();
    const torch::Tensor &tensor = d->shownTensor();
    switch (pictureKind(name.toStdString(), tensor, d->shape)) {
    case PictureKind::HeadScores: drawHeadScores(); break;
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
    case PictureKind::None: break;
    }
}

void AnalysisPanel::drawHeadScores()
{
    const torch::Tensor &tensor = d->shownTensor();
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

void AnalysisPanel::drawMatrix()
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

void AnalysisPanel::selectRow(int row)
{
    if (!d->slice.defined() || row < 0 || row >= d->slice.size(0))
        return;
    d->row = row;
    drawRowBars();
}

int AnalysisPanel::selectedRow() const { return d->slice.defined() ? d->row : -1; }

void AnalysisPanel::selectSlice(int layer, int head)
{
    {
        const QSignalBlocker blockLayer(d->layerPick), blockHead(d->headPick);
        d->layerPick->setValue(layer);
        d->headPick->setValue(head);
    }
    drawMatrix();
}

void AnalysisPanel::drawRowBars()
{
    const std::vector<double> values = toVector(d->slice[d->row]);
    const QString label = valueLabel(d->shownMethod, d->shownScore);
    setChart(barChart(values, d->columnLabels,
                      tr("%1 of row %2 “%3”").arg(label).arg(d->row).arg(d->rowLabels.value(d->row).toHtmlEscaped()), label));
    d->map->setSelectedCell(d->row, d->slice[d->row].argmax().item<int64_t>());
    showColoredText(values, d->columnLabels);
}

void AnalysisPanel::drawBars()
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

void AnalysisPanel::drawHeadMap()
{
    const torch::Tensor points = d->shownTensor().to(torch::kFloat64).contiguous();
    std::vector<QPointF> map;
    for (int64_t i = 0; i < points.size(0); ++i)
        map.emplace_back(points[i][0].item<double>(), points[i][1].item<double>());
    d->side->hide();
    setChart(headMapChart(map, int(d->shape.heads), [this](int layer, int head) { Q_EMIT headChosen(layer, head); }));
}

void AnalysisPanel::drawPruningCurve()
{
    const torch::Tensor curve = d->shownTensor().to(torch::kFloat64).contiguous();
    std::vector<std::array<double, 3>> rows;
    for (int64_t step = 0; step < curve.size(0); ++step)
        rows.push_back({curve[step][0].item<double>(), curve[step][1].item<double>(),
                        curve.size(1) > 2 ? curve[step][2].item<double>() : 0.0});
    d->side->hide();
    setChart(pruningChart(rows));
}

// The input with each token on a background of its value (magma, the largest darkest).
void AnalysisPanel::showColoredText(const std::vector<double> &values, const QStringList &labels)
{
    if (!d->labelsAreTokens(labels) || values.empty())
        return;
    const Colormap colors = Colormap::byName(QStringLiteral("magma")).reversed();
    const double peak = std::max(1e-12, *std::max_element(values.begin(), values.end()));
    QString html;
    for (int i = 0; i < labels.size() && i < int(values.size()); ++i) {
        const QColor background = QColor::fromRgb(colors.color(std::max(0.0, values[size_t(i)]) / peak));
        html += QStringLiteral("<span style='background:%1;color:%2' title='%3'>%4</span> ")
                    .arg(background.name(), background.lightness() > 128 ? QStringLiteral("black") : QStringLiteral("white"))
                    .arg(values[size_t(i)], 0, 'g', 4)
                    .arg(labels[i].toHtmlEscaped());
    }
    d->text->setText(html);
    d->text->show();
}

double AnalysisPanel::tableValue(int layer, int head) const
{
    const QTableWidgetItem *item = d->table->item(layer, head);
    return item ? item->data(Qt::UserRole).toDouble() : std::nan("");
}

QString AnalysisPanel::shownMethod() const { return d->shownMethod; }
QString AnalysisPanel::shownScore() const { return d->shownScore; }
QString AnalysisPanel::message() const { return d->area->currentIndex() == 0 ? d->message->text() : QString(); }
QChart *AnalysisPanel::chart() const { return d->chartView->chart(); }
HeadView *AnalysisPanel::mapView() const { return d->map; }
std::shared_ptr<TilePyramid> AnalysisPanel::mapPyramid() const { return d->pyramid; }
QString AnalysisPanel::coloredText() const { return d->text->text(); }

} // namespace attnscope
