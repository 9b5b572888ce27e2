// attnscope-cli render --view generation: one step of a generation on a page, from a model
// (generating from the text with the sampling options) or from a steps file of generate --out.
// The PNG has the page's pixels, the SVG's and the PDF's title name the model, the step and the
// sampling; a step beyond the generation, an encoder and a bad temperature are one line.

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include "cli/cli_runner.h"
#include "cli/svg_text.h"

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
const QString kGrammar = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/grammar");

QStringList render(const QString &source, const QStringList &options, const QString &out)
{
    return QStringList{QStringLiteral("render"), source} + options
           + QStringList{QStringLiteral("--view"), QStringLiteral("generation"), QStringLiteral("--out"), out};
}

const QStringList kPrompt{QStringLiteral("--text"), QStringLiteral("Once upon a time"), QStringLiteral("--max-new-tokens"),
                          QStringLiteral("6")};

QString svgTexts(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const SvgPage page = readSvgPage(file.readAll());
    QStringList texts;
    for (const SvgText &text : page.texts)
        texts << text.text;
    return texts.join(QString()); // one line's runs may be separate elements (a symbol from a fallback font)
}

} // namespace

class TestRenderGeneration : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/config.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
    }

    void drawsAStepFromAModel()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("step.png"));
        const QStringList page{QStringLiteral("--width"), QStringLiteral("6"), QStringLiteral("--height"), QStringLiteral("4"),
                               QStringLiteral("--unit"), QStringLiteral("in"), QStringLiteral("--dpi"), QStringLiteral("100")};
        CliResult result = runCli(render(kStories, kPrompt + page + QStringList{QStringLiteral("--step"), QStringLiteral("3")}, png));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(QImage(png).size(), QSize(600, 400));

        const QString svg = dir.filePath(QStringLiteral("step.svg"));
        result = runCli(render(kStories, kPrompt + QStringList{QStringLiteral("--step"), QStringLiteral("3"), QStringLiteral("--temperature"),
                                                               QStringLiteral("0.7"), QStringLiteral("--seed"), QStringLiteral("4"),
                                                               QStringLiteral("--layer"), QStringLiteral("2"), QStringLiteral("--head"),
                                                               QStringLiteral("5")},
                               svg));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QString texts = svgTexts(svg);
        QVERIFY2(texts.contains(QStringLiteral("stories260K · step 3 of 6 · τ 0.7 · seed 4")), qPrintable(texts));
        QVERIFY2(texts.contains(QStringLiteral("step 3 of 6 wrote")), qPrintable(texts));
        QVERIFY2(texts.contains(QStringLiteral("layer 2, head 5")), qPrintable(texts));
        QVERIFY2(texts.contains(QStringLiteral("attention weight")), qPrintable(texts)); // the colorbar
        QVERIFY2(texts.contains(QStringLiteral("Once")), qPrintable(texts));
    }

    // The steps file draws without the model; sampling options redraw its distribution.
    void drawsAStepFromAStepsFile()
    {
        QTemporaryDir dir;
        const QString steps = dir.filePath(QStringLiteral("steps.safetensors"));
        CliResult result = runCli(QStringList{QStringLiteral("generate"), kStories} + kPrompt
                                  + QStringList{QStringLiteral("--out"), steps});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QString pdf = dir.filePath(QStringLiteral("step.pdf"));
        result = runCli(render(steps, {QStringLiteral("--step"), QStringLiteral("2")}, pdf));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().startsWith("%PDF"));
        const QString svg = dir.filePath(QStringLiteral("step.svg"));
        result = runCli(render(steps, {QStringLiteral("--temperature"), QStringLiteral("2")}, svg));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QString texts = svgTexts(svg);
        QVERIFY2(texts.contains(QStringLiteral("step 6 of 6 · greedy")), qPrintable(texts)); // the last step by default
        QVERIFY2(texts.contains(QStringLiteral("the distribution at τ 2")), qPrintable(texts));
    }

    void badRequestsGetOneLine_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("step beyond") << kStories << QStringList{QStringLiteral("--step"), QStringLiteral("9")} << 2
                                     << QStringLiteral("--step 9");
        QTest::newRow("temperature") << kStories << QStringList{QStringLiteral("--temperature"), QStringLiteral("0")} << 2
                                     << QStringLiteral("temperature");
        QTest::newRow("head") << kStories << QStringList{QStringLiteral("--head"), QStringLiteral("8")} << 2
                              << QStringLiteral("--head 8");
        QTest::newRow("encoder") << kGrammar << QStringList() << 3 << QStringLiteral("causal");
    }
    void badRequestsGetOneLine()
    {
        QFETCH(QString, source);
        QFETCH(QStringList, options);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("step.png"));
        verifyOneLineError(runCli(render(source, kPrompt + options, png)), exitCode, mentions);
        QVERIFY(!QFileInfo::exists(png));
    }
};

QTEST_MAIN(TestRenderGeneration)
#include "test_render_generation.moc"
