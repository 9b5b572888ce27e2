#include "core/io/hub_cache.h"

#include <algorithm>
#include <set>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include "core/io/input_error.h"
#include "core/io/model_config.h"

namespace attnscope {

namespace {

const QLatin1String kModelPrefix("models--");

// refs/<name> files (refs/pr/1 included) hold the commit hash their snapshot is named after.
QHash<QString, QStringList> refsByCommit(const QString &repoDir)
{
    QHash<QString, QStringList> refs;
    const QDir refsDir(QDir(repoDir).filePath(QStringLiteral("refs")));
    QDirIterator it(refsDir.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QString commit = QString::fromUtf8(file.read(256)).trimmed();
        refs[commit] << refsDir.relativeFilePath(file.fileName());
    }
    return refs;
}

void measureFiles(HubModel &model)
{
    std::set<QString> counted; // two names linking to one blob take its space once
    // QDir::System lists dangling symlinks, which QDir::Files alone skips.
    QDirIterator it(model.path, QDir::Files | QDir::System | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        if (!info.exists()) {
            ++model.missingFiles;
            continue;
        }
        if (counted.insert(info.canonicalFilePath()).second)
            model.sizeBytes += info.size(); // size() follows symlinks to the blob
    }
}

void readConfig(HubModel &model)
{
    if (!QFileInfo::exists(QDir(model.path).filePath(QStringLiteral("config.json")))) {
        model.problem = QStringLiteral("no config.json (not a model snapshot)");
        return;
    }
    try {
        const ModelConfig config = ModelConfig::load(model.path);
        model.architectures = config.architectures();
        model.modelType = config.modelType();
    } catch (const InputError &error) {
        model.problem = QFileInfo(error.source()).fileName() + QStringLiteral(": ")
                        + error.problem();
    }
}

HubModel describeSnapshot(const QString &repoId, const QString &snapshotDir,
                          const QStringList &refs)
{
    HubModel model;
    model.repoId = repoId;
    model.path = snapshotDir;
    model.revision = QFileInfo(snapshotDir).fileName();
    model.refs = refs;
    measureFiles(model);
    readConfig(model);
    if (model.problem.isEmpty() && model.missingFiles > 0)
        model.problem = QStringLiteral("incomplete download: %1 file(s) missing")
                            .arg(model.missingFiles);
    return model;
}

QString repoIdFromFolderName(const QString &folder)
{
    return folder.mid(kModelPrefix.size()).replace(QStringLiteral("--"), QStringLiteral("/"));
}

bool isMain(const HubModel &model)
{
    return model.refs.contains(QStringLiteral("main"));
}

} // namespace

QStringList hubCacheDirs()
{
    QStringList candidates;
    const auto addFromEnv = [&candidates](const char *name, const QString &suffix) {
        const QString value = qEnvironmentVariable(name);
        if (!value.isEmpty())
            candidates << (suffix.isEmpty() ? value : QDir(value).filePath(suffix));
    };
    addFromEnv("HF_HUB_CACHE", QString());
    addFromEnv("HUGGINGFACE_HUB_CACHE", QString()); // the older name of HF_HUB_CACHE
    addFromEnv("TRANSFORMERS_CACHE", QString());
    addFromEnv("HF_HOME", QStringLiteral("hub"));
    const QString xdgCache = qEnvironmentVariable("XDG_CACHE_HOME",
                                                  QDir::home().filePath(QStringLiteral(".cache")));
    candidates << QDir(xdgCache).filePath(QStringLiteral("huggingface/hub"));

    QStringList dirs;
    QStringList seen;
    for (const QString &candidate : candidates) {
        const QFileInfo info(candidate);
        if (!info.isDir() || seen.contains(info.canonicalFilePath()))
            continue;
        seen << info.canonicalFilePath();
        dirs << info.absoluteFilePath();
    }
    return dirs;
}

QVector<HubModel> scanHubCache(const QString &cacheDir)
{
    QVector<HubModel> models;
    const QDir cache(cacheDir);
    const QStringList repos = cache.entryList({kModelPrefix + QLatin1Char('*')},
                                              QDir::Dirs | QDir::NoDotAndDotDot,
                                              QDir::Name | QDir::IgnoreCase);
    for (const QString &repoName : repos) {
        const QString repoId = repoIdFromFolderName(repoName);
        const QString repoDir = cache.filePath(repoName);
        const QHash<QString, QStringList> refs = refsByCommit(repoDir);
        const QDir snapshots(QDir(repoDir).filePath(QStringLiteral("snapshots")));
        QVector<HubModel> repoModels;
        for (const QString &revision :
             snapshots.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            repoModels << describeSnapshot(repoId, snapshots.filePath(revision),
                                           refs.value(revision));
        std::stable_sort(repoModels.begin(), repoModels.end(),
                         [](const HubModel &a, const HubModel &b) { return isMain(a) && !isMain(b); });
        models << repoModels;
    }
    return models;
}

QVector<HubModel> scanHubCaches(const QStringList &cacheDirs)
{
    QVector<HubModel> models;
    for (const QString &dir : cacheDirs)
        models << scanHubCache(dir);
    return models;
}

QString hubRepoIdOf(const QString &dir)
{
    const QFileInfo snapshot(QDir::cleanPath(QFileInfo(dir).absoluteFilePath()));
    const QFileInfo snapshots(snapshot.path());
    const QString repoFolder = QFileInfo(snapshots.path()).fileName();
    if (snapshots.fileName() != QLatin1String("snapshots") || !repoFolder.startsWith(kModelPrefix))
        return QString();
    return repoIdFromFolderName(repoFolder);
}

} // namespace attnscope
