#pragma once
// File → Open Recent: the entries of a RecentItems list, rebuilt each time it opens so it
// never shows a stale list. Entries whose path has gone are shown disabled.

#include <QMenu>

namespace attnscope {

class RecentItems;

class RecentMenu : public QMenu {
    Q_OBJECT
public:
    RecentMenu(const QString &title, RecentItems *items, QWidget *parent = nullptr);

Q_SIGNALS:
    void pathChosen(const QString &path);

private:
    void rebuild();

    RecentItems *m_items;
};

} // namespace attnscope
