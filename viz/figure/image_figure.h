#pragma once
// A figure that is one image at its own pixels (the vision overlay): PNG as is, SVG and PDF
// holding the same image at 96 dpi.

#include <QImage>
#include <QString>

namespace attnscope {

// By the suffix of `path` (.png, .svg, .pdf); throws InputError(path, …) for another suffix
// or a failed write.
void writeImageFigure(const QString &path, const QImage &image, const QString &title);

} // namespace attnscope
