// MainWindow's Help menu: the user guide (the README's usage), the keyboard shortcuts of the
// actual actions, the tour again, About. Guide and shortcuts stay open beside the window.
#include "ui/mainwindow.h"
#include "ui/mainwindow_private.h"

#include <QMessageBox>

#include "ui/about_dialog.h"
#include "ui/demo_launcher.h"
#include "ui/keyboard_shortcuts.h"
#include "ui/user_guide.h"

namespace attnscope {

namespace {
template <typename Dialog>
void showBeside(Dialog *dialog)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    dialog->raise();
}
} // namespace

void MainWindow::showAbout()
{
    AboutDialog dialog(this);
    dialog.exec();
}

void MainWindow::showUserGuide() { showBeside(new UserGuideDialog(this)); }

void MainWindow::showShortcuts() { showBeside(new KeyboardShortcutsDialog(*this, this)); }

void MainWindow::restartTour()
{
    QString error;
    if (!d->demos->restartTour(&error))
        QMessageBox::warning(this, tr("Cannot Start the Tour"), error);
}

} // namespace attnscope
