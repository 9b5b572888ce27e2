#include "ui/views/token_view.h"

#include <algorithm>
#include <numeric>
#include <optional>

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QScrollArea>
#include <QVBoxLayout>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "ui/views/color_scale_bar.h"
#include "ui/views/colored_tokens.h"
#include "ui/views/token_bar_chart.h"
#include "viz/row_peaks.h"
#include "viz/tile_source.h"

namespace attnscope {

namespace {

constexpr int kMostBars = 48; // beyond this many tokens the chart keeps the strongest
// Beyond this many tokens the text colours the window around the token: a page of text
// that stays readable without scrolling through thousands of tokens.
constexpr int kMostColoredTokens = 256;

} // namespace

struct TokenView::Private {
    std::shared_ptr<const AttentionRecord> record;
    QStringList tokens;
    int layer = 0;
    int head = 0;
    QComboBox *token = nullptr;
    QComboBox *direction = nullptr;
    QCheckBox *perRow = nullptr;
    TokenBarChart *chart = nullptr;
    ColoredTokens *text = nullptr;
    ColorScaleBar *scaleBar = nullptr;
    std::vector<double> weights;
    std::vector<std::pair<int, double>> bars;
    std::optional<HeatmapStyle> headColors; // as the head map draws them
    bool headRowNormalized = false;          // the rows of that map divided by their peaks
    torch::Tensor peaks;                     // of every row of the shown head, once needed
    HeatmapStyle colors;                     // of the text now

    torch::Tensor rowPeaks()
    {
        if (!peaks.defined())
            peaks = RowPeaks(recordTileSource(record, layer, head), record->queries(), record->keys())
                        .get(0, record->queries()).to(torch::kFloat64);
        return peaks;
    }
    // The head map's colours for this view's choice: its range when it divides rows as this
    // view does, else that choice's own ([0, 1] per row, [0, the head's peak] otherwise).
    HeatmapStyle colorsFor(bool rowNormalized)
    {
        HeatmapStyle style = headColors.value_or(HeatmapStyle());
        if (!headColors || headRowNormalized != rowNormalized)
            style.scale.range = {0.0, rowNormalized ? 1.0 : rowPeaks().max().item<double>()};
        return style;
    }
};

TokenView::TokenView(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->token = new QComboBox(this);
    d->token->setObjectName(QStringLiteral("token"));
    d->direction = new QComboBox(this);
    d->direction->addItems({tr("attention from this query"), tr("attention to this key")});
    d->perRow = new QCheckBox(tr("per row"), this);
    d->perRow->setObjectName(QStringLiteral("tokenPerRow"));
    d->perRow->setToolTip(tr("Colour each weight as a share of its row's largest weight instead of absolutely"));
    d->chart = new TokenBarChart(this);
    d->text = new ColoredTokens;
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(d->text);
    d->scaleBar = new ColorScaleBar(this);
    d->scaleBar->hide(); // until there is a text to colour
    auto *pickers = new QHBoxLayout;
    pickers->addWidget(d->token, 1);
    pickers->addWidget(d->direction, 1);
    pickers->addWidget(d->perRow);
    auto *coloured = new QHBoxLayout;
    coloured->addWidget(scroll, 1);
    coloured->addWidget(d->scaleBar);
    auto *left = new QVBoxLayout;
    left->addLayout(pickers);
    left->addLayout(coloured, 1);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 1);
    layout->addWidget(d->chart, 2);
    connect(d->token, &QComboBox::currentIndexChanged, this, &TokenView::refresh);
    connect(d->token, &QComboBox::activated, this, &TokenView::tokenPicked);
    connect(d->direction, &QComboBox::currentIndexChanged, this, &TokenView::refresh);
    connect(d->perRow, &QCheckBox::toggled, this, [this](bool normalized) {
        refresh();
        Q_EMIT rowNormalizationChanged(normalized);
    });
}

TokenView::~TokenView() = default;

void TokenView::setAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &tokens)
{
    d->record = std::move(record);
    d->tokens = tokens;
    d->peaks = torch::Tensor();
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
    d->peaks = torch::Tensor();
    refresh();
}

void TokenView::selectToken(int token) { d->token->setCurrentIndex(token); }
void TokenView::setDirection(Direction direction) { d->direction->setCurrentIndex(int(direction)); }
TokenView::Direction TokenView::direction() const { return Direction(d->direction->currentIndex()); }

void TokenView::setColors(const HeatmapStyle &style, bool rowNormalized)
{
    d->headColors = style;
    d->headRowNormalized = rowNormalized;
    const QSignalBlocker block(d->perRow);
    d->perRow->setChecked(rowNormalized);
    refresh();
}

