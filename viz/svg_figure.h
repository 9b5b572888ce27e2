#pragma once
// A drawing made with QPainter written as SVG through QSvgGenerator: lines, curves and text
// stay vectors (text as <text> elements), so figures scale and stay editable.

#include <functional>

#include <QByteArray>
#include <QSize>
#include <QString>

class QPainter;

namespace attnscope {

// paint() draws into a canvas of `size` pixels (at 96 dpi) already filled with white.
QByteArray svgFigure(const QSize &size, const QString &title, const std::function<void(QPainter &)> &paint);

} // namespace attnscope
