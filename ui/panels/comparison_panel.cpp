#include "ui/panels/comparison_panel.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QTableWidget>

#include "ui/views/head_table.h"

namespace attnscope {

namespace {

QString topFive(const QJsonObject &outputs, const char *key)
{
    QStringList entries;
    for (const QJsonValue &entry : outputs.value(QLatin1String(key)).toArray()) {
        const QJsonObject prediction = entry.toObject();
        entries << QStringLiteral("%1 %2").arg(prediction.value(QStringLiteral("text")).toString().toHtmlEscaped())
                       .arg(prediction.value(QStringLiteral("probability")).toDouble(), 0, 'f', 3);
    }
    return entries.join(QStringLiteral(", "));
}

QString costLine(const QJsonObject &cost, const char *which)
{
    const QJsonObject c = cost.value(QLatin1String(which)).toObject();
    return ComparisonPanel::tr("%1 MFLOP, %2 kB").arg(c.value(QStringLiteral("flops")).toDouble() / 1e6, 0, 'f', 2)
        .arg(c.value(QStringLiteral("peak_bytes")).toDouble() / 1e3, 0, 'f', 1);
}

} // namespace

ComparisonPanel::ComparisonPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    m_divergence = new QTableWidget(this);
    m_divergence->setToolTip(tr("Jensen–Shannon divergence from the reference (bits), per layer and head; click to show the head"));
    m_divergence->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_outputs = new QLabel(this);
    m_outputs->setObjectName(QStringLiteral("outputs"));
    m_outputs->setWordWrap(true);
    m_outputs->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outputs->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_divergence, 1);
    layout->addWidget(m_outputs, 1);
    connect(m_divergence, &QTableWidget::cellClicked, this, [this](int row, int column) { Q_EMIT headChosen(row, column); });
}

void ComparisonPanel::setComparison(const QJsonObject &json)
{
    std::vector<std::vector<double>> divergence;
    for (const QJsonValue &layer : json.value(QStringLiteral("layers")).toArray()) {
        divergence.emplace_back();
        for (const QJsonValue &head : layer.toObject().value(QStringLiteral("heads")).toArray())
            divergence.back().push_back(head.toObject().value(QStringLiteral("js_divergence")).toDouble());
    }
    fillHeadTable(m_divergence, divergence);

    const QJsonObject outputs = json.value(QStringLiteral("outputs")).toObject();
    QString html = tr("<b>%1</b><br>").arg(json.value(QStringLiteral("variants")).toArray().first().toString().toHtmlEscaped());
    if (!outputs.isEmpty()) {
        html += tr("KL(reference ‖ variant): %1 nats<br>top-1 agreement: %2<br>")
                    .arg(outputs.value(QStringLiteral("kl_divergence")).toDouble(), 0, 'g', 4)
                    .arg(outputs.value(QStringLiteral("top1_agreement")).toDouble(), 0, 'f', 3);
        for (const char *loss : {"perplexity", "mlm_loss"}) {
            const QJsonObject values = outputs.value(QLatin1String(loss)).toObject();
            if (!values.isEmpty())
                html += tr("%1: %2 → %3<br>").arg(QLatin1String(loss))
                            .arg(values.value(QStringLiteral("reference")).toDouble(), 0, 'g', 5)
                            .arg(values.value(QStringLiteral("variant")).toDouble(), 0, 'g', 5);
        }
        html += tr("top-5 before: %1<br>top-5 after: %2<br>").arg(topFive(outputs, "top5_reference"), topFive(outputs, "top5_variant"));
    }
    const QJsonObject cost = json.value(QStringLiteral("cost")).toObject();
    if (!cost.isEmpty())
        html += tr("attention cost: %1 → %2").arg(costLine(cost, "reference"), costLine(cost, "variant"));
    m_outputs->setText(html);
}

double ComparisonPanel::tableDivergence(int layer, int head) const
{
    const QTableWidgetItem *item = m_divergence->item(layer, head);
    return item ? item->data(Qt::UserRole).toDouble() : -1;
}

QString ComparisonPanel::outputsText() const { return m_outputs->text(); }

} // namespace attnscope
