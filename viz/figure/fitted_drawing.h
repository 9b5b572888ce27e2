#pragma once
// Drawings with a natural size of their own (rows of a fixed height): drawn at the area's
// size when they fit, scaled down uniformly (text included) when they do not.

#include <functional>

#include <QRectF>

class QPainter;

namespace attnscope {

// draw(rect) draws into rect (the area, or a natural-size rect the painter scales).
void paintFitted(QPainter &painter, const QRectF &area, const QSizeF &natural,
                 const std::function<void(const QRectF &)> &draw);

} // namespace attnscope
