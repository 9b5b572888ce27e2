#include "viz/figure/figure_writer.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSvgGenerator>

#include "core/io/input_error.h"
#include "viz/figure/colorbar_painter.h"

namespace attnscope {

namespace {

constexpr double kPointsPerInch = 72.0;
constexpr double kBarWidth = 9;

void checkPage(const FigurePage &page)
{
    const QString problem = page.problem();
    if (!problem.isEmpty())
        throw InputError(QStringLiteral("figure page"), problem);
}

QString titleOf(const FigurePage &page, const FigureContent &content)
{
    if (!page.showTitle)
        return {};
    return page.title.isEmpty() ? content.title() : page.title;
}

// QSvgGenerator sizes the document in whole millimetres of its integer size; the page says
// exactly how large it is.
QByteArray withPhysicalSize(QByteArray svg, const FigurePage &page)
{
    const QString unit = lengthUnitName(page.unit);
    QString text = QString::fromUtf8(svg);
    static const QRegularExpression size(QStringLiteral(R"(<svg width="[^"]*" height="[^"]*")"));
    text.replace(size, QStringLiteral(R"(<svg width="%1%3" height="%2%3")")
                           .arg(page.width, 0, 'g', 10).arg(page.height, 0, 'g', 10).arg(unit));
    return text.toUtf8();
}

} // namespace

QStringList figureFormats() { return {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")}; }

void paintFigurePage(QPainter &painter, const FigurePage &page, const FigureContent &content, QStringList *notes)
{
    const QSizeF size = page.sizeInPoints();
    painter.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    const QFont font = page.font();
    const QFontMetricsF metrics(font);
    const double margin = metrics.height() * 0.6;
    QRectF area(margin, margin, size.width() - 2 * margin, size.height() - 2 * margin);

    const QString title = titleOf(page, content);
    if (!title.isEmpty()) {
        QFont titleFont = font;
        titleFont.setPixelSize(font.pixelSize() + 1);
        titleFont.setBold(true);
        const double height = QFontMetricsF(titleFont).height();
        painter.setFont(titleFont);
        painter.setPen(Qt::black);
        painter.drawText(QRectF(area.left(), area.top(), area.width(), height), Qt::AlignCenter, title);
        area.setTop(area.top() + height + margin);
    }
    FigureCanvas canvas;
    canvas.font = font;
    canvas.labels = page.labels;
    canvas.vectorCellLimit = page.vectorCellLimit;
    canvas.pixelsPerPoint = page.dpi / kPointsPerInch;
    canvas.notes = notes;
    const std::optional<FigureColorbar> colorbar = page.colorbar ? content.colorbar() : std::nullopt;
    if (colorbar) {
        const ColorbarLayout layout(*colorbar, font, kBarWidth);
        const double stripSpace = layout.width() + margin;
        QRectF drawing = area;
        drawing.setRight(area.right() - stripSpace);
        QRectF strip(drawing.right() + margin, area.top(), layout.width(), area.height());
        if (const std::optional<QRectF> plot = content.plotRect(drawing, canvas); plot && plot->isValid()) {
            // The bar beside the cells and as tall as they are; the drawing and the bar
            // together centred in the room the drawing leaves free.
            const double shift = std::clamp(std::min(drawing.right() - plot->right(), stripSpace / 2), 0.0, stripSpace);
            const double inset = QFontMetricsF(font).height() / 2; // the bar's room for its end ticks
            drawing.translate(shift, 0);
            strip = QRectF(plot->right() + shift + margin, plot->top() - inset, layout.width(), plot->height() + 2 * inset);
        }
        paintColorbar(painter, strip, layout, canvas.pixelsPerPoint);
        area = drawing;
    }
    painter.setFont(font);
    painter.setPen(Qt::black);
    if (area.width() > 0 && area.height() > 0) {
        painter.save();
        painter.setClipRect(area);
        content.paint(painter, area, canvas);
        painter.restore();
    }
}

QImage figureImage(const FigurePage &page, const FigureContent &content)
{
    checkPage(page);
    QImage image(page.pixelSize(), QImage::Format_RGB32);
    // Painted at 72 dpi (one unit = one point) and scaled, then labelled with its real dpi.
    const int pointsPerMetre = qRound(kPointsPerInch / 0.0254);
    image.setDotsPerMeterX(pointsPerMetre);
    image.setDotsPerMeterY(pointsPerMetre);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.scale(page.dpi / kPointsPerInch, page.dpi / kPointsPerInch);
        paintFigurePage(painter, page, content);
    }
    const int dotsPerMetre = qRound(page.dpi / 0.0254);
    image.setDotsPerMeterX(dotsPerMetre);
    image.setDotsPerMeterY(dotsPerMetre);
    return image;
}

QByteArray figureSvg(const FigurePage &page, const FigureContent &content)
{
    checkPage(page);
    const QSizeF points = page.sizeInPoints();
    QByteArray svg;
    QBuffer buffer(&svg);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(points.toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), points));
    generator.setResolution(int(kPointsPerInch));
    const QString title = titleOf(page, content);
    generator.setTitle(title.isEmpty() ? content.title() : title);
    const QString made = QStringLiteral("Made with AttnScope");
    generator.setDescription(made);
    QStringList notes;
    {
        QPainter painter(&generator);
        paintFigurePage(painter, page, content, &notes);
    }
    notes.removeDuplicates();
    if (!notes.isEmpty()) // known only once drawn: the description is written first
        svg.replace(QStringLiteral("<desc>%1</desc>").arg(made).toUtf8(),
                    QStringLiteral("<desc>%1; %2</desc>").arg(made, notes.join(QStringLiteral("; "))).toUtf8());
    return withPhysicalSize(svg, page);
}

QByteArray figurePdf(const FigurePage &page, const FigureContent &content)
{
    checkPage(page);
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setResolution(int(kPointsPerInch));
    writer.setPageSize(page.unit == LengthUnit::Inches
                           ? QPageSize(QSizeF(page.width, page.height), QPageSize::Inch)
                           : QPageSize(QSizeF(page.width * 10, page.height * 10), QPageSize::Millimeter));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    const QString title = titleOf(page, content);
    writer.setTitle(title.isEmpty() ? content.title() : title);
    writer.setCreator(QStringLiteral("AttnScope"));
    {
        QPainter painter(&writer);
        paintFigurePage(painter, page, content);
    }
    return pdf;
}

void writeFigure(const QString &path, const FigurePage &page, const FigureContent &content)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (!figureFormats().contains(suffix))
        throw InputError(path, QStringLiteral("a figure must end in .png, .svg or .pdf"));
    bool written = false;
    if (suffix == QLatin1String("png")) {
        written = figureImage(page, content).save(path, "PNG");
    } else {
        const QByteArray bytes = suffix == QLatin1String("svg") ? figureSvg(page, content) : figurePdf(page, content);
        QFile file(path);
        written = file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
    }
    if (!written)
        throw InputError(path, QStringLiteral("cannot be written"));
}

} // namespace attnscope
