#include "ui/views/lines_view.h"

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
    std::vector<int> sessionHeads; // chosen by a session before its run arrived
    std::shared_ptr<const AttentionRecord> record;
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
    d->record = std::move(record);
    d->tokens = tokens;
    d->segments = segments;
    d->filter->setEnabled(std::find(segments.begin(), segments.end(), 1) != segments.end());
    const QSignalBlocker block(d->heads);
    d->heads->clear();
    const int heads = d->record ? int(d->record->heads()) : 0;
    for (int head = 0; head < heads; ++head) {
        auto *item = new QListWidgetItem(tr("H%1").arg(head), d->heads);
        QPixmap swatch(12, 12);
        swatch.fill(headColor(head, heads));
        item->setIcon(QIcon(swatch));
        const bool chosen = d->sessionHeads.empty() ? head == 0
                                                    : std::find(d->sessionHeads.begin(), d->sessionHeads.end(), head) != d->sessionHeads.end();
        item->setCheckState(chosen ? Qt::Checked : Qt::Unchecked);
    }
    d->sessionHeads.clear();
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
        d->sessionHeads = heads; // the run that brings the heads comes later
    setPairFilter(settings.value(QStringLiteral("pairs")).toInt(d->filter->currentIndex()));
}

void LinesView::rebuild()
{
    d->lines.clear();
    const bool tooLong = d->record && d->record->queries() > kMostTokens;
    d->note->setVisible(tooLong);
    if (tooLong)
        d->note->setText(tr("%1 tokens: the lines view draws up to %2; the head view shows every cell.")
                             .arg(d->record->queries()).arg(kMostTokens));
    if (d->record && !tooLong && d->layer < d->record->layers())
        for (int head : chosenHeads())
            d->lines.push_back(headLinesOf(d->record->tile(d->layer, head, 0, d->record->queries(), 0, d->record->keys()),
                                           head, headColor(head, int(d->record->heads()))));
    d->canvas->setMinimumHeight(int(d->geometry().height()) + 4);
    d->canvas->update();
}

std::vector<std::tuple<int, int, int, float>> LinesView::drawnLines() const
{
    std::vector<std::tuple<int, int, int, float>> drawn;
    forEachShownLine(d->lines, d->segments, PairFilter(d->filter->currentIndex()), d->focus,
                     [&](const HeadLines &head, int query, int key, float weight) { drawn.emplace_back(head.head, query, key, weight); });
    return drawn;
}

QWidget *LinesView::canvas() const { return d->canvas; }

QPointF LinesView::tokenPosition(int side, int token) const
{
    const TokenLinesGeometry geometry = d->geometry();
    return QPointF(side == 1 ? geometry.queryX() - 10 : geometry.keyX() + 10, geometry.tokenY(token));
}

} // namespace attnscope
