#include "viz/svg_figure.h"

#include <QBuffer>
#include <QPainter>
#include <QSvgGenerator>

namespace attnscope {

QByteArray svgFigure(const QSize &size, const QString &title, const std::function<void(QPainter &)> &paint)
{
    QByteArray svg;
    QBuffer buffer(&svg);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setResolution(96);
    generator.setTitle(title);
    QPainter painter(&generator);
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    paint(painter);
    painter.end();
    return svg;
}

} // namespace attnscope
