// Figure export: a PNG has exactly physical size × dpi pixels; an SVG parses, has the page's
// physical size, keeps token labels as text and small matrices as rectangles (large ones as
// one raster that still shows a lone peak); a PDF has the requested page size and embeds its
// font; every view draws; a request survives the trip through its CLI options; colorbar ticks
// sit at round values.
#include <QBuffer>
#include <QCommandLineParser>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTest>
#include <QXmlStreamReader>

#include <torch/torch.h>

#include "core/analysis/random_attention.h"
#include "core/capture/attention_record.h"
#include "viz/figure/axis_ticks.h"
#include "viz/figure/figure_request.h"
#include "viz/figure/figure_writer.h"
#include "viz/figure/matrix_figure.h"
#include "viz/figure/value_axis.h"

using namespace attnscope;

namespace {

FigureSource randomSource(int layers, int heads, int tokens, bool causal = false)
{
    auto record = AttentionRecord::fromProbabilities(randomAttention(layers, heads, tokens, causal, 7));
    for (int t = 0; t < tokens; ++t) {
        RecordedToken token;
        token.text = QStringLiteral("w%1").arg(t);
        token.typeId = t >= tokens / 2 ? 1 : 0;
        record->tokens.push_back(token);
    }
    return figureSourceOf(record, causal);
}

// Texts of the <text> elements, and how many <rect>/<path> and <image> elements there are.
struct SvgSummary {
    QStringList texts;
    int shapes = 0;
    int images = 0;
    QString width, height;
};

SvgSummary summarize(const QByteArray &svg)
{
    SvgSummary summary;
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) {
        if (!xml.readNextStartElement())
            continue;
        const QStringView name = xml.name();
        if (name == QLatin1String("svg")) {
            summary.width = xml.attributes().value(QLatin1String("width")).toString();
            summary.height = xml.attributes().value(QLatin1String("height")).toString();
        } else if (name == QLatin1String("text")) {
            summary.texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
        } else if (name == QLatin1String("rect") || name == QLatin1String("path") || name == QLatin1String("polygon")) {
            ++summary.shapes;
        } else if (name == QLatin1String("image")) {
            ++summary.images;
        }
    }
    return summary;
}

std::unique_ptr<FigureContent> figureOf(const QString &view, const FigureSource &source)
{
    FigureRequest request;
    request.view = view;
    return makeFigure(request, source);
}

bool near(const std::vector<double> &actual, const std::vector<double> &expected)
{
    if (actual.size() != expected.size())
        return false;
    for (size_t i = 0; i < actual.size(); ++i)
        if (std::abs(actual[i] - expected[i]) > 1e-12 * std::max(1.0, std::abs(expected[i])))
            return false;
    return true;
}

// The page's MediaBox in points.
QSizeF pdfPageSize(const QByteArray &pdf)
{
    static const QRegularExpression box(QStringLiteral(R"(/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\])"));
    const QRegularExpressionMatch match = box.match(QString::fromLatin1(pdf));
    return match.hasMatch() ? QSizeF(match.captured(1).toDouble(), match.captured(2).toDouble()) : QSizeF();
}

} // namespace

class TestFigureExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pngHasPhysicalSizeTimesDpi_data()
    {
        QTest::addColumn<double>("width");
        QTest::addColumn<double>("height");
        QTest::addColumn<int>("unit");
        QTest::addColumn<int>("dpi");
        QTest::addColumn<QSize>("pixels");
        QTest::newRow("8.5 × 6 cm at 300 dpi") << 8.5 << 6.0 << int(LengthUnit::Centimeters) << 300 << QSize(1004, 709);
        QTest::newRow("3.5 × 2.5 in at 150 dpi") << 3.5 << 2.5 << int(LengthUnit::Inches) << 150 << QSize(525, 375);
        QTest::newRow("17 × 12 cm at 600 dpi") << 17.0 << 12.0 << int(LengthUnit::Centimeters) << 600 << QSize(4016, 2835);
    }
    void pngHasPhysicalSizeTimesDpi()
    {
        QFETCH(double, width);
        QFETCH(double, height);
        QFETCH(int, unit);
        QFETCH(int, dpi);
        QFETCH(QSize, pixels);
        FigurePage page;
        page.width = width;
        page.height = height;
        page.unit = LengthUnit(unit);
        page.dpi = dpi;
        const QImage image = figureImage(page, *figureOf(QStringLiteral("head"), randomSource(2, 2, 12)));
        QCOMPARE(image.size(), pixels);
        QCOMPARE(image.dotsPerMeterX(), qRound(dpi / 0.0254));
        // Something was drawn: not a blank page.
        QVERIFY(image.convertToFormat(QImage::Format_RGB32) != QImage(image.size(), QImage::Format_RGB32));
    }

    void svgParsesWithTokenLabelsAsTextAndCellsAsRectangles()
    {
        const FigureSource source = randomSource(2, 2, 12);
        FigurePage page;
        page.width = 9;
        page.height = 8;
        const QByteArray svg = figureSvg(page, *figureOf(QStringLiteral("head"), source));
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        const SvgSummary summary = summarize(svg);
        QCOMPARE(summary.width, QStringLiteral("9cm"));
        QCOMPARE(summary.height, QStringLiteral("8cm"));
        for (const QString &label : source.labels)
            QVERIFY2(summary.texts.count(label) >= 2, qPrintable(label)); // once per axis
        QVERIFY(summary.texts.contains(QStringLiteral("Layer 0, head 0")));
        QVERIFY(summary.texts.contains(QStringLiteral("attention weight")));
        QVERIFY(summary.shapes >= 12 * 12);
        QCOMPARE(summary.images, 1); // the colorbar alone
    }

    void largeMatricesAreOneRasterThatKeepsAPeak()
    {
        const int64_t n = 600;
        torch::Tensor matrix = torch::zeros({n, n});
        matrix[417][123] = 1.0f; // one cell among 360,000
        MatrixFigureData data;
        data.source = denseTileSource(matrix);
        data.rows = n;
        data.cols = n;
        data.style.colormap = Colormap::byName(QStringLiteral("grays_r"));
        fitRangeToCells(data);
        QCOMPARE(data.style.scale.range.high, 1.0);
        const MatrixFigure figure(data);
        FigurePage page;
        page.width = page.height = 2; // inches at 150 dpi: 300 pixels for 600 cells
        page.unit = LengthUnit::Inches;
        page.dpi = 150;
        page.labels = false;
        page.colorbar = false;
        page.showTitle = false;
        const SvgSummary summary = summarize(figureSvg(page, figure));
        QCOMPARE(summary.images, 1);
        QVERIFY(summary.shapes < 50);
        const QImage image = figureImage(page, figure);
        int darkest = 255;
        QPoint at;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                if (qGray(image.pixel(x, y)) < darkest) {
                    darkest = qGray(image.pixel(x, y));
                    at = QPoint(x, y);
                }
        QCOMPARE(darkest, 0); // max pooling kept the lone weight at full strength
        FigureCanvas canvas;
        canvas.labels = false;
        const QRectF area = QRectF(QPointF(0, 0), page.sizeInPoints()).adjusted(4, 4, -4, -4);
        const QRectF cells = figure.matrixRect(area, canvas);
        const double scale = page.dpi / 72.0;
        const QPointF expected = (cells.topLeft() + QPointF((123 + 0.5) * cells.width() / n, (417 + 0.5) * cells.height() / n)) * scale;
        QVERIFY2(std::abs(at.x() - expected.x()) <= 3 && std::abs(at.y() - expected.y()) <= 3,
                 qPrintable(QStringLiteral("peak at %1,%2, expected %3,%4").arg(at.x()).arg(at.y()).arg(expected.x()).arg(expected.y())));
    }

    void pdfHasTheRequestedPageSizeAndEmbedsItsFont()
    {
        FigurePage page;
        page.width = 8.5;
        page.height = 6;
        const QByteArray pdf = figurePdf(page, *figureOf(QStringLiteral("head"), randomSource(1, 1, 8)));
        QVERIFY(pdf.startsWith("%PDF"));
        const QSizeF size = pdfPageSize(pdf);
        QVERIFY2(std::abs(size.width() - 8.5 / 2.54 * 72) <= 1.0, qPrintable(QString::number(size.width())));
        QVERIFY2(std::abs(size.height() - 6.0 / 2.54 * 72) <= 1.0, qPrintable(QString::number(size.height())));
        QVERIFY(pdf.contains("/FontFile2") || pdf.contains("/FontFile3") || pdf.contains("/FontFile "));
        page.unit = LengthUnit::Inches;
        page.width = 4;
        page.height = 3;
        QCOMPARE(pdfPageSize(figurePdf(page, *figureOf(QStringLiteral("head"), randomSource(1, 1, 8)))), QSizeF(288, 216));
    }

    void pageOptionsChangeWhatIsDrawn()
    {
        const FigureSource source = randomSource(2, 2, 6);
        FigurePage page;
        page.title = QStringLiteral("My figure");
        SvgSummary summary = summarize(figureSvg(page, *figureOf(QStringLiteral("head"), source)));
        QVERIFY(summary.texts.contains(QStringLiteral("My figure")));
        page.showTitle = false;
        page.colorbar = false;
        page.labels = false;
        summary = summarize(figureSvg(page, *figureOf(QStringLiteral("head"), source)));
        QVERIFY(!summary.texts.contains(QStringLiteral("My figure")));
        QVERIFY(!summary.texts.contains(QStringLiteral("w3")));
        QCOMPARE(summary.images, 0);
    }

    void everyViewDraws_data()
    {
        QTest::addColumn<QString>("view");
        for (const QString &view : figureViewNames())
            if (view != QLatin1String("neuron") && view != QLatin1String("analysis")) // need queries and keys, a result:
                QTest::newRow(qPrintable(view)) << view;                                 // cli_test_render, viz_analysis_figure
    }
    void everyViewDraws()
    {
        QFETCH(QString, view);
        const FigureSource source = randomSource(3, 2, 10, true);
        const auto figure = figureOf(view, source);
        QVERIFY(!figure->title().isEmpty());
        FigurePage page;
        page.dpi = 100;
        const QImage image = figureImage(page, *figure);
        int inked = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                inked += qGray(image.pixel(x, y)) < 200;
        QVERIFY2(inked > 500, qPrintable(QStringLiteral("%1 dark pixels").arg(inked)));
        QVERIFY(QSvgRenderer(figureSvg(page, *figure)).isValid());
    }

    void requestsOutsideTheAttentionAreRefused()
    {
        const FigureSource source = randomSource(2, 3, 5);
        FigureRequest request;
        request.layer = 2;
        QVERIFY_THROWS_EXCEPTION(FigureRequestError, makeFigure(request, source));
        request.layer = 1;
        request.head = 3;
        QVERIFY_THROWS_EXCEPTION(FigureRequestError, makeFigure(request, source));
        request = FigureRequest();
        request.view = QStringLiteral("neuron");
        QVERIFY_THROWS_EXCEPTION(FigureRequestError, makeFigure(request, source)); // no Q and K in a file
        request.view = QStringLiteral("charts");
        request.score = QStringLiteral("nonsense");
        QVERIFY_THROWS_EXCEPTION(FigureRequestError, makeFigure(request, source));
        FigurePage page;
        page.dpi = 5;
        QVERIFY(!page.problem().isEmpty());
        page = FigurePage();
        page.width = 200;
        page.unit = LengthUnit::Inches; // 60,000 pixels wide at 300 dpi
        QVERIFY(page.problem().contains(QStringLiteral("pixels")));
    }

    void requestSurvivesItsCommandLine()
    {
        FigureRequest request;
        request.view = QStringLiteral("graph");
        request.layer = 2;
        request.head = 1;
        request.drawing = QStringLiteral("arcs");
        request.threshold = 0.125;
        request.colormap = QStringLiteral("magma_r");
        request.scale = QStringLiteral("log");
        request.perRow = true;
        request.page.width = 3.25;
        request.page.height = 2.5;
        request.page.unit = LengthUnit::Inches;
        request.page.dpi = 600;
        request.page.title = QStringLiteral("Arcs of L2 H1");
        request.page.colorbar = false;
        request.page.fontPoints = 9;
        QCommandLineParser parser;
        parser.addOptions(figureRequestOptions());
        QVERIFY(parser.parse(QStringList{QStringLiteral("render")} + request.arguments()));
        QCOMPARE(figureRequestFromParser(parser), request);

        const QString line = renderCommandLine(QStringLiteral("/models/my model"), {QStringLiteral("--text"), QStringLiteral("it's \"here\"")},
                                               request, QStringLiteral("fig.pdf"));
        QVERIFY(line.startsWith(QStringLiteral("attnscope-cli render '/models/my model' --text 'it'\\''s \"here\"' --view graph ")));
        QVERIFY(line.endsWith(QStringLiteral(" --out fig.pdf")));
        QVERIFY(line.contains(QStringLiteral("--title 'Arcs of L2 H1'")));
    }

    void colorbarTicksAreRound()
    {
        ValueScale scale;
        scale.range = {0, 1};
        QVERIFY(near(scaleTicks(scale), {0, 0.2, 0.4, 0.6, 0.8, 1}));
        scale.range = {0, 0.37};
        QCOMPARE(scaleTicks(scale).back(), 0.3); // steps of 0.1 for about five ticks
        scale.kind = ScaleKind::Log;
        scale.range = {0, 1};
        scale.logFloor = 1e-4;
        QVERIFY(near(scaleTicks(scale), {1e-4, 1e-3, 1e-2, 1e-1, 1}));
        QCOMPARE(tickLabel(0.25, 0.05), QStringLiteral("0.25"));
        QCOMPARE(tickLabel(12, 2), QStringLiteral("12"));
        QCOMPARE(roundTickStep(7), qint64(10));
        QCOMPARE(roundTickStep(0.3), qint64(1));
    }

    void chartAxesEndOnATickAboveTheLargestValue()
    {
        const QFontMetricsF metrics(QFont(QStringLiteral("DejaVu Sans"), 9));
        const QRectF plot(10, 10, 200, 100);
        for (const double peak : {0.37, 0.606, 0.6, 1.0, 3e-4}) {
            const ValueAxis axis(0, peak, 4, metrics);
            QVERIFY2(axis.y(plot, peak) >= plot.top() - 1e-9, qPrintable(QString::number(peak)));
            QCOMPARE(axis.y(plot, 0), plot.bottom());
        }
        // 0.37 with steps of 0.1 ends at 0.4: the peak sits at 92.5 % of the height.
        QVERIFY(std::abs(ValueAxis(0, 0.37, 4, metrics).y(plot, 0.37) - (plot.bottom() - 0.925 * plot.height())) < 1e-9);
        QCOMPARE(ValueAxis(0, 0.6, 4, metrics).y(plot, 0.6), plot.top()); // already on a tick
    }
};

QTEST_MAIN(TestFigureExport)
#include "test_figure_export.moc"
