#include "ui/views/colored_tokens.h"

#include <algorithm>

#include <QColor>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace attnscope {

namespace {

constexpr double kPadding = 2;  // around a token's text, inside its background
constexpr double kSpacing = 3;  // between tokens and between lines
constexpr double kMargin = 4;

} // namespace

ColoredTokens::ColoredTokens(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ColoredTokens::setTokens(std::vector<ColoredToken> tokens, int framed, const QString &header)
{
    m_tokens = std::move(tokens);
    m_framed = framed;
    m_header = header;
    m_boxes = flow(width());
    updateGeometry();
    update();
}

QRgb ColoredTokens::textColorOn(QRgb background)
{
    return QColor::fromRgb(background).lightness() > 128 ? qRgb(0, 0, 0) : qRgb(255, 255, 255);
}

QFont ColoredTokens::boldFont() const
{
    QFont bold = font();
    bold.setBold(true);
    return bold;
}

// Tokens left to right, wrapped when the next one would pass the right edge. A token keeps
// its own spaces (shown as the input has them) but a box is never narrower than a space.
std::vector<QRectF> ColoredTokens::flow(int width) const
{
    const QFontMetricsF metrics(font()), bold(boldFont());
    const double line = std::max(metrics.height(), bold.height()) + 2 * kPadding;
    double x = kMargin, y = kMargin + (m_header.isEmpty() ? 0 : metrics.height() + kSpacing);
    std::vector<QRectF> boxes;
    boxes.reserve(m_tokens.size());
    for (size_t i = 0; i < m_tokens.size(); ++i) {
        const QFontMetricsF &used = int(i) == m_framed ? bold : metrics;
        const double w = std::max(used.horizontalAdvance(m_tokens[i].text), metrics.horizontalAdvance(QLatin1Char(' '))) + 2 * kPadding;
        if (x > kMargin && x + w > width - kMargin) {
            x = kMargin;
            y += line + kSpacing;
        }
        boxes.emplace_back(x, y, w, line);
        x += w + kSpacing;
    }
    return boxes;
}

int ColoredTokens::heightForWidth(int width) const
{
    const std::vector<QRectF> boxes = flow(width);
    const double header = m_header.isEmpty() ? 0 : QFontMetricsF(font()).height() + kSpacing;
    return int(std::ceil(boxes.empty() ? kMargin * 2 + header : boxes.back().bottom() + kMargin));
}

QSize ColoredTokens::sizeHint() const { return {300, heightForWidth(300)}; }

QRectF ColoredTokens::tokenRect(int index) const
{
    return index >= 0 && index < int(m_boxes.size()) ? m_boxes[size_t(index)] : QRectF();
}

void ColoredTokens::resizeEvent(QResizeEvent *)
{
    m_boxes = flow(width());
}

void ColoredTokens::paintEvent(QPaintEvent *event)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    const QFontMetricsF metrics(font());
    if (!m_header.isEmpty()) {
        QFont italic = font();
        italic.setItalic(true);
        painter.setFont(italic);
        painter.setPen(palette().text().color());
        painter.drawText(QRectF(kMargin, kMargin, width() - 2 * kMargin, metrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
                         metrics.elidedText(m_header, Qt::ElideRight, width() - 2 * kMargin));
    }
    for (size_t i = 0; i < m_tokens.size() && i < m_boxes.size(); ++i) {
        const QRectF &box = m_boxes[i];
        if (!box.intersects(event->rect()))
            continue;
        const bool framed = int(i) == m_framed;
        painter.fillRect(box, QColor::fromRgb(m_tokens[i].background));
        if (framed) {
            painter.setPen(QPen(QColor(224, 96, 16), 2)); // the orange of its bar in the chart
            painter.drawRect(box.adjusted(1, 1, -1, -1));
        }
        painter.setFont(framed ? boldFont() : font());
        painter.setPen(QColor::fromRgb(textColorOn(m_tokens[i].background)));
        painter.drawText(box, Qt::AlignCenter, m_tokens[i].text);
    }
}

bool ColoredTokens::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto *help = static_cast<QHelpEvent *>(event);
    for (size_t i = 0; i < m_boxes.size(); ++i)
        if (m_boxes[i].contains(help->pos())) {
            QToolTip::showText(help->globalPos(), m_tokens[i].note, this);
            return true;
        }
    QToolTip::hideText();
    event->ignore();
    return true;
}

} // namespace attnscope
