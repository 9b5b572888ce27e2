// MainWindow's drag and drop: a model folder or a corpus run dropped opens it; an image dropped
// runs the open vision model on it.
#include "ui/mainwindow.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QStatusBar>

#include "ui/attention_workspace.h"
#include "ui/corpus/corpus_run_model.h"

namespace attnscope {

namespace {

// The single local file or folder being dragged, if that is what is being dragged.
QString draggedPath(const QMimeData *mime)
{
    if (!mime->hasUrls() || mime->urls().size() != 1 || !mime->urls().first().isLocalFile())
        return QString();
    return mime->urls().first().toLocalFile();
}

QString draggedFolder(const QMimeData *mime)
{
    const QString path = draggedPath(mime);
    return QFileInfo(path).isDir() ? path : QString();
}

QString draggedFile(const QMimeData *mime) // an image, for vision models
{
    const QString path = draggedPath(mime);
    return QFileInfo(path).isFile() ? path : QString();
}

} // namespace

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!draggedFolder(event->mimeData()).isEmpty() || !draggedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString file = draggedFile(event->mimeData());
    if (!file.isEmpty()) {
        event->acceptProposedAction();
        AttentionWorkspace *view = workspace();
        if (!view || !view->isVision()) {
            statusBar()->showMessage(tr("Open a vision model (ViT, DeiT) to run it on %1").arg(QFileInfo(file).fileName()), 8000);
            return;
        }
        view->setImage(file);
        view->startRun();
        return;
    }
    const QString folder = draggedFolder(event->mimeData());
    if (folder.isEmpty())
        return;
    event->acceptProposedAction();
    // Queued: a message box must not block the drag-and-drop operation still in progress.
    QMetaObject::invokeMethod(this, [this, folder] {
            if (looksLikeCorpusRun(folder))
                openCorpusRun(folder); // a problem is shown in the corpus view
            else
                openModelFolderShowingErrors(folder);
        }, Qt::QueuedConnection);
}

} // namespace attnscope
