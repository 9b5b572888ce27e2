#pragma once
// A figure on its page, written as PNG (physical size × dpi pixels), SVG (vectors and text
// elements, sized in the page's unit) or PDF (one page of the physical size, font embedded).
// The page places the title on top, the drawing, and the colorbar on the right.

#include <QByteArray>
#include <QImage>
#include <QString>
#include <QStringList>

#include "viz/figure/figure_content.h"
#include "viz/figure/figure_page.h"

namespace attnscope {

QStringList figureFormats(); // "png", "svg", "pdf"

// Draws the page in points onto a painter whose unit is the point; `notes` (if given) gets
// what the drawing did to fit the page, e.g. "token labels abbreviated with …".
void paintFigurePage(QPainter &painter, const FigurePage &page, const FigureContent &content, QStringList *notes = nullptr);

// Throw InputError("figure page", problem) for a page whose problem() is not empty.
QImage figureImage(const FigurePage &page, const FigureContent &content);
// The SVG's <desc> names the notes of paintFigurePage, so a reader (or a test) knows a label
// ending in "…" was abbreviated on purpose.
QByteArray figureSvg(const FigurePage &page, const FigureContent &content);
QByteArray figurePdf(const FigurePage &page, const FigureContent &content);

// By the suffix of `path`; throws InputError(path, …) for another suffix or a failed write.
void writeFigure(const QString &path, const FigurePage &page, const FigureContent &content);

} // namespace attnscope
