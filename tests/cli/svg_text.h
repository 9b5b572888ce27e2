#pragma once
// The text of an SVG figure as a reader of the printed page sees it: each <text> element's
// string, its size in points on paper and its extent in the document's user units, read from
// the file itself (the viewBox, the physical width and height, each group's transform), so a
// test checks the figure and not the code that drew it.

#include <cmath>
#include <vector>

#include <QFont>
#include <QFontMetricsF>
#include <QRegularExpression>
#include <QStringList>
#include <QTransform>
#include <QXmlStreamReader>

struct SvgText {
    QString text;
    double points = 0;  // font size on paper
    QRectF extent;      // in user units (the viewBox's), transforms applied
};

struct SvgPage {
    QRectF viewBox;
    double millimetresPerUnit = 0; // from width="…cm|in|mm" over the viewBox's width
    QString description;           // <desc>
    std::vector<SvgText> texts;
    QString problem;               // what could not be read
};

inline double svgMillimetres(const QString &length)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^\s*([0-9.eE+-]+)\s*(cm|mm|in|pt)\s*$)"));
    const QRegularExpressionMatch match = pattern.match(length);
    if (!match.hasMatch())
        return NAN; // a length without a physical unit has no size on paper
    const double value = match.captured(1).toDouble();
    const QString unit = match.captured(2);
    return unit == QLatin1String("cm") ? value * 10 : unit == QLatin1String("in") ? value * 25.4
                                                     : unit == QLatin1String("pt") ? value * 25.4 / 72 : value;
}

inline QTransform svgTransform(const QString &attribute)
{
    static const QRegularExpression matrix(QStringLiteral(R"(matrix\(([^)]*)\))"));
    const QRegularExpressionMatch match = matrix.match(attribute);
    if (!match.hasMatch())
        return {};
    const QStringList v = match.captured(1).split(QRegularExpression(QStringLiteral("[ ,]+")), Qt::SkipEmptyParts);
    if (v.size() != 6)
        return {};
    return QTransform(v[0].toDouble(), v[1].toDouble(), v[2].toDouble(), v[3].toDouble(), v[4].toDouble(), v[5].toDouble());
}

inline SvgPage readSvgPage(const QByteArray &svg)
{
    SvgPage page;
    QXmlStreamReader xml(svg);
    struct Scope {
        QTransform transform;
        double fontSize = 0;
        QString family;
        int weight = 400;
    };
    std::vector<Scope> scopes{Scope{}};
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() != QLatin1String("text") && scopes.size() > 1)
            scopes.pop_back();
        if (!xml.isStartElement())
            continue;
        const QXmlStreamAttributes attributes = xml.attributes();
        Scope scope = scopes.back();
        if (attributes.hasAttribute(QStringLiteral("transform")))
            scope.transform = svgTransform(attributes.value(QStringLiteral("transform")).toString()) * scope.transform;
        if (attributes.hasAttribute(QStringLiteral("font-size")))
            scope.fontSize = attributes.value(QStringLiteral("font-size")).toDouble();
        if (attributes.hasAttribute(QStringLiteral("font-family")))
            scope.family = attributes.value(QStringLiteral("font-family")).toString();
        if (attributes.hasAttribute(QStringLiteral("font-weight")))
            scope.weight = attributes.value(QStringLiteral("font-weight")).toInt();
        if (xml.name() == QLatin1String("svg")) {
            const QStringList box = attributes.value(QStringLiteral("viewBox")).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (box.size() == 4)
                page.viewBox = QRectF(box[0].toDouble(), box[1].toDouble(), box[2].toDouble(), box[3].toDouble());
            const double width = svgMillimetres(attributes.value(QStringLiteral("width")).toString());
            const double height = svgMillimetres(attributes.value(QStringLiteral("height")).toString());
            page.millimetresPerUnit = width / page.viewBox.width();
            if (!(page.millimetresPerUnit > 0) || std::abs(height / page.viewBox.height() - page.millimetresPerUnit) > 1e-6)
                page.problem = QStringLiteral("the width, height and viewBox do not give one scale");
        } else if (xml.name() == QLatin1String("desc")) {
            page.description = xml.readElementText();
            continue; // readElementText consumed the end element
        } else if (xml.name() == QLatin1String("text")) {
            const double x = attributes.value(QStringLiteral("x")).toDouble();
            const double y = attributes.value(QStringLiteral("y")).toDouble();
            SvgText text;
            text.text = xml.readElementText();
            QFont font(scope.family);
            font.setPixelSize(std::max(1, int(std::lround(scope.fontSize))));
            font.setWeight(QFont::Weight(scope.weight));
            const QFontMetricsF metrics(font);
            // A uniform scale (and a rotation) shrinks the glyphs by sqrt(|det|).
            const double scale = std::sqrt(std::abs(scope.transform.determinant()));
            text.points = scope.fontSize * scale * page.millimetresPerUnit / (25.4 / 72);
            const QRectF local(x, y - metrics.ascent(), metrics.horizontalAdvance(text.text), metrics.ascent() + metrics.descent());
            text.extent = scope.transform.mapRect(local);
            page.texts.push_back(text);
            continue;
        }
        scopes.push_back(scope);
    }
    if (xml.hasError())
        page.problem = xml.errorString();
    return page;
}
