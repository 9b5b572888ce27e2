// The analysis figure (--view analysis): every analysis that reads only the attention draws
// each of its pictures; the cells of a per-head map and of the logit lens' grid carry the
// colours of their values; signed results go on the diverging map centred at 0; a request
// that names no method or a tensor the result lacks is one line; the method's options go on
// the command line that draws the figure again (a flag without a value).
#include <QCommandLineParser>
#include <QJsonArray>
#include <QPainter>
#include <QTest>

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/random_attention.h"
#include "core/capture/attention_record.h"
#include "viz/colormap.h"
#include "viz/figure/figure_request.h"
#include "viz/figure/figure_writer.h"

using namespace attnscope;

namespace {

FigureSource randomSource(int layers, int heads, int tokens)
{
    auto record = AttentionRecord::fromProbabilities(randomAttention(layers, heads, tokens, true, 11));
    for (int t = 0; t < tokens; ++t) {
        RecordedToken token;
        token.text = QStringLiteral("w%1").arg(t);
        record->tokens.push_back(token);
    }
    return figureSourceOf(record, true);
}

FigureRequest analysisRequest(const QString &method, const QString &tensor = {})
{
    FigureRequest request;
    request.view = QStringLiteral("analysis");
    request.method = method;
    request.tensor = tensor;
    return request;
}

// The figure painted into a known area, so that its cells can be found and sampled.
struct Painted {
    QImage image{900, 700, QImage::Format_RGB32};
    QRectF area{20, 20, 860, 660};
    FigureCanvas canvas;
    std::optional<QRectF> cells;
};

Painted paintAlone(const FigureContent &figure)
{
    Painted painted;
    painted.image.fill(Qt::white);
    painted.canvas.font = QFont(QStringLiteral("DejaVu Sans"));
    painted.canvas.font.setPixelSize(9); // as the page sizes its fonts: pixels = points
    QPainter painter(&painted.image);
    figure.paint(painter, painted.area, painted.canvas);
    painted.cells = figure.plotRect(painted.area, painted.canvas);
    return painted;
}

bool sameColour(QRgb a, QRgb b)
{
    return std::abs(qRed(a) - qRed(b)) <= 2 && std::abs(qGreen(a) - qGreen(b)) <= 2 && std::abs(qBlue(a) - qBlue(b)) <= 2;
}

int inkedPixels(const QImage &image)
{
    int inked = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            inked += qGray(image.pixel(x, y)) < 200;
    return inked;
}

} // namespace

