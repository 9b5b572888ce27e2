#pragma once
// A most-recently-used list of paths (models, later images and attention files), newest
// first, kept in QSettings under one key.

#include <QObject>
#include <QStringList>

namespace attnscope {

class RecentItems : public QObject {
    Q_OBJECT
public:
    RecentItems(const QString &settingsKey, int capacity, QObject *parent = nullptr);

    QStringList paths() const { return m_paths; }
    void add(const QString &path); // moves it to the front; the oldest drops off past capacity
    void remove(const QString &path);
    void clear();

Q_SIGNALS:
    void changed();

private:
    void store();

    QString m_key;
    int m_capacity;
    QStringList m_paths;
};

} // namespace attnscope
