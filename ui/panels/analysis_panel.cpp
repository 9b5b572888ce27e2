#include "ui/panels/analysis_panel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>
#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/analysis/analysis_registry.h"
#include "core/capture/attention_record.h"
#include "ui/attention_run.h"
#include "ui/views/head_table.h"
#include "viz/colormap.h"

namespace attnscope {

struct AnalysisPanel::Private {
    AttentionRun *run = nullptr;
    QComboBox *method = nullptr;
    QFormLayout *options = nullptr;
    std::vector<std::pair<QString, QWidget *>> editors;
    QPushButton *start = nullptr;
    QLabel *status = nullptr;
    QComboBox *score = nullptr;
    QTableWidget *table = nullptr;
    QChartView *chartView = nullptr;
    std::shared_ptr<const AnalysisResult> result;
    int heads = 0;
    QString shownMethod;
    QString shownScore;
};

AnalysisPanel::AnalysisPanel(AttentionRun *run, QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->run = run;
    auto *controls = new QVBoxLayout;
    d->method = new QComboBox(this);
    for (const QString &name : analysisNames()) {
        d->method->addItem(name);
        d->method->setItemData(d->method->count() - 1, findAnalysis(name)->description(), Qt::ToolTipRole);
    }
    controls->addWidget(d->method);
    d->options = new QFormLayout;
    controls->addLayout(d->options);
    d->start = new QPushButton(tr("Run &analysis"), this);
    controls->addWidget(d->start);
    d->status = new QLabel(this);
    d->status->setWordWrap(true);
    d->status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    controls->addWidget(d->status, 1);

    auto *scores = new QVBoxLayout;
    d->score = new QComboBox(this);
    d->score->setToolTip(tr("The per-head score shown in the table and the chart"));
    scores->addWidget(d->score);
    d->table = new QTableWidget(this);
    d->table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    d->table->setMinimumHeight(80);
    scores->addWidget(d->table, 1);
    d->chartView = new QChartView(new QChart, this);
    d->chartView->setRenderHint(QPainter::Antialiasing);
    d->chartView->setMinimumSize(280, 160);

    auto *layout = new QHBoxLayout(this);
    layout->addLayout(controls, 1);
    layout->addLayout(scores, 2);
    layout->addWidget(d->chartView, 2);

    connect(d->method, &QComboBox::currentTextChanged, this, &AnalysisPanel::rebuildOptions);
    connect(d->start, &QPushButton::clicked, this, &AnalysisPanel::startAnalysis);
    connect(d->score, &QComboBox::currentTextChanged, this, &AnalysisPanel::showScore);
    connect(d->table, &QTableWidget::cellClicked, this, [this](int row, int column) { Q_EMIT headChosen(row, column); });
    connect(d->run, &AttentionRun::analysisFinished, this, &AnalysisPanel::showResult);
    connect(d->run, &AttentionRun::failed, this, [this](const QString &message) {
        d->start->setEnabled(true);
        d->status->setText(message);
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

void AnalysisPanel::rebuildOptions()
{
    while (d->options->rowCount() > 0)
        d->options->removeRow(0);
    d->editors.clear();
    const Analysis *analysis = findAnalysis(d->method->currentText());
    if (!analysis)
        return;
    d->method->setToolTip(analysis->description());
    for (const AnalysisOption &option : analysis->options()) {
        QWidget *editor = nullptr;
        if (option.kind == AnalysisOption::Kind::Flag) {
            editor = new QCheckBox(this);
        } else if (option.kind == AnalysisOption::Kind::Choice) {
            auto *combo = new QComboBox(this);
            combo->addItems(option.choices);
            editor = combo;
        } else {
            auto *line = new QLineEdit(this);
            line->setPlaceholderText(option.defaultValue);
            editor = line;
        }
        editor->setToolTip(option.description);
        d->options->addRow(option.name, editor);
        d->editors.emplace_back(option.name, editor);
    }
}

void AnalysisPanel::startAnalysis()
{
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
    d->start->setEnabled(false);
    d->status->setText(tr("Running %1…").arg(d->method->currentText()));
    d->run->startAnalysis(d->method->currentText(), given);
}

void AnalysisPanel::showResult()
{
    d->start->setEnabled(true);
    d->result = d->run->analysisResult();
    const auto record = d->run->record();
    d->heads = 0;
    const QSignalBlocker block(d->score);
    d->score->clear();
    for (const auto &[name, tensor] : d->result->tensors)
        if (tensor.dim() == 2 && record && tensor.size(0) == record->layers() && tensor.size(1) == record->heads()) {
            d->score->addItem(QString::fromStdString(name));
            d->heads = int(tensor.size(1));
        }
    QStringList summary; // one "name: value" line each, numbers to 4 significant digits
    for (auto it = d->result->summary.begin(); it != d->result->summary.end(); ++it)
        summary << QStringLiteral("%1: %2").arg(it.key(), it->isDouble() ? QString::number(it->toDouble(), 'g', 4)
                                                                          : it->toVariant().toString());
    d->status->setText(summary.join(QLatin1Char('\n')));
    d->table->clear();
    d->table->setRowCount(0);
    if (d->score->count() > 0)
        showScore(d->score->itemText(0));
    if (d->result->tensors.count("mds") && record)
        chartHeadMap();
    else if (d->result->tensors.count("pruning_curve"))
        chartPruningCurve();

    Q_EMIT shown();
}

void AnalysisPanel::showScore(const QString &name)
{
    if (!d->result || !d->result->tensors.count(name.toStdString()))
        return;
    const QSignalBlocker block(d->score);
    d->score->setCurrentText(name);
    const torch::Tensor values = d->result->tensors.at(name.toStdString()).to(torch::kFloat64).contiguous();
    std::vector<std::vector<double>> table(size_t(values.size(0)));
    for (int64_t layer = 0; layer < values.size(0); ++layer)
        for (int64_t head = 0; head < values.size(1); ++head)
            table[size_t(layer)].push_back(values[layer][head].item<double>());
    fillHeadTable(d->table, table);
    chartPerLayer(name);
    d->shownMethod = d->method->currentText();
    d->shownScore = name;
    Q_EMIT scoreShown(QStringLiteral("%1 %2").arg(d->method->currentText(), name), table);
}

QString AnalysisPanel::shownMethod() const { return d->shownMethod; }
QString AnalysisPanel::shownScore() const { return d->shownScore; }

double AnalysisPanel::tableValue(int layer, int head) const
{
    const QTableWidgetItem *item = d->table->item(layer, head);
    return item ? item->data(Qt::UserRole).toDouble() : std::nan("");
}

QChart *AnalysisPanel::chart() const { return d->chartView->chart(); }

namespace {

// The head statistics that say where attention goes (the rest are entropies and distances).
const QStringList kAttentionTargets = {QStringLiteral("to_cls"), QStringLiteral("to_separator"),
                                       QStringLiteral("to_punctuation"), QStringLiteral("self"),
                                       QStringLiteral("previous"), QStringLiteral("next")};

QChart *freshChart(QChartView *view, const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    view->setChart(chart); // deletes the previous chart
    return chart;
}

// integerSteps > 0: the x axis counts whole things (layers, heads masked) in that many steps.
void addAxes(QChart *chart, const QString &x, const QString &y, int integerSteps = 0)
{
    auto *xAxis = new QValueAxis;
    xAxis->setTitleText(x);
    if (integerSteps > 0) {
        xAxis->setLabelFormat(QStringLiteral("%d"));
        xAxis->setTickCount(std::min(integerSteps, 12) + 1);
    }
    auto *yAxis = new QValueAxis;
    yAxis->setTitleText(y);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QAbstractSeries *series : chart->series()) {
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    // Round tick values (0.001, 0.002 … rather than the data's own extremes).
    yAxis->applyNiceNumbers();
    if (integerSteps <= 0)
        xAxis->applyNiceNumbers();
}

} // namespace

void AnalysisPanel::chartPerLayer(const QString &name)
{
    if (d->result->tensors.count("mds") || d->result->tensors.count("pruning_curve"))
        return; // those results have a chart of their own
    if (kAttentionTargets.contains(name) && d->result->tensors.count("to_cls")) {
        chartAttentionTargets();
        return;
    }
    const torch::Tensor perLayer = d->result->tensors.at(name.toStdString()).to(torch::kFloat64).mean(1);
    QChart *chart = freshChart(d->chartView, tr("%1, mean over heads").arg(name));
    auto *series = new QLineSeries;
    series->setName(name);
    series->setPointsVisible(true);
    for (int64_t layer = 0; layer < perLayer.size(0); ++layer)
        series->append(double(layer), perLayer[layer].item<double>());
    chart->addSeries(series);
    chart->legend()->hide();
    addAxes(chart, tr("layer"), name, int(perLayer.size(0)) - 1);
}

// Clark et al.'s head statistics: where each layer's heads attend on average, as bars.
void AnalysisPanel::chartAttentionTargets()
{
    QChart *chart = freshChart(d->chartView, tr("Attention to token roles, mean over heads"));
    auto *bars = new QBarSeries;
    int64_t layers = 0;
    for (const QString &target : kAttentionTargets) {
        const auto found = d->result->tensors.find(target.toStdString());
        if (found == d->result->tensors.end())
            continue;
        const torch::Tensor perLayer = found->second.to(torch::kFloat64).mean(1);
        layers = perLayer.size(0);
        auto *set = new QBarSet(target);
        for (int64_t layer = 0; layer < layers; ++layer)
            set->append(perLayer[layer].item<double>());
        bars->append(set);
    }
    chart->addSeries(bars);
    QStringList categories;
    for (int64_t layer = 0; layer < layers; ++layer)
        categories << tr("L%1").arg(layer);
    auto *xAxis = new QBarCategoryAxis;
    xAxis->append(categories);
    xAxis->setTitleText(tr("layer"));
    auto *yAxis = new QValueAxis;
    yAxis->setTitleText(tr("attention"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    bars->attachAxis(xAxis);
    bars->attachAxis(yAxis);
    yAxis->applyNiceNumbers();
}

void AnalysisPanel::chartHeadMap()
{
    const torch::Tensor points = d->result->tensors.at("mds").to(torch::kFloat64);
    const int heads = int(d->run->record()->heads());
    const int layers = int(points.size(0)) / std::max(heads, 1);
    QChart *chart = freshChart(d->chartView, tr("Heads by Jensen–Shannon distance (MDS)"));
    const Colormap colors = Colormap::byName(QStringLiteral("viridis"));
    for (int layer = 0; layer < layers; ++layer) {
        auto *series = new QScatterSeries;
        series->setName(tr("layer %1").arg(layer));
        series->setMarkerSize(9);
        series->setColor(QColor::fromRgb(colors.color(layers > 1 ? double(layer) / (layers - 1) : 0.5)));
        for (int head = 0; head < heads; ++head) {
            const torch::Tensor point = points[layer * heads + head];
            series->append(point[0].item<double>(), point[1].item<double>());
        }
        connect(series, &QScatterSeries::clicked, this, [this, series, layer](const QPointF &clicked) {
            const QList<QPointF> all = series->points();
            qsizetype nearest = 0;
            for (qsizetype i = 1; i < all.size(); ++i)
                if (QLineF(all[i], clicked).length() < QLineF(all[nearest], clicked).length())
                    nearest = i;
            Q_EMIT headChosen(layer, int(nearest));
        });
        chart->addSeries(series);
    }
    addAxes(chart, tr("MDS 1"), tr("MDS 2"));
}

void AnalysisPanel::chartPruningCurve()
{
    const torch::Tensor curve = d->result->tensors.at("pruning_curve").to(torch::kFloat64);
    QChart *chart = freshChart(d->chartView, tr("Pruning the least important heads (Michel et al.)"));
    auto *series = new QLineSeries;
    series->setName(tr("loss"));
    series->setPointsVisible(true);
    for (int64_t step = 0; step < curve.size(0); ++step)
        series->append(curve[step][0].item<double>(), curve[step][1].item<double>());
    chart->addSeries(series);
    chart->legend()->hide();
    addAxes(chart, tr("heads masked"), tr("loss"));
}

} // namespace attnscope
