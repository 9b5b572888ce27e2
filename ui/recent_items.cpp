#include "ui/recent_items.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace attnscope {

namespace {
QString normalized(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}
} // namespace

RecentItems::RecentItems(const QString &settingsKey, int capacity, QObject *parent)
    : QObject(parent), m_key(settingsKey), m_capacity(capacity)
{
    m_paths = QSettings().value(m_key).toStringList().mid(0, m_capacity);
}

void RecentItems::add(const QString &path)
{
    const QString entry = normalized(path);
    m_paths.removeAll(entry);
    m_paths.prepend(entry);
    while (m_paths.size() > m_capacity)
        m_paths.removeLast();
    store();
}

void RecentItems::remove(const QString &path)
{
    if (m_paths.removeAll(normalized(path)) > 0)
        store();
}

void RecentItems::clear()
{
    m_paths.clear();
    store();
}

void RecentItems::store()
{
    QSettings().setValue(m_key, m_paths);
    Q_EMIT changed();
}

} // namespace attnscope
