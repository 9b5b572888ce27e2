#include "ui/model_display_name.h"

#include <QDir>
#include <QFileInfo>

#include "core/io/hub_cache.h"

namespace attnscope {

QString modelDisplayName(const QString &dir)
{
    const QString repoId = hubRepoIdOf(dir);
    if (!repoId.isEmpty())
        return repoId;
    return QFileInfo(QDir::cleanPath(dir)).fileName();
}

} // namespace attnscope
