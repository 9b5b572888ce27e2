#include "ui/window_settings.h"

#include <QMainWindow>
#include <QSettings>
#include <QStatusBar>

namespace attnscope {

namespace {
// Bump when docks are renamed or rearranged by default, so stale layouts are ignored.
constexpr int kLayoutVersion = 2; // 2: the tour is a strip above the views
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kStatusBarKey = QStringLiteral("window/statusBar");
} // namespace

void saveWindowLayout(QMainWindow &window, QSettings &settings)
{
    settings.setValue(kGeometryKey, window.saveGeometry());
    settings.setValue(kStateKey, window.saveState(kLayoutVersion));
    settings.setValue(kStatusBarKey, !window.statusBar()->isHidden());
}

bool restoreWindowLayout(QMainWindow &window, QSettings &settings)
{
    const QByteArray geometry = settings.value(kGeometryKey).toByteArray();
    if (geometry.isEmpty() || !window.restoreGeometry(geometry))
        return false;
    window.restoreState(settings.value(kStateKey).toByteArray(), kLayoutVersion);
    window.statusBar()->setHidden(!settings.value(kStatusBarKey, true).toBool());
    return true;
}

} // namespace attnscope
