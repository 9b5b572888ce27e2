#include "viz/figure/image_figure.h"

#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>

#include "core/io/input_error.h"
#include "viz/svg_figure.h"

namespace attnscope {

void writeImageFigure(const QString &path, const QImage &image, const QString &title)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool written = false;
    if (suffix == QLatin1String("png")) {
        written = image.save(path, "PNG");
    } else if (suffix == QLatin1String("svg")) {
        QFile file(path);
        written = file.open(QIODevice::WriteOnly | QIODevice::Truncate)
                  && file.write(svgFigure(image.size(), title, [&](QPainter &painter) { painter.drawImage(0, 0, image); })) > 0;
    } else if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(path);
        pdf.setResolution(96);
        pdf.setPageSize(QPageSize(QSizeF(image.width() * 72.0 / 96, image.height() * 72.0 / 96), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle(title);
        QPainter painter(&pdf);
        written = painter.isActive();
        painter.drawImage(QRectF(0, 0, image.width(), image.height()), image);
    } else {
        throw InputError(path, QStringLiteral("a figure must end in .png, .svg or .pdf"));
    }
    if (!written)
        throw InputError(path, QStringLiteral("cannot be written"));
}

} // namespace attnscope
