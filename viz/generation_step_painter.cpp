#include "viz/generation_step_painter.h"

#include <algorithm>

#include <QFontMetricsF>
#include <QImage>
#include <QPainter>

namespace attnscope {

namespace {

constexpr double kCellGap = 3;

QColor textOn(QRgb background)
{
    return qGray(background) < 128 ? Qt::white : Qt::black;
}

struct BarColumns {
    double label = 0; // width of "3  ␣cat"
    double value = 0; // width of "100.0 % ← written"
};

BarColumns barColumns(const QRectF &area, const StepPicture &picture, const QFont &font)
{
    const QFontMetricsF metrics(font);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF boldMetrics(bold);
    BarColumns columns;
    for (size_t i = 0; i < picture.candidates.size(); ++i)
        columns.label = std::max(columns.label, boldMetrics.horizontalAdvance(
                                                    QStringLiteral("%1  %2").arg(i + 1).arg(picture.candidates[i].label)));
    columns.label = std::min(columns.label + metrics.averageCharWidth(), area.width() * 0.4);
    columns.value = boldMetrics.horizontalAdvance(QStringLiteral("100.0 %")) + metrics.averageCharWidth();
    return columns;
}

QString rankedLabel(const StepPicture &picture, size_t index)
{
    const StepCandidate &candidate = picture.candidates[index];
    const bool beyondTop = candidate.id == picture.writtenId && picture.chosenRank != int64_t(index) + 1;
    const QString rank = beyondTop ? (picture.chosenRank > 0 ? QString::number(picture.chosenRank) : QStringLiteral("–"))
                                   : QString::number(index + 1);
    return QStringLiteral("%1  %2").arg(rank, candidate.label);
}

struct GridGeometry {
    QRectF cells;
    double labelWidth = 0;
    double labelHeight = 0;
    double cellWidth = 0;
    double cellHeight = 0;
};

GridGeometry gridGeometry(const QRectF &area, const StepPicture &picture, const QFont &font)
{
    const QFontMetricsF metrics(font);
    GridGeometry grid;
    grid.labelWidth = metrics.horizontalAdvance(QStringLiteral("L%1").arg(picture.layers)) + 6;
    grid.labelHeight = metrics.height() + 2;
    grid.cells = area.adjusted(grid.labelWidth, grid.labelHeight, 0, 0);
    grid.cellWidth = std::max(1.0, (grid.cells.width() + kCellGap) / std::max(1, picture.heads) - kCellGap);
    grid.cellHeight = std::max(1.0, (grid.cells.height() + kCellGap) / std::max(1, picture.layers) - kCellGap);
    return grid;
}

} // namespace

QStringList headingLines(const QString &text, const QFont &font, double width)
{
    const QFontMetricsF metrics(font);
    QStringList lines;
    for (const QString &paragraph : text.split(QLatin1Char('\n'))) {
        QString line;
        for (const QString &word : paragraph.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const QString longer = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
            if (!line.isEmpty() && metrics.horizontalAdvance(longer) > width) {
                lines << line;
                line = word;
            } else {
                line = longer;
            }
        }
        lines << metrics.elidedText(line, Qt::ElideRight, width);
    }
    return lines;
}

QRectF candidateRowRect(const QRectF &area, int count, const QFont &font, int index)
{
    const double height = std::min(area.height() / std::max(1, count), QFontMetricsF(font).height() * 1.9);
    return QRectF(area.left(), area.top() + index * height, area.width(), height);
}

void paintCandidateBars(QPainter &painter, const QRectF &area, const StepPicture &picture, const QFont &font,
                        int64_t picked)
{
    const int count = int(picture.candidates.size());
    if (count == 0)
        return;
    const BarColumns columns = barColumns(area, picture, font);
    const double barLeft = area.left() + columns.label;
    const double barSpan = std::max(10.0, area.width() - columns.label - columns.value);
    painter.save();
    const QRectF rows = candidateRowRect(area, count, font, 0).united(candidateRowRect(area, count, font, count - 1));
    // The probability axis: quarters, so a bar's length reads against 0 … 1.
    painter.setPen(QPen(QColor(215, 215, 215), 0));
    for (int quarter = 0; quarter <= 4; ++quarter) {
        const double x = barLeft + barSpan * quarter / 4.0;
        painter.drawLine(QPointF(x, rows.top()), QPointF(x, rows.bottom()));
    }
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF metrics(font);
    for (int i = 0; i < count; ++i) {
        const StepCandidate &candidate = picture.candidates[size_t(i)];
        const QRectF row = candidateRowRect(area, count, font, i);
        const bool written = candidate.id == picture.writtenId;
        painter.setFont(written ? bold : font);
        painter.setPen(Qt::black);
        const QRectF labelRect(row.left(), row.top(), columns.label - metrics.averageCharWidth(), row.height());
        painter.drawText(labelRect, Qt::AlignRight | Qt::AlignVCenter,
                         metrics.elidedText(rankedLabel(picture, size_t(i)), Qt::ElideRight, labelRect.width()));
        const QRectF bar(barLeft, row.top() + row.height() * 0.18, barSpan * candidate.probability, row.height() * 0.64);
        painter.fillRect(bar, QColor::fromRgb(written ? kWrittenTokenColor : kCandidateColor));
        if (candidate.id == picked) {
            painter.setPen(QPen(Qt::black, std::max(1.5, row.height() * 0.08)));
            painter.drawRect(bar.adjusted(0, -1, 0, 1).united(QRectF(bar.topLeft(), QSizeF(2, bar.height()))));
            painter.setPen(Qt::black);
        }
        const QString value = QStringLiteral("%1 %").arg(candidate.probability * 100.0, 0, 'f', 1);
        painter.drawText(QRectF(bar.right() + metrics.averageCharWidth() * 0.6, row.top(), columns.value, row.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, value);
    }
    painter.setFont(font);
    painter.setPen(QColor(90, 90, 90));
    for (int quarter = 0; quarter <= 4; quarter += 2) // 0, 0.5, 1 under the bars
        painter.drawText(QRectF(barLeft + barSpan * quarter / 4.0 - 20, rows.bottom(), 40, metrics.height()),
                         Qt::AlignHCenter | Qt::AlignTop, QString::number(quarter / 4.0));
    painter.restore();
}

QRectF rowGridCellRect(const QRectF &area, const StepPicture &picture, const QFont &font, int layer, int head)
{
    const GridGeometry grid = gridGeometry(area, picture, font);
    return QRectF(grid.cells.left() + head * (grid.cellWidth + kCellGap),
                  grid.cells.top() + layer * (grid.cellHeight + kCellGap), grid.cellWidth, grid.cellHeight);
}

std::optional<std::pair<int, int>> rowGridCellAt(const QRectF &area, const StepPicture &picture, const QFont &font,
                                                 const QPointF &point)
{
    for (int layer = 0; layer < picture.layers; ++layer)
        for (int head = 0; head < picture.heads; ++head)
            if (rowGridCellRect(area, picture, font, layer, head).contains(point))
                return std::make_pair(layer, head);
    return std::nullopt;
}

void paintRowGrid(QPainter &painter, const QRectF &area, const StepPicture &picture, const HeatmapStyle &style,
                  const QFont &font, int selectedLayer, int selectedHead)
{
    const GridGeometry grid = gridGeometry(area, picture, font);
    const int keys = picture.keys();
    if (keys == 0)
        return;
    painter.save();
    painter.setFont(font);
    painter.setPen(Qt::black);
    for (int head = 0; head < picture.heads; ++head) {
        const QRectF cell = rowGridCellRect(area, picture, font, 0, head);
        painter.drawText(QRectF(cell.left(), area.top(), cell.width(), grid.labelHeight), Qt::AlignCenter,
                         QStringLiteral("H%1").arg(head));
    }
    QImage strip(keys, 1, QImage::Format_RGB32);
    for (int layer = 0; layer < picture.layers; ++layer) {
        const QRectF first = rowGridCellRect(area, picture, font, layer, 0);
        painter.drawText(QRectF(area.left(), first.top(), grid.labelWidth - 4, first.height()),
                         Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("L%1").arg(layer));
        for (int head = 0; head < picture.heads; ++head) {
            const float *row = picture.row(layer, head);
            auto *pixels = reinterpret_cast<QRgb *>(strip.scanLine(0));
            for (int key = 0; key < keys; ++key)
                pixels[key] = style.colorOf(row[key]);
            painter.drawImage(rowGridCellRect(area, picture, font, layer, head), strip);
        }
    }
    if (selectedLayer >= 0 && selectedLayer < picture.layers && selectedHead >= 0 && selectedHead < picture.heads) {
        painter.setPen(QPen(QColor::fromRgb(kWrittenTokenColor), 2.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(rowGridCellRect(area, picture, font, selectedLayer, selectedHead).adjusted(-1.5, -1.5, 1.5, 1.5));
    }
    painter.restore();
}

void paintWeightedText(QPainter &painter, const QRectF &area, const QStringList &labels, const float *weights,
                       const HeatmapStyle &style, const QFont &font, int framed, const QString &written)
{
    painter.save();
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF metrics(bold);
    const double pad = metrics.averageCharWidth() * 0.4;
    const double lineHeight = metrics.height() + 2 * pad + 3;
    QPointF at = area.topLeft();
    const auto place = [&](const QString &label, QRgb background, bool frame) {
        const double width = metrics.horizontalAdvance(label) + 2 * pad;
        if (at.x() + width > area.right() && at.x() > area.left())
            at = QPointF(area.left(), at.y() + lineHeight);
        if (at.y() + lineHeight > area.bottom() + 3)
            return; // out of room: the figure's notes would say so; the view scrolls instead
        const QRectF box(at, QSizeF(width, metrics.height() + 2 * pad));
        painter.fillRect(box, QColor::fromRgb(background));
        if (frame) {
            painter.setPen(QPen(Qt::black, 1.5));
            painter.drawRect(box);
        }
        painter.setFont(frame ? bold : font);
        painter.setPen(textOn(background));
        painter.drawText(box, Qt::AlignCenter, label);
        at.rx() += width + 2;
    };
    for (int i = 0; i < labels.size(); ++i)
        place(labels[i], style.colorOf(weights[i]), i == framed);
    if (!written.isEmpty())
        place(written, kWrittenTokenColor, true);
    painter.restore();
}

} // namespace attnscope
