// The Corpus view on a run made by the real CLI (attnscope-cli batch on the grammar demo, a
// BERT): the table holds aggregate.json's means and intervals, the distribution's counts are
// a plain count over values.bin, the top list is aggregate.json's with the examples' texts,
// opening an example puts its whole line from the corpus into the workspace (at the head it
// was chosen for), the query–key map's points name their token and open their example, a
// per-layer score is a line in its band, and every chart exports. Bad input:
// test_corpus_view_input.cpp.

#include <QAction>
#include <QDockWidget>
#include <QMimeData>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>

#include "corpus_test_run.h"
#include "snapshot.h"
#include "ui/attention_run.h"
#include "ui/attention_workspace.h"
#include "ui/corpus/corpus_figures.h"
#include "ui/corpus/corpus_run_model.h"
#include "ui/corpus/corpus_view.h"
#include "ui/export_figure_dialog.h"
#include "ui/mainwindow.h"
#include "ui/views/paint_canvas.h"
#include "viz/figure/figure_writer.h"

using namespace attnscope;
using namespace corpus_test;


class TestCorpusView : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_run;
    QStringList m_lines;
    QJsonObject m_aggregate;

    // The values of column `column` of values.bin, read the plain way.
    std::vector<double> columnOf(int64_t column) const
    {
        int64_t perRow = 0;
        for (const QJsonValue &score : jsonOf(m_run + QStringLiteral("/manifest.json")).value(QStringLiteral("scores")).toArray()) {
            int64_t size = 1;
            for (const QJsonValue &extent : score.toObject().value(QStringLiteral("shape")).toArray())
                size *= extent.toInteger();
            perRow += size;
        }
        const QByteArray bytes = contentOf(m_run + QStringLiteral("/values.bin"));
        const qsizetype rowBytes = qsizetype(8 * (perRow + 1));
        std::vector<double> values;
        for (qsizetype at = 0; at + rowBytes <= bytes.size(); at += rowBytes) {
            double value;
            std::memcpy(&value, bytes.constData() + at + 8 * (1 + column), 8);
            values.push_back(value);
        }
        return values;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the window's settings
        m_lines = corpusLines(40);
        const QString corpus = m_dir.filePath(QStringLiteral("sentences.txt"));
        writeFile(corpus, m_lines.join(QLatin1Char('\n')).toUtf8() + '\n');
        m_run = m_dir.filePath(QStringLiteral("run"));
        const QString failure = runBatch({kGrammar, QStringLiteral("--inputs"), corpus, QStringLiteral("--out"), m_run,
                                          QStringLiteral("--qk-sample"), QStringLiteral("60"), QStringLiteral("--top"), QStringLiteral("5")});
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        m_aggregate = jsonOf(m_run + QStringLiteral("/aggregate.json"));
        QCOMPARE(m_aggregate.value(QStringLiteral("examples")).toInt(), 40);
    }

    void tableHoldsTheAggregate()
    {
        CorpusView view;
        QString error;
        QVERIFY2(view.open(m_run, &error), qPrintable(error));
        QVERIFY(view.problem().isEmpty());
        const QJsonObject scores = m_aggregate.value(QStringLiteral("scores")).toObject();
        QCOMPARE(view.scoreNames().size(), scores.size());
        QVERIFY(view.scoreNames().contains(QStringLiteral("head-stats/entropy")));
        for (const QString &name : view.scoreNames()) {
            view.chooseScore(name);
            const QJsonObject score = scores.value(name).toObject();
            const QJsonArray shape = score.value(QStringLiteral("shape")).toArray();
            QCOMPARE(view.table()->rowCount(), shape.at(0).toInt());
            QCOMPARE(view.table()->columnCount(), shape.at(1).toInt());
            for (int k = 0; k < view.table()->rowCount() * view.table()->columnCount(); ++k) {
                const QTableWidgetItem *cell = view.table()->item(k / shape.at(1).toInt(), k % shape.at(1).toInt());
                for (const auto &[role, field] : {std::pair{0, "mean"}, std::pair{1, "ci_low"}, std::pair{2, "ci_high"}}) {
                    const QJsonValue expected = score.value(QLatin1String(field)).toArray().at(k);
                    const double shown = cell->data(Qt::UserRole + role).toDouble();
                    QVERIFY2(expected.isDouble() ? shown == expected.toDouble() : std::isnan(shown), qPrintable(name + QStringLiteral(" %1").arg(k)));
                }
                QVERIFY(cell->toolTip().contains(QStringLiteral("interval")));
            }
        }
        view.chooseScore(QStringLiteral("head-stats/entropy"));
        QVERIFY(view.caption(QStringLiteral("table")).contains(QStringLiteral("(bits)")));
        QVERIFY(view.caption(QStringLiteral("table")).contains(QStringLiteral("40 examples of sentences.txt")));
    }

    void distributionCountsValuesBin()
    {
        CorpusView view;
        QVERIFY(view.open(m_run));
        view.chooseScore(QStringLiteral("head-stats/entropy"));
        const int heads = view.table()->columnCount();
        const int64_t entry = 1 * heads + 2;
        view.selectEntry(entry);
        QTRY_VERIFY(view.distributionReady());
        QVERIFY(view.caption(QStringLiteral("distribution")).contains(QStringLiteral("L1 H2")));
        // head-stats/entropy's column: the blocks before it in the manifest, then the entry.
        int64_t column = entry;
        for (const QJsonValue &score : jsonOf(m_run + QStringLiteral("/manifest.json")).value(QStringLiteral("scores")).toArray()) {
            if (score.toObject().value(QStringLiteral("name")).toString() == QLatin1String("head-stats/entropy"))
                break;
            int64_t size = 1;
            for (const QJsonValue &extent : score.toObject().value(QStringLiteral("shape")).toArray())
                size *= extent.toInteger();
            column += size;
        }
        const std::vector<double> values = columnOf(column);
        QCOMPARE(int64_t(values.size()), int64_t(40));
        const CorpusHistogram &histogram = view.histogram();
        QCOMPARE(histogram.low, *std::min_element(values.begin(), values.end()));
        QCOMPARE(histogram.high, *std::max_element(values.begin(), values.end()));
        const int bins = int(histogram.counts.size());
        QVERIFY(bins >= 5);
        std::vector<int64_t> counts(size_t(bins), 0);
        for (const double value : values) {
            int bin = int(std::floor((value - histogram.low) / (histogram.high - histogram.low) * bins));
            ++counts[size_t(std::min(bin, bins - 1))];
        }
        QCOMPARE(histogram.counts, counts);
        QCOMPARE(histogram.values, int64_t(40));
        QVERIFY(view.figure(QStringLiteral("distribution")) != nullptr);
    }

    void topListIsTheAggregates()
    {
        CorpusView view;
        QVERIFY(view.open(m_run));
        view.chooseScore(QStringLiteral("sinks/first_token"));
        const int heads = view.table()->columnCount();
        view.selectEntry(heads + 1); // L1 H1
        const QJsonArray top = m_aggregate.value(QStringLiteral("scores")).toObject().value(QStringLiteral("sinks/first_token"))
                                   .toObject().value(QStringLiteral("top")).toArray().at(heads + 1).toArray();
        QCOMPARE(top.size(), 5);
        QCOMPARE(view.topExamples()->rowCount(), top.size());
        for (int row = 0; row < top.size(); ++row) {
            const int64_t index = top.at(row).toArray().at(0).toInteger();
            QCOMPARE(view.topExamples()->item(row, 0)->data(Qt::UserRole).toLongLong(), index);
            QCOMPARE(view.topExamples()->item(row, 1)->text(), QString::number(index));
            QCOMPARE(view.topExamples()->item(row, 2)->text(), QString::number(index + 1)); // one example per line
            QCOMPARE(view.topExamples()->item(row, 4)->text(), m_lines.at(int(index)));
            const double shown = view.topExamples()->item(row, 0)->text().toDouble();
            QVERIFY(std::abs(shown - top.at(row).toArray().at(1).toDouble()) < 1e-3);
        }
    }

    void openingAnExampleFillsTheWorkspace()
    {
        MainWindow window;
        window.resize(1024, 768);
        window.show();
        QString error;
        QVERIFY2(window.openCorpusRun(m_run, &error), qPrintable(error));
        auto *view = window.findChild<CorpusView *>();
        QVERIFY(view);
        view->chooseScore(QStringLiteral("head-stats/entropy"));
        view->selectEntry(view->table()->columnCount() * 1 + 3); // L1 H3
        QTRY_VERIFY(view->distributionReady());
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCoreApplication::processEvents();
        saveSnapshot(window, QStringLiteral("corpus_view_1024x768"));
        view->findChild<QTabWidget *>()->setCurrentIndex(1);
        QCoreApplication::processEvents();
        saveSnapshot(window, QStringLiteral("corpus_view_qk_1024x768"));

        // File → Export… opens the page dialog on the chart last used (here the q/k map).
        QAction *exportAction = nullptr;
        for (QAction *action : window.findChildren<QAction *>())
            if (action->text() == QStringLiteral("&Export…"))
                exportAction = action;
        QVERIFY(exportAction && exportAction->isEnabled());
        QTemporaryDir out;
        bool exported = false;
        QTimer::singleShot(0, &window, [&] {
            auto *dialog = window.findChild<ExportFigureDialog *>();
            QVERIFY(dialog);
            QCOMPARE(dialog->request().view, QStringLiteral("corpus-qk"));
            QString problem;
            exported = dialog->exportTo(out.filePath(QStringLiteral("qk.png")), &problem);
            QVERIFY2(exported, qPrintable(problem));
            QCOMPARE(QImage(out.filePath(QStringLiteral("qk.png"))).size(), dialog->request().page.pixelSize());
            dialog->reject();
        });
        exportAction->trigger();
        QVERIFY(exported);
        const int64_t index = view->topExamples()->item(0, 0)->data(Qt::UserRole).toLongLong();
        view->openTopExample(0);
        AttentionWorkspace *workspace = window.workspace();
        QVERIFY(workspace);
        QCOMPARE(workspace->text(), m_lines.at(int(index)));
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("corpusRun"));
        QVERIFY(dock);
        QCOMPARE(dock->widget(), view); // still at hand: at 1024 pixels folded away, F7 brings it
        QVERIFY(!dock->isVisible());
        dock->toggleViewAction()->trigger();
        QVERIFY(dock->isVisible() && view->isVisible());
        QCOMPARE(dock->toggleViewAction()->shortcut(), QKeySequence(Qt::Key_F7));
        QTRY_VERIFY_WITH_TIMEOUT(!workspace->run()->isRunning(), 60000);
        QTRY_COMPARE(workspace->layer(), 1); // the head the example was chosen for
        QCOMPARE(workspace->head(), 3);
        saveSnapshot(window, QStringLiteral("corpus_example_opened_1024x768"));
        // A second example reuses the workspace of the same model.
        view->openTopExample(1);
        QCOMPARE(window.workspace(), workspace);
        QCOMPARE(workspace->text(), m_lines.at(int(view->topExamples()->item(1, 0)->data(Qt::UserRole).toLongLong())));
        QTRY_VERIFY_WITH_TIMEOUT(!workspace->run()->isRunning(), 60000);
    }

    void droppedOrGivenRunOpensInTheWindow()
    {
        MainWindow window;
        window.show();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(m_run)});
        QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QTRY_VERIFY(qobject_cast<CorpusView *>(window.centralWidget()));
        QVERIFY(qobject_cast<CorpusView *>(window.centralWidget())->problem().isEmpty());
        MainWindow given; // `attnscope DIR`
        QString error;
        QVERIFY2(given.openPath(m_run, &error), qPrintable(error));
        QVERIFY(qobject_cast<CorpusView *>(given.centralWidget()));
    }

    void queryKeyPointsOpenTheirExample()
    {
        CorpusView view;
        QVERIFY(view.open(m_run));
        const CorpusRunModel *run = view.run();
        QVERIFY(run->hasQueryKeys());
        QCOMPARE(int64_t(run->sampleExamples().size()), int64_t(60));
        QCOMPARE(run->queryKeys(1, 2).tokens(), int64_t(60));
        QVERIFY(view.figure(QStringLiteral("qk")) != nullptr);
        QVERIFY(view.caption(QStringLiteral("qk")).contains(QStringLiteral("60 tokens")));
        QSignalSpy chosen(&view, &CorpusView::exampleChosen);
        const int key = 60 + 7; // the key point of sample token 7
        view.openSampleToken(key);
        QCOMPARE(chosen.count(), 1);
        const auto choice = chosen.first().first().value<CorpusExampleChoice>();
        QCOMPARE(choice.index, run->sampleExamples()[7]);
        QCOMPARE(choice.text, m_lines.at(int(choice.index)));
        QVERIFY(run->tokenInContext(7).contains(QLatin1Char('[')));

        // Hovering a point names its token in context; clicking it opens that example.
        view.resize(1024, 700);
        view.show();
        view.findChild<QTabWidget *>()->setCurrentIndex(1);
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto *canvas = view.findChild<PaintCanvas *>(QStringLiteral("corpusQueryKeys"));
        QVERIFY(canvas && canvas->isVisible());
        QPoint under;
        QString tip;
        for (int y = 0; y < canvas->height() && tip.isEmpty(); y += 2)
            for (int x = 0; x < canvas->width() && tip.isEmpty(); x += 2)
                if (!(tip = canvas->tooltip(QPointF(x, y))).isEmpty())
                    under = QPoint(x, y);
        QVERIFY2(tip.contains(QStringLiteral(", position ")) && tip.contains(QLatin1Char('[')), qPrintable(tip));
        const int64_t example = tip.section(QStringLiteral("example "), 1).section(QLatin1Char(','), 0, 0).toLongLong();
        QTest::mouseClick(canvas, Qt::LeftButton, {}, under);
        QCOMPARE(chosen.count(), 2);
        QCOMPARE(chosen.last().first().value<CorpusExampleChoice>().index, example);
    }

    void perLayerScoreDrawsItsBand()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/config.json")))
            QSKIP("shared test data absent: no stories260K under ATTNSCOPE_SHARED_DIR");
        const QString corpus = m_dir.filePath(QStringLiteral("stories.txt"));
        writeFile(corpus, "Once upon a time there was a little dog.\nThe cat sat on the mat and smiled.\nLily went to the park with her mom.\n"
                          "Tom had a big red ball.\nThe sun was warm and the birds sang.\nShe said hello to the old tree.\n");
        const QString out = m_dir.filePath(QStringLiteral("stories-run"));
        const QString failure = runBatch({kStories, QStringLiteral("--inputs"), corpus, QStringLiteral("--out"), out});
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        CorpusView view;
        QVERIFY(view.open(out));
        const QString agreement = QStringLiteral("logit-lens/top1_agreement");
        QVERIFY(view.scoreNames().contains(agreement));
        view.chooseScore(agreement);
        QVERIFY(dynamic_cast<CorpusBandFigure *>(view.figure(QStringLiteral("table")).get()));
        view.selectEntry(2);
        QTRY_VERIFY(view.distributionReady());
        QVERIFY(view.caption(QStringLiteral("distribution")).contains(QStringLiteral("after L1")));
        QVERIFY(view.caption(QStringLiteral("table")).contains(QStringLiteral("per layer")));
        const QJsonObject score = jsonOf(out + QStringLiteral("/aggregate.json")).value(QStringLiteral("scores")).toObject()
                                      .value(agreement).toObject();
        const QJsonArray top = score.value(QStringLiteral("top")).toArray().at(2).toArray();
        QCOMPARE(view.topExamples()->rowCount(), top.size());
        for (int row = 0; row < top.size(); ++row)
            QCOMPARE(view.topExamples()->item(row, 0)->data(Qt::UserRole).toLongLong(), top.at(row).toArray().at(0).toInteger());
        int64_t total = 0;
        for (const int64_t count : view.histogram().counts)
            total += count;
        QCOMPARE(total + view.histogram().undefined, int64_t(6));
        view.resize(1024, 640);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        saveSnapshot(view, QStringLiteral("corpus_view_per_layer"));
        // Clicking near the line's right end chooses the last stream.
        auto *band = view.findChild<PaintCanvas *>(QStringLiteral("corpusBand"));
        QVERIFY(band && band->isVisible());
        QTest::mouseClick(band, Qt::LeftButton, {}, QPoint(band->width() - 24, band->height() / 2));
        const int64_t last = int64_t(score.value(QStringLiteral("mean")).toArray().size()) - 1;
        QCOMPARE(view.selectedEntry(), last);
        QVERIFY(view.caption(QStringLiteral("distribution")).contains(QStringLiteral("after L%1").arg(last - 1)));
    }

    void chartsExportAsFigures()
    {
        CorpusView view;
        QVERIFY(view.open(m_run));
        view.chooseScore(QStringLiteral("head-stats/entropy"));
        view.selectEntry(view.table()->columnCount() * 1 + 3); // L1 H3
        QTRY_VERIFY(view.distributionReady());
        QTemporaryDir dir;
        for (const QString &chart : {QStringLiteral("table"), QStringLiteral("distribution"), QStringLiteral("qk")}) {
            const std::unique_ptr<FigureContent> figure = view.figure(chart);
            QVERIFY(figure);
            QVERIFY2(figure->title().contains(QStringLiteral("sentences.txt")), qPrintable(figure->title()));
            QVERIFY2(figure->title().contains(chart == QLatin1String("qk") ? QStringLiteral("60 tokens") : QStringLiteral("n = 40")),
                     qPrintable(figure->title()));
            if (chart != QLatin1String("table"))
                QVERIFY2(figure->title().contains(QStringLiteral("L1 H3")), qPrintable(figure->title()));
            FigurePage page;
            const QString svg = dir.filePath(chart + QStringLiteral(".svg"));
            writeFigure(svg, page, *figure);
            QVERIFY(contentOf(svg).contains("sentences.txt"));
            const QImage image = figureImage(page, *figure);
            QCOMPARE(image.size(), page.pixelSize());
            if (!qEnvironmentVariableIsEmpty("ATTNSCOPE_SNAPSHOTS"))
                image.save(qEnvironmentVariable("ATTNSCOPE_SNAPSHOTS") + QStringLiteral("/corpus_figure_%1.png").arg(chart));
        }
    }

};

QTEST_MAIN(TestCorpusView)
#include "test_corpus_view.moc"
