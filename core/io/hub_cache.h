#pragma once
// The Hugging Face hub cache on this computer: models downloaded by `transformers`,
// `huggingface_hub` or `huggingface-cli download`, listed without loading them.
// Layout: <cache>/models--ORG--NAME/{refs/<ref>, snapshots/<commit>/…, blobs/<hash>},
// where snapshot files are symlinks into blobs/. QtCore only.

#include <QString>
#include <QStringList>
#include <QVector>

namespace attnscope {

struct HubModel {
    QString repoId;        // "org/name" (or "name" for repos without an organisation)
    QString revision;      // snapshot folder name: the commit hash
    QStringList refs;      // refs pointing at this snapshot, e.g. {"main"}
    QString path;          // the snapshot folder, usable as MODEL_DIR
    QString modelType;     // config.json "model_type"; empty when unreadable
    QStringList architectures;
    qint64 sizeBytes = 0;  // real size of every file, blobs shared by two names counted once
    int missingFiles = 0;  // dangling symlinks: an interrupted download
    QString problem;       // why it cannot be opened as a model (no config.json …); empty when fine
};

// Cache folders to look in, most specific first, existing ones only, without duplicates:
// $HF_HUB_CACHE, $TRANSFORMERS_CACHE, $HF_HOME/hub, then ${XDG_CACHE_HOME:-~/.cache}/huggingface/hub.
QStringList hubCacheDirs();

// Every snapshot of every model repo under one cache folder, sorted by repo id, snapshots
// referenced by "main" first. Datasets and spaces are skipped. Never throws.
QVector<HubModel> scanHubCache(const QString &cacheDir);

// scanHubCache over several cache folders, concatenated.
QVector<HubModel> scanHubCaches(const QStringList &cacheDirs = hubCacheDirs());

// "org/name" when `dir` is a snapshot folder of a hub cache, else an empty string:
// snapshot folders are named after a commit hash, which says nothing to a reader.
QString hubRepoIdOf(const QString &dir);

} // namespace attnscope
