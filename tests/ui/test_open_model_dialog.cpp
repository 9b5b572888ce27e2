// The Open Model dialog on a fake Hugging Face cache: it lists the downloaded snapshots,
// refuses the ones that cannot be opened and returns the chosen snapshot folder.

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "ui/open_model_dialog.h"

using namespace attnscope;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

} // namespace

class TestOpenModelDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        const QString hub = m_root.filePath(QStringLiteral("hub"));
        writeFile(hub + QStringLiteral("/models--acme--tiny-gpt/snapshots/abc123/config.json"),
                  R"({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]})");
        writeFile(hub + QStringLiteral("/models--acme--tiny-gpt/refs/main"), "abc123");
        writeFile(hub + QStringLiteral("/models--acme--vocab/snapshots/def/tokenizer.json"), "{}");
        qputenv("HF_HUB_CACHE", hub.toUtf8());
        qputenv("XDG_CACHE_HOME", m_root.filePath(QStringLiteral("empty")).toUtf8());
        qunsetenv("HF_HOME");
        qunsetenv("TRANSFORMERS_CACHE");
        qunsetenv("HUGGINGFACE_HUB_CACHE");
    }

    void listsAndOpensDownloadedModels()
    {
        OpenModelDialog dialog(QDir::homePath());
        QSignalSpy scanned(&dialog, &OpenModelDialog::scanFinished);
        QVERIFY(scanned.wait(10000));
        QCOMPARE(scanned.first().first().toInt(), 2);

        auto *view = dialog.findChild<QTableView *>();
        QCOMPARE(view->model()->rowCount(), 2);
        QCOMPARE(view->model()->index(0, 0).data().toString(), QStringLiteral("acme/tiny-gpt"));
        QCOMPARE(view->model()->index(0, 1).data().toString(), QStringLiteral("main (abc123)"));
        QCOMPARE(view->model()->index(0, 2).data().toString(), QStringLiteral("GPT2LMHeadModel"));
        QCOMPARE(view->model()->index(0, 3).data().toString(), QStringLiteral("gpt2"));

        QPushButton *open = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Open);
        view->selectRow(1); // tokenizer only: cannot be opened, and says why
        QVERIFY(!open->isEnabled());
        bool explained = false;
        for (QLabel *label : dialog.findChildren<QLabel *>())
            explained = explained || label->text().contains(QStringLiteral("no config.json"));
        QVERIFY(explained);

        view->selectRow(0);
        QVERIFY(open->isEnabled());
        open->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.chosenFolder().endsWith(QStringLiteral("models--acme--tiny-gpt/snapshots/abc123")));
    }

    void filtersByArchitecture()
    {
        OpenModelDialog dialog(QDir::homePath());
        QSignalSpy scanned(&dialog, &OpenModelDialog::scanFinished);
        QVERIFY(scanned.wait(10000));
        dialog.findChild<QLineEdit *>()->setText(QStringLiteral("gpt2lm"));
        QCOMPARE(dialog.findChild<QTableView *>()->model()->rowCount(), 1);
    }

    void saysWhenNothingIsDownloaded()
    {
        qputenv("HF_HUB_CACHE", m_root.filePath(QStringLiteral("empty")).toUtf8());
        QVERIFY(QDir().mkpath(m_root.filePath(QStringLiteral("empty"))));
        OpenModelDialog dialog(QDir::homePath());
        QSignalSpy scanned(&dialog, &OpenModelDialog::scanFinished);
        QVERIFY(scanned.wait(10000));
        QCOMPARE(scanned.first().first().toInt(), 0);
        bool told = false;
        for (QLabel *label : dialog.findChildren<QLabel *>())
            told = told || label->text().contains(QStringLiteral("Browse Folder"));
        QVERIFY(told);
    }

private:
    QTemporaryDir m_root;
};

QTEST_MAIN(TestOpenModelDialog)
#include "test_open_model_dialog.moc"
