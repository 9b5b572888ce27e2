// Figures that can be read on paper: every view `attnscope-cli render` accepts, at 8.5 × 7 cm
// (a column) and 17 × 12 cm (a page width), written as SVG and read back from the file: no
// text under 6 pt on paper, no text beyond the page, and token labels in full, or ending in
// "…" only when the figure says (in its <desc>) that it abbreviated them. The Lines figure
// shows every token, or exactly the window it names.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cli/cli_runner.h"
#include "cli/svg_text.h"

namespace {

const QString kDemos = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos");
const QString kStories = QStringLiteral("/work/shared/models/stories260K");
const QString kStory = QStringLiteral("Once upon a time, there was a little girl named Lily. She loved to play outside "
                                      "in the park with her friends.");
const QString kRepeat = QStringLiteral("the cat sat on the mat and the dog ran to the tree . "
                                       "the cat sat on the mat and the dog ran to the tree .");
constexpr double kLeastPoints = 6;
constexpr double kTolerance = 0.5; // user units (points) of rounding in the SVG's numbers

// The views `render --help` lists (two-space indented names under "Views:").
QStringList renderViews()
{
    const CliResult help = runCli({QStringLiteral("render"), QStringLiteral("--help")});
    QStringList views;
    static const QRegularExpression line(QStringLiteral(R"(^  ([a-z-]+)\s{2,})"));
    bool inViews = false;
    for (const QString &text : QString::fromUtf8(help.out).split(QLatin1Char('\n'))) {
        if (text.startsWith(QLatin1String("Views:")) || text.endsWith(QLatin1String("Views:")))
            inViews = true;
        else if (inViews && line.match(text).hasMatch())
            views << line.match(text).captured(1);
        else if (inViews && !text.startsWith(QLatin1Char(' ')))
            break;
    }
    return views;
}

QStringList displayTokens(const QString &model, const QString &text)
{
    const CliResult result = runCli({QStringLiteral("tokenize"), model, QStringLiteral("--text"), text});
    QStringList tokens;
    for (const QJsonValue &token : QJsonDocument::fromJson(result.out).object().value(QStringLiteral("display")).toArray())
        tokens << token.toString();
    return tokens;
}

} // namespace

