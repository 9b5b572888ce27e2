// attnscope-cli render: every view of the page system from a model folder and from an
// attention file, the page's size in the PNG, SVG and PDF it writes, and one-line errors with
// exit code 2 for requests that do not fit (unknown view, layer out of range, bad page) and 3
// for bad input.
#include <QtTest>

#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>

#include "cli/cli_runner.h"

namespace {

const QString kGrammar = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/grammar");
const QString kText = QStringLiteral("the dogs that the cat sees [MASK] happy .");

QStringList render(const QString &source, const QStringList &options, const QString &out)
{
    QStringList arguments{QStringLiteral("render"), source};
    if (!source.endsWith(QLatin1String(".safetensors")))
        arguments << QStringLiteral("--text") << kText;
    return arguments + options + QStringList{QStringLiteral("--out"), out};
}

} // namespace

class TestRender : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyViewFromAModel_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::newRow("model") << QStringList{QStringLiteral("--view"), QStringLiteral("model")};
        QTest::newRow("head") << QStringList{QStringLiteral("--view"), QStringLiteral("head"), QStringLiteral("--layer"), QStringLiteral("2")};
        QTest::newRow("lines") << QStringList{QStringLiteral("--view"), QStringLiteral("lines"), QStringLiteral("--head"), QStringLiteral("1")};
        QTest::newRow("token") << QStringList{QStringLiteral("--view"), QStringLiteral("token"), QStringLiteral("--token"), QStringLiteral("6"),
                                              QStringLiteral("--direction"), QStringLiteral("key")};
        QTest::newRow("neuron") << QStringList{QStringLiteral("--view"), QStringLiteral("neuron"), QStringLiteral("--token"), QStringLiteral("6"),
                                               QStringLiteral("--key"), QStringLiteral("2")};
        QTest::newRow("graph") << QStringList{QStringLiteral("--view"), QStringLiteral("graph"), QStringLiteral("--edges"), QStringLiteral("rollout")};
        QTest::newRow("arcs") << QStringList{QStringLiteral("--view"), QStringLiteral("graph"), QStringLiteral("--drawing"), QStringLiteral("arcs")};
        QTest::newRow("rollout") << QStringList{QStringLiteral("--view"), QStringLiteral("rollout")};
        QTest::newRow("charts") << QStringList{QStringLiteral("--view"), QStringLiteral("charts"), QStringLiteral("--score"), QStringLiteral("previous"),
                                               QStringLiteral("--chart"), QStringLiteral("layers")};
    }
    void everyViewFromAModel()
    {
        QFETCH(QStringList, options);
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("figure.png"));
        const CliResult result = runCli(render(kGrammar, options + QStringList{QStringLiteral("--width"), QStringLiteral("3"),
                                                                               QStringLiteral("--height"), QStringLiteral("2"),
                                                                               QStringLiteral("--unit"), QStringLiteral("in"),
                                                                               QStringLiteral("--dpi"), QStringLiteral("200")},
                                                  png));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(QImage(png).size(), QSize(600, 400));
        const QString svg = dir.filePath(QStringLiteral("figure.svg"));
        QVERIFY(runCli(render(kGrammar, options, svg)).exitCode == 0);
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("width=\"12cm\" height=\"10cm\""));
        QVERIFY(text.contains("<text"));
    }

    // --per-row (the head view's "per row"): each row over its peak, and the figure says so.
    void perRowIsAnOptionOfTheHeadFigure()
    {
        QTemporaryDir dir;
        const QStringList head{QStringLiteral("--view"), QStringLiteral("head"), QStringLiteral("--layer"), QStringLiteral("2")};
        const QString plain = dir.filePath(QStringLiteral("plain.png")), perRow = dir.filePath(QStringLiteral("per-row.png"));
        const QString svg = dir.filePath(QStringLiteral("per-row.svg"));
        QCOMPARE(runCli(render(kGrammar, head, plain)).exitCode, 0);
        QCOMPARE(runCli(render(kGrammar, head + QStringList{QStringLiteral("--per-row")}, perRow)).exitCode, 0);
        QVERIFY(QImage(perRow) != QImage(plain));
        QCOMPARE(runCli(render(kGrammar, head + QStringList{QStringLiteral("--per-row")}, svg)).exitCode, 0);
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("Layer 2, head 0, per row"));
        QVERIFY(text.contains("attention weight ÷ its row's peak"));
    }

    void attentionFileNeedsNoModel()
    {
        QTemporaryDir dir;
        const QString attention = dir.filePath(QStringLiteral("attn.safetensors"));
        QVERIFY(runCli({QStringLiteral("run"), kGrammar, QStringLiteral("--text"), kText, QStringLiteral("--out"), attention}).exitCode == 0);
        const QString pdf = dir.filePath(QStringLiteral("head.pdf"));
        const CliResult result = runCli(render(attention, {QStringLiteral("--view"), QStringLiteral("head"), QStringLiteral("--head"),
                                                           QStringLiteral("3"), QStringLiteral("--width"), QStringLiteral("8.5"),
                                                           QStringLiteral("--height"), QStringLiteral("6")},
                                               pdf));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        static const QRegularExpression box(QStringLiteral(R"(/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+))"));
        const QRegularExpressionMatch match = box.match(QString::fromLatin1(file.readAll()));
        QVERIFY(match.hasMatch());
        QVERIFY(std::abs(match.captured(1).toDouble() - 8.5 / 2.54 * 72) <= 1);
        QVERIFY(std::abs(match.captured(2).toDouble() - 6 / 2.54 * 72) <= 1);
        // An attention file holds no queries and keys.
        verifyOneLineError(runCli(render(attention, {QStringLiteral("--view"), QStringLiteral("neuron")}, dir.filePath(QStringLiteral("n.png")))),
                           2, QStringLiteral("needs the queries and keys"));
    }

    // --compared reference draws, in every view, the reference run of the comparison: the same
    // pixels as a plain run, and a title that names it.
    void comparedReferenceIsThePlainRun()
    {
        QTemporaryDir dir;
        const QStringList lines{QStringLiteral("--view"), QStringLiteral("lines"), QStringLiteral("--layer"), QStringLiteral("1")};
        const QStringList compared{QStringLiteral("--variant"), QStringLiteral("ablate@layers=0"), QStringLiteral("--compared"), QStringLiteral("reference")};
        const QString plain = dir.filePath(QStringLiteral("plain.png")), reference = dir.filePath(QStringLiteral("reference.png"));
        const QString variant = dir.filePath(QStringLiteral("variant.png")), svg = dir.filePath(QStringLiteral("reference.svg"));
        const QStringList untitled{QStringLiteral("--no-title")};
        QCOMPARE(runCli(render(kGrammar, lines + untitled, plain)).exitCode, 0);
        QCOMPARE(runCli(render(kGrammar, lines + untitled + compared, reference)).exitCode, 0);
        QCOMPARE(runCli(render(kGrammar, lines + untitled + compared.mid(0, 2), variant)).exitCode, 0);
        QCOMPARE(QImage(reference), QImage(plain));
        QVERIFY(QImage(variant) != QImage(plain)); // layer 0 ablated changes layer 1's weights
        QCOMPARE(runCli(render(kGrammar, lines + compared, svg)).exitCode, 0);
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("Layer 1, every head, reference"));
    }

    void badRequestsGetOneLine_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("out");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown view") << QStringList{QStringLiteral("--view"), QStringLiteral("pie")} << QStringLiteral("f.png") << 2
                                      << QStringLiteral("--view 'pie' is not one of: model, head");
        QTest::newRow("layer out of range") << QStringList{QStringLiteral("--view"), QStringLiteral("head"), QStringLiteral("--layer"), QStringLiteral("3")}
                                            << QStringLiteral("f.png") << 2 << QStringLiteral("--layer 3 is outside the 3 layers");
        QTest::newRow("bad width") << QStringList{QStringLiteral("--view"), QStringLiteral("head"), QStringLiteral("--width"), QStringLiteral("-2")}
                                   << QStringLiteral("f.png") << 2 << QStringLiteral("--width '-2' is not a positive number");
        QTest::newRow("huge page") << QStringList{QStringLiteral("--view"), QStringLiteral("head"), QStringLiteral("--width"), QStringLiteral("90"),
                                                  QStringLiteral("--unit"), QStringLiteral("in")}
                                   << QStringLiteral("f.png") << 2 << QStringLiteral("pixels on a side");
        QTest::newRow("bad format") << QStringList{QStringLiteral("--view"), QStringLiteral("head")} << QStringLiteral("f.gif") << 2
                                    << QStringLiteral("must end in .png, .svg or .pdf");
        QTest::newRow("unknown score") << QStringList{QStringLiteral("--view"), QStringLiteral("charts"), QStringLiteral("--score"), QStringLiteral("x")}
                                       << QStringLiteral("f.png") << 2 << QStringLiteral("--score 'x' is not one of: entropy");
        QTest::newRow("difference beyond head") << QStringList{QStringLiteral("--view"), QStringLiteral("lines"), QStringLiteral("--variant"),
                                                               QStringLiteral("ablate@layers=1"), QStringLiteral("--compared"), QStringLiteral("difference")}
                                                << QStringLiteral("f.png") << 2 << QStringLiteral("--compared difference is drawn by --view head");
        QTest::newRow("unwritable") << QStringList{QStringLiteral("--view"), QStringLiteral("head")} << QStringLiteral("/nonexistent/dir/f.png")
                                    << 3 << QStringLiteral("cannot be written");
    }
    void badRequestsGetOneLine()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, out);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        verifyOneLineError(runCli(render(kGrammar, options, out.startsWith(QLatin1Char('/')) ? out : dir.filePath(out))), exitCode, mentions);
    }
};

QTEST_MAIN(TestRender)
#include "test_render.moc"
