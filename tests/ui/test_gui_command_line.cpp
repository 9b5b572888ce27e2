// The real attnscope binary from the outside: --version and usage errors need no display,
// --screenshot writes a PNG of the window at the requested size, and a session opened from the
// command line shows its own head (or fails in one line when its model is gone).

#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct GuiResult {
    int exitCode = -1;
    bool finished = false;
    QByteArray out;
    QByteArray err;
};

// Runs attnscope with no display at all, so anything that wants one must ask for offscreen.
GuiResult runGui(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
        env.remove(QString::fromLatin1(name));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(ATTNSCOPE_GUI), arguments);
    GuiResult result;
    result.finished = process.waitForFinished(120000) && process.exitStatus() == QProcess::NormalExit;
    if (!result.finished)
        process.kill();
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4)
            colours.insert(image.pixel(x, y));
    return int(colours.size());
}

} // namespace

class TestGuiCommandLine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void versionNeedsNoDisplay()
    {
        const GuiResult result = runGui({QStringLiteral("--version")});
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.startsWith("attnscope " ATTNSCOPE_VERSION "\n"), result.out.constData());
        for (const char *library : {"Qt ", "LibTorch ", "OpenCV "})
            QVERIFY2(result.out.contains(library), library);
    }

    void helpListsTheOptions()
    {
        const GuiResult result = runGui({QStringLiteral("--help")});
        QCOMPARE(result.exitCode, 0);
        for (const char *option : {"--screenshot", "--size", "--demo", "MODEL_DIR", "--version"})
            QVERIFY2(result.out.contains(option), option);
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << QByteArray("bogus");
        QTest::newRow("two paths") << QStringList{QStringLiteral("a"), QStringLiteral("b")}
                                   << QByteArray("unexpected argument 'b'");
        QTest::newRow("bad size") << QStringList{QStringLiteral("--size"), QStringLiteral("big")}
                                  << QByteArray("--size 'big'");
        QTest::newRow("tiny size") << QStringList{QStringLiteral("--size"), QStringLiteral("10x10")}
                                   << QByteArray("--size '10x10'");
        QTest::newRow("not png") << QStringList{QStringLiteral("--screenshot"), QStringLiteral("a.jpg")}
                                 << QByteArray(".png");
        QTest::newRow("text without a model") << QStringList{QStringLiteral("--text"), QStringLiteral("hi")}
                                              << QByteArray("--text needs a MODEL_DIR");
        QTest::newRow("analysis without text") << QStringList{QStringLiteral("m"), QStringLiteral("--analysis"), QStringLiteral("flow")}
                                               << QByteArray("--analysis needs --text");
        QTest::newRow("unknown analysis") << QStringList{QStringLiteral("m"), QStringLiteral("--text"), QStringLiteral("hi"),
                                                          QStringLiteral("--analysis"), QStringLiteral("nope")}
                                          << QByteArray("unknown analysis 'nope'");
        QTest::newRow("unknown view") << QStringList{QStringLiteral("m"), QStringLiteral("--view"), QStringLiteral("matrix")}
                                      << QByteArray("unknown view 'matrix' (one of: head, model, lines, graph, image, token, neuron, analyses, generation)");
        QTest::newRow("negative head") << QStringList{QStringLiteral("m"), QStringLiteral("--head"), QStringLiteral("-1")}
                                       << QByteArray("--head '-1' is not a number from 0");
        QTest::newRow("missing value") << QStringList{QStringLiteral("--screenshot")}
                                       << QByteArray("screenshot");
    }

    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, message);
        const GuiResult result = runGui(arguments);
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.startsWith("attnscope: ") && result.err.contains(message),
                 result.err.constData());
        QCOMPARE(result.err.count('\n'), 1);
    }

    void noDisplaySaysSo()
    {
        const GuiResult result = runGui({});
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("no display"), result.err.constData());
    }

    void screenshotWritesTheWindow()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("window.png"));
        const GuiResult result = runGui({QStringLiteral("--screenshot"), png,
                                         QStringLiteral("--size"), QStringLiteral("1024x700")});
        QVERIFY(result.finished);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1024, 700));
        QVERIFY(distinctColours(image) > 8); // menus, text and icon, not a blank rectangle
    }

    void screenshotOfAModelFolder()
    {
        QTemporaryDir dir;
        QFile config(dir.filePath(QStringLiteral("config.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"model_type": "bert", "architectures": ["BertModel"]})");
        config.close();
        const QString png = dir.filePath(QStringLiteral("model.png"));
        const GuiResult result = runGui({QStringLiteral("--screenshot"), png, dir.path()});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(QImage(png).size(), QSize(1280, 800));
    }

    void badModelFolderExitsThree()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("no-such-model"));
        const GuiResult result = runGui({QStringLiteral("--screenshot"),
                                         dir.filePath(QStringLiteral("x.png")), missing});
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 3);
        QVERIFY2(result.err.contains(missing.toLocal8Bit()), result.err.constData());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.png"))));
    }

    // `attnscope FILE.attnscope` shows the session's head: its screenshot is the one with that
    // head named on the command line, not the one of head 0.
    void sessionKeepsItsHead()
    {
        const QString stories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
        if (!QFileInfo::exists(stories + QStringLiteral("/tokenizer.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("story.attnscope"));
        QFile file(session);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(QJsonObject{{"attnscope_session", 1}, {"source", stories},
                                             {"input", QJsonObject{{"text", "Once upon a time, Lily saw a cat."}}},
                                             {"selection", QJsonObject{{"layer", 3}, {"head", 5}}},
                                             {"view", "head"}})
                       .toJson());
        file.close();
        const auto screenshot = [&](const QString &name, const QStringList &options) {
            const QString png = dir.filePath(name);
            const GuiResult result = runGui(QStringList{session, QStringLiteral("--screenshot"), png} + options);
            if (!result.finished || result.exitCode != 0)
                qWarning("%s", result.err.constData());
            return QImage(png);
        };
        const QImage asSaved = screenshot(QStringLiteral("saved.png"), {});
        const QImage named = screenshot(QStringLiteral("named.png"),
                                        {QStringLiteral("--layer"), QStringLiteral("3"), QStringLiteral("--head"), QStringLiteral("5")});
        const QImage first = screenshot(QStringLiteral("first.png"),
                                        {QStringLiteral("--layer"), QStringLiteral("0"), QStringLiteral("--head"), QStringLiteral("0")});
        QVERIFY(!asSaved.isNull() && !named.isNull() && !first.isNull());
        // The views, right of the input box (whose text cursor blinks).
        const QRect views(asSaved.width() / 4, 0, asSaved.width() - asSaved.width() / 4, asSaved.height());
        QVERIFY(first.copy(views) != named.copy(views)); // the two heads look different, so the next line means something
        QVERIFY(asSaved.copy(views) == named.copy(views));
    }

    // The model folder a session names is gone: exit 3 at once with one line naming both.
    void sessionWithoutItsModelExitsThree()
    {
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("gone.attnscope"));
        QFile file(session);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(QJsonObject{{"attnscope_session", 1}, {"source", dir.filePath(QStringLiteral("gone-model"))},
                                             {"input", QJsonObject{{"text", "x"}}}})
                       .toJson());
        file.close();
        const GuiResult result = runGui({session, QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("x.png"))});
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 3);
        QList<QByteArray> ours; // Qt may add its own notes (XDG_RUNTIME_DIR …)
        for (const QByteArray &line : result.err.split('\n'))
            if (line.startsWith("attnscope: "))
                ours << line;
        QCOMPARE(ours.size(), 1);
        QVERIFY2(ours.first().contains(session.toLocal8Bit()) && ours.first().contains("gone-model")
                     && ours.first().contains("no longer exists"),
                 result.err.constData());
    }

    void unwritableScreenshotFails()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("missing-folder/window.png"));
        const GuiResult result = runGui({QStringLiteral("--screenshot"), png});
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("cannot write screenshot"), result.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestGuiCommandLine)
#include "test_gui_command_line.moc"
