#include "ui/window_screenshot.h"

#include <cstdio>

#include <QCoreApplication>
#include <QDir>
#include <QImageWriter>
#include <QPixmap>
#include <QTimer>
#include <QWidget>

namespace attnscope {

namespace {

// Long enough for layouts, fonts and polish to settle after the first paint.
constexpr int kSettleMs = 150;

int writeScreenshot(QWidget *window, const QString &pngPath)
{
    QImageWriter writer(pngPath, "png");
    if (writer.write(window->grab().toImage()))
        return 0;
    std::fprintf(stderr, "attnscope: cannot write screenshot %s: %s\n",
                 qPrintable(QDir::toNativeSeparators(pngPath)), qPrintable(writer.errorString()));
    return 1;
}

} // namespace

void scheduleScreenshotAndQuit(QWidget *window, const QString &pngPath)
{
    QTimer::singleShot(kSettleMs, window, [window, pngPath] {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::exit(writeScreenshot(window, pngPath));
    });
}

} // namespace attnscope
