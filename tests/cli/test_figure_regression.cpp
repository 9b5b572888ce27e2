// Figures look as they did: each view `attnscope-cli render` draws, as a PNG at fixed sizes,
// compared with its reference in tests/data/figures. The references are kept in grey levels
// (a third of the bytes; a moved label or cell changes its grey as much as its colour).
// Antialiasing may differ a little between machines, a layout may not: a pixel differs when
// its grey moves by more than kPixelThreshold, and a figure fails when more than
// kMostDifferingShare of its pixels do.
// On failure the actual image and a map of the differing pixels are saved in the test's
// working directory (the build tree). ATTNSCOPE_UPDATE_FIGURES=1 rewrites the references.
#include <QtTest>

#include <QImage>
#include <QTemporaryDir>

#include "cli/cli_runner.h"

namespace {

const QString kDemos = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos");
const QString kReferences = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/tests/data/figures");
const QString kRepeat = QStringLiteral("the cat sat on the mat and the dog ran to the tree . "
                                       "the cat sat on the mat and the dog ran to the tree .");
constexpr int kPixelThreshold = 64;           // of 255
constexpr double kMostDifferingShare = 0.004; // of the figure's pixels

struct Difference {
    double share = 0;
    QImage map; // differing pixels red on a faded copy of the reference
};

Difference differenceOf(const QImage &actual, const QImage &reference)
{
    Difference difference;
    difference.map = reference.convertToFormat(QImage::Format_RGB32);
    qint64 differing = 0;
    for (int y = 0; y < reference.height(); ++y)
        for (int x = 0; x < reference.width(); ++x) {
            const int r = qGray(reference.pixel(x, y));
            const int most = std::abs(qGray(actual.pixel(x, y)) - r);
            const int grey = 200 + r / 5;
            difference.map.setPixel(x, y, most > kPixelThreshold ? qRgb(255, 0, 0) : qRgb(grey, grey, grey));
            differing += most > kPixelThreshold ? 1 : 0;
        }
    difference.share = double(differing) / double(qint64(reference.width()) * reference.height());
    return difference;
}

} // namespace

class TestFigureRegression : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void figuresLookAsBefore_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("arguments");
        const QString induction = kDemos + QStringLiteral("/induction");
        const auto text = [&](const QStringList &view) { return QStringList{induction, QStringLiteral("--text"), kRepeat} + view; };
        const QStringList column{QStringLiteral("--width"), QStringLiteral("8.5"), QStringLiteral("--height"), QStringLiteral("7"),
                                 QStringLiteral("--dpi"), QStringLiteral("90")};
        const QStringList page{QStringLiteral("--width"), QStringLiteral("17"), QStringLiteral("--height"), QStringLiteral("12"),
                               QStringLiteral("--dpi"), QStringLiteral("50")};
        const QList<std::pair<QString, QStringList>> views{
            {QStringLiteral("head"), text({QStringLiteral("--view"), QStringLiteral("head"), QStringLiteral("--layer"), QStringLiteral("1")})},
            {QStringLiteral("model"), text({QStringLiteral("--view"), QStringLiteral("model")})},
            {QStringLiteral("lines"), text({QStringLiteral("--view"), QStringLiteral("lines"), QStringLiteral("--layer"), QStringLiteral("1")})},
            {QStringLiteral("token"), text({QStringLiteral("--view"), QStringLiteral("token"), QStringLiteral("--layer"), QStringLiteral("1")})},
            {QStringLiteral("neuron"), text({QStringLiteral("--view"), QStringLiteral("neuron"), QStringLiteral("--layer"), QStringLiteral("1")})},
            {QStringLiteral("graph"), text({QStringLiteral("--view"), QStringLiteral("graph")})},
            {QStringLiteral("rollout"), text({QStringLiteral("--view"), QStringLiteral("rollout")})},
            {QStringLiteral("charts"), text({QStringLiteral("--view"), QStringLiteral("charts")})},
            {QStringLiteral("overlay"), {kDemos + QStringLiteral("/shapes"), QStringLiteral("--image"), kDemos + QStringLiteral("/samples/cross.png"),
                                         QStringLiteral("--view"), QStringLiteral("overlay"), QStringLiteral("--upsampling"),
                                         QStringLiteral("nearest"), QStringLiteral("--grid")}},
        };
        for (const auto &[view, arguments] : views) {
            QTest::addRow("%s 8.5x7cm", qPrintable(view)) << view + QStringLiteral("_8.5x7cm") << arguments + column;
            QTest::addRow("%s 17x12cm", qPrintable(view)) << view + QStringLiteral("_17x12cm") << arguments + page;
        }
    }
    void figuresLookAsBefore()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, arguments);
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("figure.png"));
        const CliResult result = runCli(QStringList{QStringLiteral("render")} + arguments + QStringList{QStringLiteral("--out"), png});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QImage actual = QImage(png).convertToFormat(QImage::Format_Grayscale8);
        const QString reference = kReferences + QStringLiteral("/%1.png").arg(name);
        if (qEnvironmentVariableIntValue("ATTNSCOPE_UPDATE_FIGURES") == 1) {
            QVERIFY(QDir().mkpath(kReferences));
            QVERIFY(actual.save(reference, "PNG", 0)); // 0: the smallest file
            qInfo("rewrote %s", qPrintable(reference));
            return;
        }
        const QImage expected = QImage(reference).convertToFormat(QImage::Format_Grayscale8);
        QVERIFY2(!expected.isNull(), qPrintable(QStringLiteral("no reference %1: run with ATTNSCOPE_UPDATE_FIGURES=1").arg(reference)));
        const QString actualPath = QDir::current().absoluteFilePath(QStringLiteral("figure_%1_actual.png").arg(name));
        if (actual.size() != expected.size()) {
            actual.save(actualPath);
            QFAIL(qPrintable(QStringLiteral("%1 is %2×%3 pixels, its reference %4×%5; the figure is in %6")
                                 .arg(name).arg(actual.width()).arg(actual.height()).arg(expected.width()).arg(expected.height())
                                 .arg(actualPath)));
        }
        const Difference difference = differenceOf(actual, expected);
        if (difference.share > kMostDifferingShare) {
            actual.save(actualPath);
            const QString mapPath = QDir::current().absoluteFilePath(QStringLiteral("figure_%1_difference.png").arg(name));
            difference.map.save(mapPath);
            QFAIL(qPrintable(QStringLiteral("%1: %2% of the pixels differ from %3 (at most %4% may); the figure is in %5, "
                                            "the differing pixels in red in %6. If the change is meant, rerun with "
                                            "ATTNSCOPE_UPDATE_FIGURES=1 and look at the new references.")
                                 .arg(name).arg(100 * difference.share, 0, 'f', 2).arg(reference).arg(100 * kMostDifferingShare)
                                 .arg(actualPath, mapPath)));
        }
    }
};

QTEST_MAIN(TestFigureRegression)
#include "test_figure_regression.moc"