void TokenView::setRowNormalized(bool normalized) { d->perRow->setChecked(normalized); }

bool TokenView::isRowNormalized() const { return d->perRow->isChecked(); }
HeatmapStyle TokenView::colors() const { return d->colors; }

QJsonObject TokenView::settings() const
{
    return {{QStringLiteral("direction"), direction() == Direction::ToKey ? QStringLiteral("key") : QStringLiteral("query")},
            {QStringLiteral("per_row"), isRowNormalized()}};
}

void TokenView::applySettings(const QJsonObject &settings)
{
    const QString direction = settings.value(QStringLiteral("direction")).toString();
    if (direction == QLatin1String("key") || direction == QLatin1String("query"))
        setDirection(direction == QLatin1String("key") ? Direction::ToKey : Direction::FromQuery);
    setRowNormalized(settings.value(QStringLiteral("per_row")).toBool(isRowNormalized()));
}
std::vector<double> TokenView::weights() const { return d->weights; }
std::vector<std::pair<int, double>> TokenView::bars() const { return d->bars; }
const std::vector<ColoredToken> &TokenView::coloredTokens() const { return d->text->tokens(); }
ColoredTokens *TokenView::coloredTokensWidget() const { return d->text; }
TokenBarChart *TokenView::barChart() const { return d->chart; }

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
    showChart(token, fromQuery);
    showColoredText(token, fromQuery);
}

void TokenView::showChart(int token, bool fromQuery)
{
    std::vector<int> order(d->weights.size());
    std::iota(order.begin(), order.end(), 0);
    if (int(order.size()) > kMostBars) {
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return d->weights[size_t(a)] > d->weights[size_t(b)]; });
        order.resize(kMostBars);
    }
    d->bars.clear();
    std::vector<TokenBar> bars;
    for (const int i : order) {
        d->bars.emplace_back(i, d->weights[size_t(i)]);
        bars.push_back({i, d->tokens.value(i), d->weights[size_t(i)]});
    }
    const QString title = tr("Layer %1, head %2: %3 %4 “%5”").arg(d->layer).arg(d->head)
                              .arg(fromQuery ? tr("query") : tr("key")).arg(token).arg(d->tokens.value(token));
    const bool strongest = int(d->weights.size()) > kMostBars;
    const QString axis = fromQuery ? (strongest ? tr("the %1 keys it attends to most").arg(kMostBars) : tr("key"))
                                   : (strongest ? tr("the %1 queries attending to it most").arg(kMostBars) : tr("query"));
    d->chart->setBars(std::move(bars), token, title, axis);
}

// The input with each token on a background of its weight in the head map's colours (the
// selected token framed).
void TokenView::showColoredText(int token, bool fromQuery)
{
    const bool perRow = isRowNormalized();
    d->colors = d->colorsFor(perRow);
    // Per row, each weight is a share of its own row's peak: the query's row, or for the
    // queries reading a key, each query's row.
    std::vector<double> shown = d->weights;
    if (perRow) {
        const torch::Tensor peaks = d->rowPeaks();
        for (size_t i = 0; i < shown.size(); ++i) {
            const double peak = peaks[fromQuery ? token : int64_t(i)].item<double>();
            shown[i] = peak > 0 ? shown[i] / peak : 0.0;
        }
    }
    const int count = std::min(int(d->tokens.size()), int(shown.size()));
    int begin = 0, end = count;
    QString header;
    if (count > kMostColoredTokens) {
        begin = std::clamp(token - kMostColoredTokens / 2, 0, count - kMostColoredTokens);
        end = begin + kMostColoredTokens;
        header = tr("tokens %1–%2 of %3, around %4:").arg(begin).arg(end - 1).arg(count).arg(token);
    }
    std::vector<ColoredToken> colored;
    colored.reserve(size_t(end - begin));
    for (int i = begin; i < end; ++i) {
        const QString value = perRow ? tr("%1 (%2 of its row's peak)").arg(d->weights[size_t(i)], 0, 'g', 4).arg(shown[size_t(i)], 0, 'g', 3)
                                     : QString::number(d->weights[size_t(i)], 'g', 4);
        colored.push_back({d->tokens[i], d->colors.colorOf(shown[size_t(i)]), tr("token %1: %2").arg(i).arg(value)});
    }
    d->text->setTokens(std::move(colored), token - begin, header);
    d->scaleBar->setScale(d->colors, perRow ? tr("attention weight ÷ its row's peak") : tr("attention weight"));
    d->scaleBar->show();
}

} // namespace attnscope
