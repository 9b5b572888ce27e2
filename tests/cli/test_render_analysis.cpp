// render --view analysis: every analysis of the registry, on an encoder (the grammar demo, a
// BERT masked LM) and on a decoder (stories260K), draws a figure with ink on it and its
// method in the title, or, where the model cannot do the analysis, exits 3 with one line.
// Each of the result's pictures (--tensor) draws too, and a tensor it lacks is a usage error.
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTemporaryDir>

#include "cli_runner.h"
#include "core/analysis/analysis_registry.h"

namespace {

const QString kGrammar = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/grammar");
const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");

struct Input {
    QString text;
    QString corrupted; // the same number of tokens, for activation patching
};

Input inputFor(const QString &model)
{
    if (model == kGrammar)
        return {QStringLiteral("the dogs that the cat sees [MASK] happy ."), QStringLiteral("the dog that the cats see [MASK] happy .")};
    return {QStringLiteral("Lily had a big ball. Lily gave the ball to"), QStringLiteral("Tim had a big ball. Tim gave the ball to")};
}

// What a masked LM cannot do: these need a classifier or a causal LM (and say so).
bool refusedBy(const QString &model, const QString &method)
{
    static const QStringList needsAnOutputToExplain{QStringLiteral("direct-logit-attribution"), QStringLiteral("retrieval"),
                                                    QStringLiteral("importance"), QStringLiteral("relevance")};
    return model == kGrammar && needsAnOutputToExplain.contains(method);
}

int inkedPixels(const QImage &image)
{
    int inked = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            inked += qGray(image.pixel(x, y)) < 200;
    return inked;
}

QStringList renderArguments(const QString &model, const QString &method, const QString &out)
{
    const Input input = inputFor(model);
    QStringList arguments{QStringLiteral("render"), model, QStringLiteral("--text"), input.text, QStringLiteral("--view"),
                          QStringLiteral("analysis"), QStringLiteral("--method"), method, QStringLiteral("--dpi"),
                          QStringLiteral("100"), QStringLiteral("--out"), out};
    if (method == QLatin1String("activation-patching"))
        arguments << QStringLiteral("--corrupted-text") << input.corrupted;
    if (method == QLatin1String("importance")) // the curve too
        arguments << QStringLiteral("--prune-fraction") << QStringLiteral("0.5");
    if (method == QLatin1String("induction") && model == kGrammar) // two repeats within its 64 positions
        arguments << QStringLiteral("--period") << QStringLiteral("20");
    return arguments;
}

} // namespace

class TestRenderAnalysis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyAnalysisDraws_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("method");
        for (const QString &model : {kGrammar, kStories})
            for (const QString &method : attnscope::analysisNames())
                QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(model == kGrammar ? QStringLiteral("encoder") : QStringLiteral("decoder"), method)))
                    << model << method;
    }
    void everyAnalysisDraws()
    {
        QFETCH(QString, model);
        QFETCH(QString, method);
        if (!QFileInfo::exists(model + QStringLiteral("/config.json")))
            QSKIP("shared model stories260K not found under ATTNSCOPE_SHARED_DIR");
        QTemporaryDir dir;
        const QString svg = dir.filePath(QStringLiteral("figure.svg"));
        const CliResult drawn = runCli(renderArguments(model, method, svg));
        if (refusedBy(model, method)) {
            verifyOneLineError(drawn, 3, QString());
            return;
        }
        QVERIFY2(drawn.exitCode == 0 && !drawn.crashed, drawn.err.constData());
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY2(text.contains(method.toUtf8()), "the title names the method");
        QSvgRenderer renderer(text);
        QVERIFY(renderer.isValid());
        QImage image(renderer.defaultSize(), QImage::Format_RGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        renderer.render(&painter);
        painter.end();
        QVERIFY2(inkedPixels(image) > 400, qPrintable(QStringLiteral("%1 dark pixels").arg(inkedPixels(image))));
    }

    // Each tensor of the logit lens draws; one it does not have is a usage error naming those it has.
    void everyTensorOfAResultDraws()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/config.json")))
            QSKIP("shared model stories260K not found under ATTNSCOPE_SHARED_DIR");
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("figure.png"));
        for (const QString &tensor : {QStringLiteral("top_ids"), QStringLiteral("next_token_logprob"), QStringLiteral("next_token_rank")}) {
            const CliResult drawn = runCli(renderArguments(kStories, QStringLiteral("logit-lens"), png)
                                           << QStringLiteral("--tensor") << tensor);
            QVERIFY2(drawn.exitCode == 0, drawn.err.constData());
            QVERIFY2(inkedPixels(QImage(png)) > 400, qPrintable(tensor));
        }
        const CliResult wrong = runCli(renderArguments(kStories, QStringLiteral("logit-lens"), png)
                                       << QStringLiteral("--tensor") << QStringLiteral("norms"));
        verifyOneLineError(wrong, 2, QStringLiteral("next_token_logprob"));
        verifyOneLineError(runCli({QStringLiteral("render"), kGrammar, QStringLiteral("--text"), QStringLiteral("the dog ."),
                                   QStringLiteral("--view"), QStringLiteral("analysis"), QStringLiteral("--out"), png}),
                           2, QStringLiteral("--method"));
    }
};

QTEST_MAIN(TestRenderAnalysis)
#include "test_render_analysis.moc"
