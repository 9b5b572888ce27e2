#pragma once
// The central area before any view claims it: how to open a model (menu, drag and drop,
// command line), the built-in demos of the Examples menu and their tour, the recent models as
// links.

#include <QWidget>

class QAction;
class QLabel;

namespace attnscope {

class RecentItems;

class WelcomePage : public QWidget {
    Q_OBJECT
public:
    // startTour: Help → Start the Tour Again, which the page offers as a button.
    WelcomePage(QAction *openModel, QAction *startTour, RecentItems *recentModels, QWidget *parent = nullptr);

Q_SIGNALS:
    void recentChosen(const QString &path);

private:
    void updateRecent();

    RecentItems *m_recentModels;
    QLabel *m_recent;
};

} // namespace attnscope
