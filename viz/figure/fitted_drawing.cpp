#include "viz/figure/fitted_drawing.h"

#include <algorithm>

#include <QPainter>

namespace attnscope {

void paintFitted(QPainter &painter, const QRectF &area, const QSizeF &natural, const std::function<void(const QRectF &)> &draw)
{
    const double scale = std::min({1.0, area.width() / std::max(1.0, natural.width()), area.height() / std::max(1.0, natural.height())});
    if (scale >= 1.0) {
        draw(area);
        return;
    }
    painter.save();
    painter.translate(area.left() + (area.width() - natural.width() * scale) / 2, area.top());
    painter.scale(scale, scale);
    draw(QRectF(QPointF(0, 0), QSizeF(natural.width(), natural.height())));
    painter.restore();
}

} // namespace attnscope
