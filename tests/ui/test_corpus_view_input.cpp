// The Corpus view on runs it cannot use, whole or in part: a folder that is no run, a run
// without its aggregate, values.bin cut short, a broken aggregate or one of another state of
// the run each give one line in the view (and from `attnscope DIR`); an example whose corpus
// line changed or whose model folder is gone is not opened, and the status line says why; a
// run without a query–key sample says how to make one.

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "corpus_test_run.h"
#include "ui/corpus/corpus_run_model.h"
#include "ui/corpus/corpus_view.h"
#include "ui/mainwindow.h"

using namespace attnscope;
using namespace corpus_test;

class TestCorpusViewInput : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_run;
    QStringList m_lines;
    QJsonObject m_aggregate;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the window's settings
        m_lines = corpusLines(40);
        const QString corpus = m_dir.filePath(QStringLiteral("sentences.txt"));
        writeFile(corpus, m_lines.join(QLatin1Char('\n')).toUtf8() + '\n');
        m_run = m_dir.filePath(QStringLiteral("run"));
        const QString failure = runBatch({kGrammar, QStringLiteral("--inputs"), corpus, QStringLiteral("--out"), m_run,
                                          QStringLiteral("--qk-sample"), QStringLiteral("20")});
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        m_aggregate = jsonOf(m_run + QStringLiteral("/aggregate.json"));
    }

    void badRunsGiveOneMessage_data()
    {
        QTest::addColumn<QString>("broken");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not a run") << "empty" << "manifest.json";
        QTest::newRow("no aggregate") << "no-aggregate" << "aggregate.json: is missing";
        QTest::newRow("values cut short") << "cut" << "values.bin";
        QTest::newRow("aggregate broken") << "garbage" << "aggregate.json";
        QTest::newRow("aggregate of fewer examples") << "fewer" << "holds 40 examples but aggregate.json counts 39";
    }

    void badRunsGiveOneMessage()
    {
        QFETCH(QString, broken);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        if (broken == QLatin1String("no-aggregate"))
            copyRun(m_run, dir.path(), QStringLiteral("aggregate.json"));
        else if (broken != QLatin1String("empty"))
            copyRun(m_run, dir.path());
        const QString values = dir.filePath(QStringLiteral("values.bin")), aggregate = dir.filePath(QStringLiteral("aggregate.json"));
        if (broken == QLatin1String("cut"))
            QVERIFY(QFile(values).resize(QFileInfo(values).size() - 5));
        if (broken == QLatin1String("garbage"))
            writeFile(aggregate, "{\"examples\": 40, \"scores\": [");
        if (broken == QLatin1String("fewer")) {
            QJsonObject json = m_aggregate;
            json.insert(QStringLiteral("examples"), 39);
            writeFile(aggregate, QJsonDocument(json).toJson());
        }
        CorpusView view;
        QString error;
        QVERIFY(!view.open(dir.path(), &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
        QVERIFY(view.problem().contains(error));
        QVERIFY(view.figure(QStringLiteral("table")) == nullptr);
        // The window shows the same message and keeps going.
        MainWindow window;
        QVERIFY(!window.openPath(dir.path(), &error));
    }

    void examplesThatCannotBeOpenedSayWhy()
    {
        QTemporaryDir dir;
        copyRun(m_run, dir.path());
        // The corpus edited since the run: the example's line holds another text.
        QStringList edited = m_lines;
        for (QString &line : edited)
            line.prepend(QStringLiteral("edited "));
        const QString corpus = dir.filePath(QStringLiteral("edited.txt"));
        writeFile(corpus, edited.join(QLatin1Char('\n')).toUtf8() + '\n');
        QJsonObject manifest = jsonOf(dir.filePath(QStringLiteral("manifest.json")));
        manifest.insert(QStringLiteral("inputs"), corpus);
        writeFile(dir.filePath(QStringLiteral("manifest.json")), QJsonDocument(manifest).toJson());
        CorpusView view;
        QVERIFY(view.open(dir.path()));
        QSignalSpy chosen(&view, &CorpusView::exampleChosen);
        view.openTopExample(0);
        QCOMPARE(chosen.count(), 0);
        QVERIFY2(view.statusText().contains(QStringLiteral("the file changed since")), qPrintable(view.statusText()));
        // The model folder gone.
        manifest.insert(QStringLiteral("model"), dir.filePath(QStringLiteral("no-such-model")));
        writeFile(dir.filePath(QStringLiteral("manifest.json")), QJsonDocument(manifest).toJson());
        QVERIFY(view.open(dir.path()));
        view.openTopExample(0);
        QCOMPARE(chosen.count(), 0);
        QVERIFY2(view.statusText().contains(QStringLiteral("model folder")), qPrintable(view.statusText()));
    }

    void runWithoutQueryKeysSaysSo()
    {
        QTemporaryDir dir;
        copyRun(m_run, dir.path(), QStringLiteral("qk.safetensors"));
        CorpusView view;
        QVERIFY(view.open(dir.path()));
        QVERIFY(!view.run()->hasQueryKeys());
        QVERIFY(view.run()->queryKeyProblem().contains(QStringLiteral("--qk-sample")));
        QVERIFY(view.figure(QStringLiteral("qk")) == nullptr);
        QVERIFY(view.figure(QStringLiteral("table")) != nullptr);
    }
};

QTEST_MAIN(TestCorpusViewInput)
#include "test_corpus_view_input.moc"
