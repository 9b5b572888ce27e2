#include "ui/views/lines_view.h"

#include <algorithm>
#include <iterator>

#include <QJsonArray>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QVBoxLayout>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "ui/views/paint_canvas.h"
#include "viz/graph_scene.h"
#include "viz/token_lines_painter.h"

namespace attnscope {

struct LinesView::Private {
    std::vector<int> wantedHeads; // chosen before the run that brings them (a session's)
    std::shared_ptr<const AttentionRecord> record;
    QStringList allTokens;
    std::vector<int> allSegments;
    int query = -1; // the selected query; -1: the last token
    int first = 0;  // the shown tokens: [first, first + tokens.size())
    QStringList tokens;
    std::vector<int> segments;
    int layer = 0;
    std::vector<HeadLines> lines;
    LinesFocus focus;
    QListWidget *heads = nullptr;
    QComboBox *filter = nullptr;
    QLabel *note = nullptr;
    QScrollArea *scroll = nullptr;
    PaintCanvas *canvas = nullptr;

    double labelWidth() const { return std::min(160.0, labelWidthFor(tokens, canvas->font())); }
    TokenLinesGeometry geometry() const
    {
        return TokenLinesGeometry(QRectF(canvas->rect()).adjusted(8, 0, -8, 0), segments, int(tokens.size()), labelWidth());
    }
    int count() const { return record ? int(record->queries()) : 0; }
    int selectedQuery() const { return query >= 0 && query < count() ? query : count() - 1; }
    // All the tokens, or beyond kMostTokens the kWindowTokens around the query, clamped to the input.
    std::pair<int, int> window() const
    {
        if (count() <= kMostTokens)
            return {0, count()};
        const int begin = std::clamp(selectedQuery() - kWindowTokens / 2, 0, count() - kWindowTokens);
        return {begin, begin + kWindowTokens};
    }
};

LinesView::LinesView(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->heads = new QListWidget(this);
    d->heads->setFlow(QListView::LeftToRight);
    d->heads->setWrapping(true);
    d->heads->setMaximumHeight(56);
    d->heads->setToolTip(tr("The heads whose lines are drawn, each in its color"));
    d->filter = new QComboBox(this);
    d->filter->addItems(pairFilterNames());
    d->filter->setToolTip(tr("Sentence pair: keep the lines from one sentence to the other"));
    d->note = new QLabel(this);
    d->note->setObjectName(QStringLiteral("linesNote"));
    d->note->setWordWrap(true);
    d->canvas = new PaintCanvas(this);
    d->canvas->setObjectName(QStringLiteral("linesCanvas"));
    d->scroll = new QScrollArea(this);
    d->scroll->setWidget(d->canvas);
    d->scroll->setWidgetResizable(true);
    auto *controls = new QHBoxLayout;
    controls->addWidget(d->heads, 1);
    controls->addWidget(d->filter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(d->note);
    layout->addWidget(d->scroll, 1);
    d->note->hide();

    d->canvas->paint = [this](QPainter &painter, const QRectF &exposed) {
        paintTokenLines(painter, d->geometry(), d->tokens, d->segments, d->lines, PairFilter(d->filter->currentIndex()),
                        d->focus, d->canvas->font(), exposed);
    };
    const auto hover = [this](const QPointF &pos) {
        const auto [side, token] = d->geometry().tokenAt(pos);
        if (side == d->focus.side && token == d->focus.token)
            return;
        d->focus = {side, token};
        d->canvas->update();
    };
    d->canvas->move = [hover](QMouseEvent *event) { hover(event->position()); };
    d->canvas->leave = [hover] { hover(QPointF(-1, -1)); };
    connect(d->heads, &QListWidget::itemChanged, this, &LinesView::rebuild);
    connect(d->filter, &QComboBox::currentIndexChanged, d->canvas, qOverload<>(&QWidget::update));
}

LinesView::~LinesView() = default;

void LinesView::setAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &tokens,
                             const std::vector<int> &segments)
{
    const std::vector<int> wanted = d->wantedHeads.empty() ? chosenHeads() : d->wantedHeads;
    d->record = std::move(record);
    d->allTokens = tokens;
    d->allSegments = segments;
    d->filter->setEnabled(std::find(segments.begin(), segments.end(), 1) != segments.end());
    const int heads = d->record ? int(d->record->heads()) : 0;
    std::vector<int> chosen;
    std::copy_if(wanted.begin(), wanted.end(), std::back_inserter(chosen), [heads](int head) { return head < heads; });
    if (chosen.empty())
        chosen = {0};
    const QSignalBlocker block(d->heads);
    d->heads->clear();
    for (int head = 0; head < heads; ++head) {
        auto *item = new QListWidgetItem(tr("H%1").arg(head), d->heads);
        QPixmap swatch(12, 12);
        swatch.fill(headColor(head, heads));
        item->setIcon(QIcon(swatch));
        item->setCheckState(std::find(chosen.begin(), chosen.end(), head) != chosen.end() ? Qt::Checked : Qt::Unchecked);
    }
    d->wantedHeads = d->record ? std::vector<int>() : wanted;
    rebuild();
}

void LinesView::showHead(int layer, int head)
{
    d->layer = layer;
    const std::vector<int> chosen = chosenHeads();
    if (chosen.size() <= 1 && head < d->heads->count())
        setChosenHeads({head});
    else
        rebuild();
}

void LinesView::setQuery(int query)
{
    const std::pair<int, int> shown = d->window();
    d->query = query;
    if (d->window() != shown)
        rebuild();
}

std::pair<int, int> LinesView::shownTokens() const
{
    return d->window();
}

void LinesView::setChosenHeads(const std::vector<int> &heads)
{
    {
        const QSignalBlocker block(d->heads);
        for (int row = 0; row < d->heads->count(); ++row)
            d->heads->item(row)->setCheckState(std::find(heads.begin(), heads.end(), row) != heads.end() ? Qt::Checked
                                                                                                         : Qt::Unchecked);
    }
    rebuild();
}

std::vector<int> LinesView::chosenHeads() const
{
    std::vector<int> heads;
    for (int row = 0; row < d->heads->count(); ++row)
        if (d->heads->item(row)->checkState() == Qt::Checked)
            heads.push_back(row);
    return heads;
}

void LinesView::setPairFilter(int filter) { d->filter->setCurrentIndex(filter); }

QJsonObject LinesView::settings() const
{
    QJsonArray heads;
    for (const int head : chosenHeads())
        heads.append(head);
    return {{QStringLiteral("heads"), heads}, {QStringLiteral("pairs"), d->filter->currentIndex()}};
}

void LinesView::applySettings(const QJsonObject &settings)
{
    std::vector<int> heads;
    for (const QJsonValue &head : settings.value(QStringLiteral("heads")).toArray())
        if (head.isDouble())
            heads.push_back(head.toInt());
    if (!heads.empty() && d->record)
        setChosenHeads(heads);
    else if (!heads.empty())
        d->wantedHeads = heads; // the run that brings the heads comes later
    setPairFilter(settings.value(QStringLiteral("pairs")).toInt(d->filter->currentIndex()));
}

void LinesView::rebuild()
{
    d->lines.clear();
    const auto [first, last] = d->window();
    if (first != d->first)
        d->focus = {}; // a hovered token of the window before
    d->first = first;
    d->tokens = d->allTokens.mid(first, last - first);
    d->segments.clear();
    if (int(d->allSegments.size()) >= last)
        d->segments.assign(d->allSegments.begin() + first, d->allSegments.begin() + last);
    const bool windowed = last - first < d->count();
    d->note->setVisible(windowed);
    if (windowed)
        d->note->setText(tr("%1 tokens, more than the %2 drawn whole: tokens %3–%4, the %5 around the selected "
                            "query (token %6); lines to keys outside them are not drawn. The head view shows every cell.")
                             .arg(d->count()).arg(kMostTokens).arg(first).arg(last - 1).arg(last - first)
                             .arg(d->selectedQuery()));
    if (d->record && d->layer < d->record->layers())
        for (int head : chosenHeads())
            d->lines.push_back(headLinesOf(d->record->tile(d->layer, head, first, last, first, last), head,
                                           headColor(head, int(d->record->heads()))));
    d->canvas->setMinimumHeight(int(d->geometry().height()) + 4);
    d->canvas->update();
    if (windowed) // the query's row into sight, once the canvas has its new height
        QMetaObject::invokeMethod(this, [this] {
            const QPointF query = tokenPosition(1, d->selectedQuery());
            d->scroll->ensureVisible(int(query.x()), int(query.y()), 0, d->scroll->viewport()->height() / 3);
        }, Qt::QueuedConnection);
}

std::vector<std::tuple<int, int, int, float>> LinesView::drawnLines() const
{
    std::vector<std::tuple<int, int, int, float>> drawn;
    forEachShownLine(d->lines, d->segments, PairFilter(d->filter->currentIndex()), d->focus,
                     [&](const HeadLines &head, int query, int key, float weight) {
                         drawn.emplace_back(head.head, d->first + query, d->first + key, weight);
                     });
    return drawn;
}

QWidget *LinesView::canvas() const { return d->canvas; }

QPointF LinesView::tokenPosition(int side, int token) const
{
    const TokenLinesGeometry geometry = d->geometry();
    return QPointF(side == 1 ? geometry.queryX() - 10 : geometry.keyX() + 10, geometry.tokenY(token - d->first));
}

} // namespace attnscope
