#include "ui/views/token_view.h"

#include <algorithm>
#include <numeric>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QHash>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <QValueAxis>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "viz/colormap.h"

namespace attnscope {

namespace {

constexpr int kMostBars = 48; // beyond this many tokens the chart keeps the strongest

} // namespace

struct TokenView::Private {
    std::shared_ptr<const AttentionRecord> record;
    QStringList tokens;
    int layer = 0;
    int head = 0;
    QComboBox *token = nullptr;
    QComboBox *direction = nullptr;
    QChartView *chart = nullptr;
    QLabel *text = nullptr;
    std::vector<double> weights;
    std::vector<std::pair<int, double>> bars;
};

TokenView::TokenView(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->token = new QComboBox(this);
    d->token->setObjectName(QStringLiteral("token"));
    d->direction = new QComboBox(this);
    d->direction->addItems({tr("attention from this query"), tr("attention to this key")});
    d->chart = new QChartView(new QChart, this);
    d->chart->setMinimumSize(300, 160);
    d->text = new QLabel(this);
    d->text->setWordWrap(true);
    d->text->setTextFormat(Qt::RichText);
    d->text->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    d->text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *pickers = new QHBoxLayout;
    pickers->addWidget(d->token, 1);
    pickers->addWidget(d->direction, 1);
    auto *left = new QVBoxLayout;
    left->addLayout(pickers);
    left->addWidget(d->text, 1);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 1);
    layout->addWidget(d->chart, 2);
    connect(d->token, &QComboBox::currentIndexChanged, this, &TokenView::refresh);
    connect(d->token, &QComboBox::activated, this, &TokenView::tokenPicked);
    connect(d->direction, &QComboBox::currentIndexChanged, this, &TokenView::refresh);
}

TokenView::~TokenView() = default;

void TokenView::setAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &tokens)
{
    d->record = std::move(record);
    d->tokens = tokens;
    const QSignalBlocker block(d->token);
    d->token->clear();
    for (int i = 0; i < tokens.size(); ++i)
        d->token->addItem(QStringLiteral("%1  %2").arg(i).arg(tokens[i]));
    d->token->setCurrentIndex(std::max(0, int(tokens.size()) - 1));
    refresh();
}

void TokenView::showHead(int layer, int head)
{
    d->layer = layer;
    d->head = head;
    refresh();
}

void TokenView::selectToken(int token) { d->token->setCurrentIndex(token); }
void TokenView::setDirection(Direction direction) { d->direction->setCurrentIndex(int(direction)); }
TokenView::Direction TokenView::direction() const { return Direction(d->direction->currentIndex()); }

QJsonObject TokenView::settings() const
{
    return {{QStringLiteral("direction"), direction() == Direction::ToKey ? QStringLiteral("key") : QStringLiteral("query")}};
}

void TokenView::applySettings(const QJsonObject &settings)
{
    const QString direction = settings.value(QStringLiteral("direction")).toString();
    if (direction == QLatin1String("key") || direction == QLatin1String("query"))
        setDirection(direction == QLatin1String("key") ? Direction::ToKey : Direction::FromQuery);
}
std::vector<double> TokenView::weights() const { return d->weights; }
std::vector<std::pair<int, double>> TokenView::bars() const { return d->bars; }
QString TokenView::coloredText() const { return d->text->text(); }

void TokenView::refresh()
{
    const int token = d->token->currentIndex();
    if (!d->record || token < 0 || d->layer >= d->record->layers() || d->head >= d->record->heads())
        return;
    const bool fromQuery = d->direction->currentIndex() == int(Direction::FromQuery);
    const torch::Tensor values = (fromQuery ? d->record->row(d->layer, d->head, token)
                                            : d->record->column(d->layer, d->head, token))
                                     .to(torch::kFloat64).contiguous();
    d->weights.assign(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());

    std::vector<int> order(d->weights.size());
    std::iota(order.begin(), order.end(), 0);
    if (int(order.size()) > kMostBars) {
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return d->weights[size_t(a)] > d->weights[size_t(b)]; });
        order.resize(kMostBars);
    }
    d->bars.clear();
    auto *set = new QBarSet(fromQuery ? tr("weight on each key") : tr("weight from each query"));
    // An empty slot at each end: Qt Charts hides a rotated label that sticks out of the axis,
    // which the first token's (often the most attended) would do on narrow bars.
    QStringList categories{QStringLiteral(" ")};
    set->append(0.0);
    QHash<QString, int> seen;
    for (const int i : order) {
        d->bars.emplace_back(i, d->weights[size_t(i)]);
        set->append(d->weights[size_t(i)]);
        // A category axis merges equal names, so a repeated token gets invisible zero-width
        // spaces to stay one bar of its own.
        const QString name = d->tokens.value(i);
        categories << name + QString(seen[name]++, QChar(0x200B));
    }
    categories << QStringLiteral("  ");
    set->append(0.0);
    auto *series = new QBarSeries;
    series->append(set);
    auto *chart = new QChart;
    chart->setTitle(tr("Layer %1, head %2: %3 %4").arg(d->layer).arg(d->head)
                        .arg(fromQuery ? tr("query") : tr("key"), d->tokens.value(token).toHtmlEscaped()));
    chart->addSeries(series);
    chart->legend()->hide();
    auto *xAxis = new QBarCategoryAxis;
    xAxis->append(categories);
    xAxis->setLabelsAngle(-90);
    xAxis->setTruncateLabels(false); // rotated labels are otherwise cut to the width of a bar
    QFont small = xAxis->labelsFont();
    small.setPointSizeF(7);
    xAxis->setLabelsFont(small);
    auto *yAxis = new QValueAxis;
    yAxis->setRange(0, std::max(1e-9, *std::max_element(d->weights.begin(), d->weights.end())));
    yAxis->applyNiceNumbers(); // round ticks; the axis then ends at or above the tallest bar
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    series->attachAxis(xAxis);
    series->attachAxis(yAxis);
    d->chart->setChart(chart);

    // The input with each token on a background of its weight (the selected token framed).
    const Colormap colors = Colormap::byName(QStringLiteral("magma")).reversed();
    const double peak = std::max(1e-12, *std::max_element(d->weights.begin(), d->weights.end()));
    QString html;
    for (int i = 0; i < d->tokens.size() && i < int(d->weights.size()); ++i) {
        const QColor background = QColor::fromRgb(colors.color(d->weights[size_t(i)] / peak));
        html += QStringLiteral("<span style='background:%1;color:%2;%3' title='%4'>%5</span> ")
                    .arg(background.name(), background.lightness() > 128 ? QStringLiteral("black") : QStringLiteral("white"),
                         i == token ? QStringLiteral("border:1px solid #000;font-weight:bold;") : QString())
                    .arg(d->weights[size_t(i)], 0, 'g', 4)
                    .arg(d->tokens[i].toHtmlEscaped());
    }
    d->text->setText(html);
}

} // namespace attnscope
