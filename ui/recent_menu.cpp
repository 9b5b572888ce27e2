#include "ui/recent_menu.h"

#include <QDir>
#include <QFileInfo>

#include "ui/model_display_name.h"
#include "ui/recent_items.h"

namespace attnscope {

RecentMenu::RecentMenu(const QString &title, RecentItems *items, QWidget *parent)
    : QMenu(title, parent), m_items(items)
{
    setToolTipsVisible(true);
    connect(this, &QMenu::aboutToShow, this, &RecentMenu::rebuild);
    // Queued: the change may come from one of this menu's own actions, which rebuild deletes.
    connect(m_items, &RecentItems::changed, this, &RecentMenu::rebuild, Qt::QueuedConnection);
    rebuild();
}

void RecentMenu::rebuild()
{
    clear();
    const QStringList paths = m_items->paths();
    menuAction()->setEnabled(!paths.isEmpty());
    for (int i = 0; i < paths.size(); ++i) {
        const QString &path = paths[i];
        // Keyboard accelerators &1…&9 for the first nine entries.
        const QString prefix = i < 9 ? QStringLiteral("&%1  ").arg(i + 1) : QString();
        QAction *action = addAction(prefix + modelDisplayName(path));
        const bool exists = QFileInfo::exists(path);
        action->setEnabled(exists);
        action->setToolTip(exists ? QDir::toNativeSeparators(path)
                                  : tr("%1 no longer exists").arg(QDir::toNativeSeparators(path)));
        connect(action, &QAction::triggered, this, [this, path] { Q_EMIT pathChosen(path); });
    }
    if (paths.isEmpty())
        return;
    addSeparator();
    connect(addAction(tr("Clear List")), &QAction::triggered, m_items, &RecentItems::clear);
}

} // namespace attnscope
