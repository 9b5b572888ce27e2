#pragma once
// The central area before any view claims it: how to open a model (menu, drag and drop,
// command line), the recent models as links, and the model folder last chosen.

#include <QWidget>

class QAction;
class QLabel;

namespace attnscope {

class RecentItems;

class WelcomePage : public QWidget {
    Q_OBJECT
public:
    WelcomePage(QAction *openModel, RecentItems *recentModels, QWidget *parent = nullptr);

Q_SIGNALS:
    void recentChosen(const QString &path);

private:
    void updateRecent();

    RecentItems *m_recentModels;
    QLabel *m_recent;
};

} // namespace attnscope
