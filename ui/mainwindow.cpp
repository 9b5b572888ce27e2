#include "ui/mainwindow.h"

#include <QLabel>

namespace attnscope {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("AttnScope"));
    auto *hint = new QLabel(tr("Open a model folder with File → Open model folder…"), this);
    hint->setAlignment(Qt::AlignCenter);
    setCentralWidget(hint);
}

MainWindow::~MainWindow() = default;

} // namespace attnscope
