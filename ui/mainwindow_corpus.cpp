// MainWindow's corpus runs (issue #29): File → Open Corpus Run…, a batch folder given on the
// command line or dropped, and the examples the Corpus view opens in the usual workspace.
#include "ui/mainwindow.h"

#include "ui/mainwindow_private.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QStatusBar>

#include "ui/attention_workspace.h"
#include "ui/corpus/corpus_run_model.h"
#include "ui/corpus/corpus_view.h"
#include "ui/session_file.h"

namespace attnscope {

namespace {

constexpr int kWideEnoughForBoth = 1600; // pixels: the workspace's maps and the corpus view side by side

} // namespace

bool MainWindow::openCorpusRun(const QString &dir, QString *error)
{
    // One Corpus view: in the centre, or in its dock once an example was opened beside it.
    CorpusView *view = findChild<CorpusView *>();
    const bool fresh = view == nullptr;
    if (fresh) {
        view = new CorpusView;
        view->setObjectName(QStringLiteral("corpusView"));
        connect(view, &CorpusView::exampleChosen, this, &MainWindow::openCorpusExample);
    }
    QString problem;
    const bool opened = view->open(dir, &problem);
    if (fresh) {
        setCentralView(view);
    } else if (auto *dock = qobject_cast<QDockWidget *>(view->parentWidget())) {
        dock->show();
        dock->raise();
    }
    d->menus.exportFigure->setEnabled(opened && centralWidget() == view);
    if (!opened) {
        if (error)
            *error = problem;
        statusBar()->showMessage(problem, 10000);
        return false;
    }
    setWindowTitle(tr("%1 — Corpus Run — AttnScope").arg(QFileInfo(QDir::cleanPath(dir)).fileName()));
    statusBar()->showMessage(tr("Corpus run %1").arg(QDir::toNativeSeparators(view->run()->dir())));
    return true;
}

void MainWindow::chooseCorpusRun()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a corpus run (the folder of attnscope-cli batch --out)"));
    if (!dir.isEmpty())
        openCorpusRun(dir); // a problem is shown in the view
}

void MainWindow::openCorpusExample(const CorpusExampleChoice &choice)
{
    const QString model = QDir::cleanPath(QFileInfo(choice.modelDir).absoluteFilePath());
    AttentionWorkspace *shown = workspace();
    if (!shown || shown->captureSession().source != model) {
        if (!QFileInfo::exists(QDir(model).filePath(QStringLiteral("config.json")))) {
            QMessageBox::warning(this, tr("Cannot Open Example"), tr("%1: no config.json, so not a model folder").arg(model));
            return;
        }
        // The workspace takes the centre; the corpus view stays at hand in a dock (View →
        // Corpus Run, F7), beside the workspace where the window is wide enough for both.
        if (auto *corpus = qobject_cast<CorpusView *>(centralWidget())) {
            takeCentralWidget(); // which hides it
            QDockWidget *dock = addDockView(QStringLiteral("corpusRun"), tr("Corpus Run"), corpus, Qt::RightDockWidgetArea);
            dock->toggleViewAction()->setShortcut(QKeySequence(Qt::Key_F7));
            corpus->show();
            dock->setVisible(width() >= kWideEnoughForBoth);
        }
        QString error;
        if (!openModelFolder(model, &error)) {
            QMessageBox::warning(this, tr("Cannot Open Example"), error);
            return;
        }
        shown = workspace();
    }
    shown->setText(choice.text);
    if (shown->readsPairs())
        shown->setTextPair(choice.pair);
    if (choice.layer >= 0 && choice.head >= 0)
        shown->showHead(choice.layer, choice.head);
    shown->startRun();
    statusBar()->showMessage(tr("Example %1 of the corpus run · F7 shows the corpus run").arg(choice.index), 10000);
}

} // namespace attnscope