class TestFigureLegibility : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void viewsAreListed()
    {
        const QStringList views = renderViews();
        for (const char *view : {"model", "head", "lines", "token", "neuron", "graph", "rollout", "charts", "overlay"})
            QVERIFY2(views.contains(QLatin1String(view)), qPrintable(views.join(QLatin1Char(' '))));
    }

    void everyViewIsLegible_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QStringList>("input");
        QTest::addColumn<QString>("view");
        QTest::addColumn<QSizeF>("size");
        const QStringList story{QStringLiteral("--text"), kStory};
        const QStringList repeat{QStringLiteral("--text"), kRepeat};
        const QStringList image{QStringLiteral("--image"), kDemos + QStringLiteral("/samples/circle.png"), QStringLiteral("--grid")};
        for (const QSizeF &size : {QSizeF(8.5, 7), QSizeF(17, 12)}) {
            const QString cm = QStringLiteral("%1x%2cm").arg(size.width()).arg(size.height());
            for (const QString &view : renderViews()) {
                if (view == QLatin1String("overlay")) {
                    QTest::addRow("shapes %s %s", qPrintable(view), qPrintable(cm)) << kDemos + QStringLiteral("/shapes") << image << view << size;
                    continue;
                }
                if (view == QLatin1String("analysis")) { // one of each kind of picture: grid, token map, heads' map, signed table
                    for (const char *method : {"logit-lens", "alti", "head-distances", "direct-logit-attribution"}) {
                        const QStringList chosen{QStringLiteral("--method"), QLatin1String(method)};
                        QTest::addRow("stories260K %s %s %s", method, qPrintable(view), qPrintable(cm)) << kStories << story + chosen << view << size;
                        QTest::addRow("induction %s %s %s", method, qPrintable(view), qPrintable(cm))
                            << kDemos + QStringLiteral("/induction") << repeat + chosen << view << size;
                    }
                    continue;
                }
                QTest::addRow("stories260K %s %s", qPrintable(view), qPrintable(cm)) << kStories << story << view << size;
                QTest::addRow("induction %s %s", qPrintable(view), qPrintable(cm)) << kDemos + QStringLiteral("/induction") << repeat << view << size;
            }
        }
    }
    void everyViewIsLegible()
    {
        QFETCH(QString, model);
        QFETCH(QStringList, input);
        QFETCH(QString, view);
        QFETCH(QSizeF, size);
        if (!QFileInfo::exists(model + QStringLiteral("/config.json")))
            QSKIP(qPrintable(QStringLiteral("no model at %1 (the shared test models are not on this machine)").arg(model)));
        QTemporaryDir dir;
        const QString svg = dir.filePath(QStringLiteral("figure.svg"));
        const CliResult result = runCli(QStringList{QStringLiteral("render"), model} + input
                                        + QStringList{QStringLiteral("--view"), view, QStringLiteral("--width"), QString::number(size.width()),
                                                      QStringLiteral("--height"), QString::number(size.height()), QStringLiteral("--out"), svg});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const SvgPage page = readSvgPage(file.readAll());
        QVERIFY2(page.problem.isEmpty(), qPrintable(page.problem));
        QCOMPARE(page.millimetresPerUnit * page.viewBox.width(), size.width() * 10);
        QVERIFY(!page.texts.empty());
        const QStringList tokens = input.first() == QLatin1String("--text") ? displayTokens(model, input.at(1)) : QStringList();
        const bool abbreviates = page.description.contains(QStringLiteral("abbreviated"));
        const QRectF inside = page.viewBox.adjusted(-kTolerance, -kTolerance, kTolerance, kTolerance);
        QSet<QString> shown;
        for (const SvgText &text : page.texts) {
            if (text.text.trimmed().isEmpty())
                continue;
            shown.insert(text.text);
            QVERIFY2(text.points >= kLeastPoints - 1e-4, // the viewBox has 6 significant digits
                     qPrintable(QStringLiteral("'%1' is %2 pt").arg(text.text).arg(text.points, 0, 'f', 2)));
            QVERIFY2(inside.contains(text.extent),
                     qPrintable(QStringLiteral("'%1' at (%2, %3)–(%4, %5) leaves the page %6 × %7")
                                    .arg(text.text).arg(text.extent.left()).arg(text.extent.top()).arg(text.extent.right())
                                    .arg(text.extent.bottom()).arg(page.viewBox.width()).arg(page.viewBox.height())));
            if (text.text.endsWith(QStringLiteral("…")) && !tokens.isEmpty()) {
                QVERIFY2(abbreviates, qPrintable(QStringLiteral("'%1' is cut, but the figure does not say it abbreviates").arg(text.text)));
                const QString start = text.text.chopped(1);
                QVERIFY2(std::any_of(tokens.begin(), tokens.end(), [&](const QString &token) { return token.startsWith(start) && token != start; }),
                         qPrintable(QStringLiteral("'%1' abbreviates no token").arg(text.text)));
            }
        }
        if (view != QLatin1String("lines"))
            return;
        // Every token in full, or those of the window the figure names.
        qsizetype first = 0, last = tokens.size() - 1;
        static const QRegularExpression window(QStringLiteral(R"(tokens (\d+)–(\d+) of (\d+) shown)"));
        if (const QRegularExpressionMatch match = window.match(page.description); match.hasMatch()) {
            first = match.captured(1).toLongLong();
            last = match.captured(2).toLongLong();
            QCOMPARE(match.captured(3).toLongLong(), qint64(tokens.size()));
            QVERIFY2(last - first + 1 >= 12, "a window of fewer than 12 tokens is not a readable figure");
            QVERIFY(shown.contains(QStringLiteral("tokens %1–%2 of %3").arg(first).arg(last).arg(tokens.size())));
        }
        const auto abbreviated = [&](const QString &token) {
            return abbreviates && std::any_of(shown.begin(), shown.end(), [&](const QString &text) {
                       return text.endsWith(QStringLiteral("…")) && token.startsWith(text.chopped(1));
                   });
        };
        for (qsizetype i = first; i <= last; ++i)
            QVERIFY2(shown.contains(tokens.at(i)) || abbreviated(tokens.at(i)),
                     qPrintable(QStringLiteral("token %1 '%2' is not shown in full").arg(i).arg(tokens.at(i))));
    }
};

QTEST_MAIN(TestFigureLegibility)
#include "test_figure_legibility.moc"
