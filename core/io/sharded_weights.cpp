#include "core/io/sharded_weights.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

#include "core/io/input_error.h"
#include "core/io/json_file.h"

namespace attnscope {

namespace {
QJsonObject readWeightMap(const QString &indexPath)
{
    const QJsonValue weightMap = readJsonObject(indexPath).value(QStringLiteral("weight_map"));
    if (!weightMap.isObject())
        throw InputError(indexPath, QStringLiteral("has no \"weight_map\" object"));
    return weightMap.toObject();
}

// Shards are plain file names next to the index; anything else could point outside the folder.
bool isPlainFileName(const QString &name)
{
    return !name.isEmpty() && !name.contains(QLatin1Char('/')) && !name.contains(QLatin1Char('\\'))
           && name != QLatin1String(".") && name != QLatin1String("..");
}
} // namespace

std::unique_ptr<ShardedWeights> ShardedWeights::open(const QString &indexPath,
                                                     const ShardOpener &openShard)
{
    std::unique_ptr<ShardedWeights> weights(new ShardedWeights);
    weights->m_indexPath = indexPath;
    const QDir folder = QFileInfo(indexPath).dir();
    const QJsonObject weightMap = readWeightMap(indexPath);
    for (auto it = weightMap.begin(); it != weightMap.end(); ++it) {
        const QString shard = it.value().toString();
        if (!it.value().isString() || !isPlainFileName(shard))
            throw InputError(indexPath, QStringLiteral("weight_map entry '%1' is not a shard file name")
                                            .arg(it.key()));
        if (!weights->m_shards.count(shard)) {
            const QString shardPath = folder.filePath(shard);
            if (!QFileInfo::exists(shardPath))
                throw InputError(indexPath, QStringLiteral("lists shard '%1' (for tensor '%2'), which does not exist")
                                                .arg(shard, it.key()));
            weights->m_shards.emplace(shard, openShard(shardPath));
            weights->m_shardOrder.push_back(shard);
        }
        const std::string name = it.key().toStdString();
        if (!weights->m_shards.at(shard)->contains(name))
            throw InputError(folder.filePath(shard),
                             QStringLiteral("has no tensor '%1', which %2 places in it")
                                 .arg(it.key(), QFileInfo(indexPath).fileName()));
        weights->m_shardOfTensor.emplace(name, shard);
    }
    std::sort(weights->m_shardOrder.begin(), weights->m_shardOrder.end());
    return weights;
}

std::vector<std::string> ShardedWeights::names() const
{
    std::vector<std::string> names;
    for (const QString &shard : m_shardOrder)
        for (const std::string &name : m_shards.at(shard)->names())
            if (m_shardOfTensor.count(name) && m_shardOfTensor.at(name) == shard)
                names.push_back(name);
    return names;
}

bool ShardedWeights::contains(const std::string &name) const
{
    return m_shardOfTensor.count(name) > 0;
}

const WeightSource &ShardedWeights::shardOf(const std::string &name) const
{
    const auto it = m_shardOfTensor.find(name);
    if (it == m_shardOfTensor.end())
        throw InputError(m_indexPath, QStringLiteral("lists no tensor '%1'").arg(QString::fromStdString(name)));
    return *m_shards.at(it->second);
}

torch::Tensor ShardedWeights::load(const std::string &name) const
{
    return shardOf(name).load(name);
}

QString ShardedWeights::fileOf(const std::string &name) const
{
    return shardOf(name).fileOf(name);
}

} // namespace attnscope
