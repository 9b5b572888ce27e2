#include "ui/panels/token_grid_view.h"

#include <algorithm>

#include <QMouseEvent>
#include <QPainter>

#include "viz/colormap.h"

namespace attnscope {

namespace {

constexpr int kCellWidth = 64;
constexpr int kCellHeight = 20;
constexpr int kHeaderHeight = 22;
constexpr int kColourBarHeight = 26; // the scale under the grid

} // namespace

TokenGridView::TokenGridView(QWidget *parent) : QWidget(parent)
{
    QFont small = font();
    small.setPointSizeF(8);
    setFont(small);
}

void TokenGridView::setGrid(const std::vector<QStringList> &texts, const std::vector<std::vector<double>> &values,
                            const QStringList &rowLabels, const QStringList &columnLabels)
{
    m_texts = texts;
    m_values = values;
    m_rowLabels = rowLabels;
    m_columnLabels = columnLabels;
    m_selectedRow = m_selectedColumn = -1;
    m_labelWidth = 0;
    for (const QString &label : rowLabels)
        m_labelWidth = std::max(m_labelWidth, fontMetrics().horizontalAdvance(label) + 8);
    setFixedSize(sizeHint());
    update();
}

void TokenGridView::setSelectedCell(int row, int column)
{
    m_selectedRow = row;
    m_selectedColumn = column;
    update();
}

QSize TokenGridView::sizeHint() const
{
    return {m_labelWidth + kCellWidth * int(m_columnLabels.size()) + 1,
            kHeaderHeight + kCellHeight * int(m_texts.size()) + kColourBarHeight};
}

QRect TokenGridView::cellRect(int row, int column) const
{
    return {m_labelWidth + column * kCellWidth, kHeaderHeight + row * kCellHeight, kCellWidth, kCellHeight};
}

void TokenGridView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    const Colormap colours = Colormap::byName(QStringLiteral("viridis"));
    const QFontMetrics metrics = fontMetrics();
    painter.setPen(palette().text().color());
    for (int column = 0; column < m_columnLabels.size(); ++column)
        painter.drawText(QRect(m_labelWidth + column * kCellWidth, 0, kCellWidth, kHeaderHeight), Qt::AlignCenter,
                         metrics.elidedText(m_columnLabels[column], Qt::ElideRight, kCellWidth - 4));
    for (int row = 0; row < rows(); ++row) {
        for (int column = 0; column < m_texts[size_t(row)].size(); ++column) {
            const QColor background = QColor::fromRgb(colours.color(m_values[size_t(row)][size_t(column)]));
            const QRect cell = cellRect(row, column);
            painter.fillRect(cell, background);
            painter.setPen(background.lightness() > 128 ? Qt::black : Qt::white);
            painter.drawText(cell.adjusted(2, 0, -2, 0), Qt::AlignCenter,
                             metrics.elidedText(m_texts[size_t(row)][column], Qt::ElideRight, kCellWidth - 4));
        }
    }
    if (m_selectedRow >= 0) {
        painter.setPen(QPen(QColor(0xff, 0x7f, 0x0e), 2));
        painter.drawRect(cellRect(m_selectedRow, m_selectedColumn).adjusted(1, 1, -1, -1));
    }
    // The row labels (which stream) stay in view however far the positions are scrolled.
    const int left = visibleLeft();
    painter.fillRect(QRect(left, 0, m_labelWidth, height()), palette().base());
    painter.setPen(palette().text().color());
    for (int row = 0; row < rows(); ++row)
        painter.drawText(QRect(left, kHeaderHeight + row * kCellHeight, m_labelWidth - 4, kCellHeight),
                         Qt::AlignRight | Qt::AlignVCenter, m_rowLabels.value(row));
    // The colour scale: probability 0 … 1.
    const int shownWidth = visibleRegion().boundingRect().width() - m_labelWidth - 4;
    const int top = kHeaderHeight + kCellHeight * rows() + 6;
    const int width = std::max(60, std::min({240, kCellWidth * int(m_columnLabels.size()), shownWidth}));
    const int scaleLeft = left + m_labelWidth;
    painter.fillRect(QRect(scaleLeft, top, width, height() - top), palette().base());
    for (int x = 0; x < width; ++x)
        painter.fillRect(QRect(scaleLeft + x, top, 1, 8), QColor::fromRgb(colours.color(double(x) / std::max(1, width - 1))));
    painter.drawText(QRect(scaleLeft, top + 8, width, 12), Qt::AlignLeft, QStringLiteral("0"));
    painter.drawText(QRect(scaleLeft, top + 8, width, 12), Qt::AlignHCenter, tr("probability of the top token"));
    painter.drawText(QRect(scaleLeft, top + 8, width, 12), Qt::AlignRight, QStringLiteral("1"));
}

int TokenGridView::visibleLeft() const
{
    return std::max(0, visibleRegion().boundingRect().left());
}

void TokenGridView::moveEvent(QMoveEvent *)
{
    update();
}

void TokenGridView::mousePressEvent(QMouseEvent *event)
{
    const QPoint at = event->position().toPoint();
    const int column = (at.x() - m_labelWidth) / kCellWidth, row = (at.y() - kHeaderHeight) / kCellHeight;
    if (at.x() < visibleLeft() + m_labelWidth || at.y() < kHeaderHeight || row >= rows() || column >= m_columnLabels.size())
        return;
    setSelectedCell(row, column);
    Q_EMIT cellClicked(row, column);
}

} // namespace attnscope
