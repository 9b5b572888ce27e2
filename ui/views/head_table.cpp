#include "ui/views/head_table.h"

#include <algorithm>

#include <QTableWidget>

#include "viz/colormap.h"

namespace attnscope {

void fillHeadTable(QTableWidget *table, const std::vector<std::vector<double>> &values, int decimals)
{
    table->clear();
    table->setRowCount(int(values.size()));
    table->setColumnCount(values.empty() ? 0 : int(values.front().size()));
    double low = 0, high = 0;
    bool first = true;
    for (const auto &row : values)
        for (const double value : row) {
            low = first ? value : std::min(low, value);
            high = first ? value : std::max(high, value);
            first = false;
        }
    const Colormap colors = Colormap::byName(QStringLiteral("magma"));
    for (size_t layer = 0; layer < values.size(); ++layer)
        for (size_t head = 0; head < values[layer].size(); ++head) {
            const double value = values[layer][head];
            auto *item = new QTableWidgetItem(QString::number(value, 'f', decimals));
            item->setData(Qt::UserRole, value);
            const QColor background = QColor::fromRgb(colors.color(high > low ? (value - low) / (high - low) : 0.5));
            item->setBackground(background);
            item->setForeground(background.lightness() > 128 ? Qt::black : Qt::white);
            table->setItem(int(layer), int(head), item);
        }
    QStringList layerLabels, headLabels;
    for (size_t layer = 0; layer < values.size(); ++layer)
        layerLabels << QStringLiteral("L%1").arg(layer);
    for (int head = 0; head < table->columnCount(); ++head)
        headLabels << QStringLiteral("H%1").arg(head);
    table->setVerticalHeaderLabels(layerLabels);
    table->setHorizontalHeaderLabels(headLabels);
    table->resizeColumnsToContents();
}

} // namespace attnscope