class TestAnalysisFigure : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyPictureOfTheAttentionAnalysesDraws_data()
    {
        QTest::addColumn<QString>("method");
        for (const auto &analysis : analysisRegistry())
            if (!analysis->needsModel() && analysis->needsInput())
                QTest::newRow(qPrintable(analysis->name())) << analysis->name();
    }
    void everyPictureOfTheAttentionAnalysesDraws()
    {
        QFETCH(QString, method);
        FigureSource source = randomSource(3, 4, 9);
        const Analysis *analysis = findAnalysis(method);
        AnalysisContext context;
        context.record = source.record;
        source.analysis = std::make_shared<const AnalysisResult>(
            analysis->run(context, AnalysisOptions(method, analysis->options(), {})));
        FigurePage page;
        page.dpi = 100;
        const QImage figure = figureImage(page, *makeFigure(analysisRequest(method), source));
        QVERIFY2(inkedPixels(figure) > 500, qPrintable(method));
        for (const auto &[name, tensor] : source.analysis->tensors) {
            FigureRequest request = analysisRequest(method, QString::fromStdString(name));
            std::unique_ptr<FigureContent> content;
            try {
                content = makeFigure(request, source);
            } catch (const FigureRequestError &error) { // index tensors have no picture, and say so
                QVERIFY2(QString::fromUtf8(error.what()).contains(QStringLiteral("is not one of")), error.what());
                continue;
            }
            QVERIFY(content->title().contains(method));
            QVERIFY2(inkedPixels(figureImage(page, *content)) > 300, name.c_str());
        }
    }

    // A per-head score: layer × head cells in the colour of their value, on [min(0, low), high].
    void headScoreCellsCarryTheirValues()
    {
        FigureSource source = randomSource(3, 4, 6);
        AnalysisResult result;
        result.tensors["retrieval"] = torch::arange(12, torch::kFloat64).view({3, 4}) / 11.0 * 0.8 + 0.1;
        source.analysis = std::make_shared<const AnalysisResult>(result);
        const auto figure = makeFigure(analysisRequest(QStringLiteral("retrieval")), source);
        const std::optional<FigureColorbar> bar = figure->colorbar();
        QVERIFY(bar);
        QCOMPARE(bar->style.scale.range.low, 0.0);
        QVERIFY(std::abs(bar->style.scale.range.high - 0.9) < 1e-6); // the cells are float32
        QVERIFY(bar->label.contains(QStringLiteral("retrieval")));
        const Painted painted = paintAlone(*figure);
        QVERIFY(painted.cells);
        const Colormap viridis = Colormap::byName(QStringLiteral("viridis"));
        for (int layer = 0; layer < 3; ++layer)
            for (int head = 0; head < 4; ++head) {
                const QPointF centre(painted.cells->left() + (head + 0.5) * painted.cells->width() / 4,
                                     painted.cells->top() + (layer + 0.5) * painted.cells->height() / 3);
                const double value = result.tensors["retrieval"][layer][head].item<double>();
                QVERIFY2(sameColour(painted.image.pixel(centre.toPoint()), viridis.color(value / 0.9)),
                         qPrintable(QStringLiteral("L%1 H%2").arg(layer).arg(head)));
            }
    }

    // Direct logit attribution: signed shares per head at a position, on RdBu centred at 0.
    void signedScoresAreDivergingAroundZero()
    {
        FigureSource source = randomSource(2, 2, 5);
        AnalysisResult result;
        result.tensors["head_logit"] = torch::tensor({-3.0, 1.0, 0.5, 2.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, -1.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0},
                                                     torch::kFloat64).view({2, 2, 5});
        source.analysis = std::make_shared<const AnalysisResult>(result);
        FigureRequest request = analysisRequest(QStringLiteral("direct-logit-attribution"));
        request.token = 0;
        const auto figure = makeFigure(request, source);
        QVERIFY(figure->title().contains(QStringLiteral("position 0 “w0”")));
        const FigureColorbar bar = *figure->colorbar();
        QVERIFY(bar.style.colormap.isDiverging());
        QCOMPARE(bar.style.scale.range.low, -3.0);
        QCOMPARE(bar.style.scale.range.high, 3.0);
        request.token = 5;
        QVERIFY_THROWS_EXCEPTION(FigureRequestError, makeFigure(request, source));
    }

    // The logit lens: a cell's colour is its top token's probability; rows are the streams.
    void logitLensCellsCarryTheirProbabilities()
    {
        FigureSource source = randomSource(2, 2, 4);
        AnalysisResult result;
        result.tensors["top_ids"] = torch::arange(3 * 4 * 2, torch::kInt64).view({3, 4, 2});
        const torch::Tensor top = torch::linspace(0.05, 0.95, 12, torch::kFloat64).view({3, 4});
        result.tensors["top_logprobs"] = torch::stack({top.log(), (top * 0.1).log()}, 2);
        source.analysis = std::make_shared<const AnalysisResult>(result);
        const auto figure = makeFigure(analysisRequest(QStringLiteral("logit-lens")), source);
        const Painted painted = paintAlone(*figure);
        QVERIFY(painted.cells);
        const Colormap viridis = Colormap::byName(QStringLiteral("viridis"));
        for (int row = 0; row < 3; ++row)
            for (int column = 0; column < 4; ++column) { // a corner of the cell, clear of its text
                const QPointF corner(painted.cells->left() + column * painted.cells->width() / 4 + 2,
                                     painted.cells->top() + row * painted.cells->height() / 3 + 2);
                QVERIFY2(sameColour(painted.image.pixel(corner.toPoint()), viridis.color(top[row][column].item<double>())),
                         qPrintable(QStringLiteral("stream %1, position %2").arg(row).arg(column)));
            }
        QCOMPARE(figure->colorbar()->style.scale.range.high, 1.0);
    }

    void badRequestsAreOneLine()
    {
        FigureSource source = randomSource(2, 2, 4);
        QVERIFY_THROWS_EXCEPTION(FigureRequestError, makeFigure(analysisRequest(QString()), source));
        QVERIFY_THROWS_EXCEPTION(FigureRequestError, makeFigure(analysisRequest(QStringLiteral("rollout")), source)); // no result
        AnalysisResult result;
        result.tensors["rollout"] = torch::eye(4, torch::kFloat64);
        source.analysis = std::make_shared<const AnalysisResult>(result);
        try {
            makeFigure(analysisRequest(QStringLiteral("rollout"), QStringLiteral("flow")), source);
            QFAIL("a tensor the result lacks was drawn");
        } catch (const FigureRequestError &error) {
            QCOMPARE(QString::fromUtf8(error.what()), QStringLiteral("--tensor 'flow' is not one of the rollout result's pictures: rollout"));
        }
    }

    void methodOptionsGoOnTheCommandLine()
    {
        FigureRequest request = analysisRequest(QStringLiteral("rollout"), QStringLiteral("rollout"));
        request.layer = 2;
        request.methodOptions = {{QStringLiteral("no-residual"), QStringLiteral("true")},
                                 {QStringLiteral("discard-ratio"), QStringLiteral("0.5")}};
        const QStringList arguments = request.arguments();
        const int flag = arguments.indexOf(QStringLiteral("--no-residual"));
        QVERIFY(flag > 0);
        QVERIFY(flag + 1 == arguments.size() || arguments[flag + 1].startsWith(QStringLiteral("--")));
        QCOMPARE(arguments.value(arguments.indexOf(QStringLiteral("--discard-ratio")) + 1), QStringLiteral("0.5"));
        QCommandLineParser parser;
        parser.addOptions(figureRequestOptions());
        parser.addOption(QCommandLineOption(QStringLiteral("no-residual")));
        parser.addOption(QCommandLineOption(QStringLiteral("discard-ratio"), QString(), QStringLiteral("R")));
        QVERIFY(parser.parse(QStringList{QStringLiteral("render")} + arguments));
        const FigureRequest parsed = figureRequestFromParser(parser);
        QCOMPARE(parsed.method, request.method);
        QCOMPARE(parsed.tensor, request.tensor);
        QCOMPARE(parsed.layer, 2);
    }
};

QTEST_MAIN(TestAnalysisFigure)
#include "test_analysis_figure.moc"
