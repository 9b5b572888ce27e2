#include "ui/views/neuron_view.h"

#include <optional>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/capture/neuron_breakdown.h"
#include "ui/views/color_scale_bar.h"
#include "viz/neuron_painter.h"

namespace attnscope {

struct NeuronView::Private {
    std::shared_ptr<const AttentionRecord> record;
    QStringList tokens;
    int layer = 0, head = 0;
    QComboBox *query = nullptr;
    QComboBox *key = nullptr;
    std::optional<NeuronBreakdown> breakdown;
    QString problem;
    std::vector<ColorScaleBar *> scaleBars; // q, k and q∘k·s: each strip has its own range
    Colormap colormap = Colormap::byName(QStringLiteral("rdbu"));
};

NeuronView::NeuronView(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->query = new QComboBox(this);
    d->query->setObjectName(QStringLiteral("neuronQuery"));
    d->key = new QComboBox(this);
    d->key->setObjectName(QStringLiteral("neuronKey"));
    auto *pickers = new QHBoxLayout;
    pickers->addWidget(new QLabel(tr("Query"), this));
    pickers->addWidget(d->query, 1);
    pickers->addWidget(new QLabel(tr("Key"), this));
    pickers->addWidget(d->key, 1);
    auto *scales = new QHBoxLayout;
    scales->addStretch(1); // the breakdown is painted here
    for (int strip = 0; strip < 3; ++strip) {
        auto *bar = new ColorScaleBar(this);
        QSizePolicy policy = bar->sizePolicy();
        policy.setRetainSizeWhenHidden(true); // the drawing keeps its width with or without them
        bar->setSizePolicy(policy);
        bar->hide();
        scales->addWidget(bar);
        d->scaleBars.push_back(bar);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(pickers);
    layout->addLayout(scales, 1);
    setMinimumHeight(220);
    const auto picked = [this] { Q_EMIT pairPicked(d->query->currentIndex(), d->key->currentIndex()); };
    connect(d->query, &QComboBox::activated, this, picked);
    connect(d->key, &QComboBox::activated, this, picked);
}

NeuronView::~NeuronView() = default;

void NeuronView::setAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &tokens)
{
    d->record = std::move(record);
    d->tokens = tokens;
    for (QComboBox *box : {d->query, d->key}) {
        const QSignalBlocker block(box);
        box->clear();
        for (int i = 0; i < tokens.size(); ++i)
            box->addItem(QStringLiteral("%1  %2").arg(i).arg(tokens[i]));
    }
    refresh();
}

void NeuronView::showHead(int layer, int head)
{
    d->layer = layer;
    d->head = head;
    refresh();
}

void NeuronView::showPair(int query, int key)
{
    const QSignalBlocker blockQuery(d->query), blockKey(d->key);
    d->query->setCurrentIndex(query);
    d->key->setCurrentIndex(key);
    refresh();
}

const NeuronBreakdown *NeuronView::breakdown() const { return d->breakdown ? &*d->breakdown : nullptr; }

QRectF NeuronView::drawingArea() const
{
    const double top = d->query->geometry().bottom() + 8;
    const double right = d->scaleBars.front()->geometry().left() - 8;
    return QRectF(8, top, std::max(1.0, right - 8), height() - top - 8);
}

std::vector<ColorScaleBar *> NeuronView::colorScales() const { return d->scaleBars; }

void NeuronView::refresh()
{
    d->breakdown.reset();
    d->problem.clear();
    if (d->record && d->query->currentIndex() >= 0 && d->key->currentIndex() >= 0) {
        try {
            d->breakdown = neuronBreakdown(*d->record, d->layer, d->head, d->query->currentIndex(), d->key->currentIndex());
        } catch (const std::exception &error) {
            d->problem = QString::fromStdString(error.what());
        }
    }
    // Each strip's colours as the painter draws them: the diverging map over ±its largest |value|.
    const torch::Tensor *strips[] = {d->breakdown ? &d->breakdown->query : nullptr, d->breakdown ? &d->breakdown->key : nullptr,
                                     d->breakdown ? &d->breakdown->contributions : nullptr};
    const QString names[] = {QStringLiteral("q"), QStringLiteral("k"), QStringLiteral("q∘k·s")};
    for (int strip = 0; strip < 3; ++strip) {
        ColorScaleBar *bar = d->scaleBars[size_t(strip)];
        bar->setVisible(d->breakdown.has_value());
        if (!d->breakdown)
            continue;
        HeatmapStyle style;
        style.colormap = d->colormap;
        const double magnitude = strips[strip]->abs().max().item<double>();
        style.scale.range = {-magnitude, magnitude};
        bar->setScale(style, names[strip]);
    }
    update();
}

void NeuronView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRectF area = drawingArea();
    if (!d->breakdown) {
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap,
                         d->problem.isEmpty() ? tr("Run a text, then pick a query and a key (click a cell of the head)") : d->problem);
        return;
    }
    const auto token = [this](int index) { return index < d->tokens.size() ? d->tokens[index] : QString(); };
    const int query = d->query->currentIndex(), key = d->key->currentIndex();
    paintNeuronBreakdown(painter, area, *d->breakdown,
                         tr("layer %1, head %2: query %3 “%4” → key %5 “%6”")
                             .arg(d->layer).arg(d->head).arg(query).arg(token(query)).arg(key).arg(token(key)),
                         font(), d->colormap);
}

} // namespace attnscope
