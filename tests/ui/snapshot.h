#pragma once
// With ATTNSCOPE_SNAPSHOTS=DIR set, a test saves what a widget shows as DIR/NAME.png, to be
// looked at; without it, nothing.

#include <QPixmap>
#include <QString>
#include <QWidget>

namespace attnscope {

inline void saveSnapshot(QWidget &widget, const QString &name)
{
    const QString directory = qEnvironmentVariable("ATTNSCOPE_SNAPSHOTS");
    if (!directory.isEmpty())
        widget.grab().save(directory + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace attnscope
