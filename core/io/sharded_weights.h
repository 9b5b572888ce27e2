#pragma once
// A checkpoint split into shards by an index file (model.safetensors.index.json or
// pytorch_model.bin.index.json) whose "weight_map" names the shard holding each tensor.
// Every shard is opened, and every listed tensor checked to be in its shard, at open.

#include <functional>
#include <map>
#include <memory>

#include "core/io/weights.h"

namespace attnscope {

class ShardedWeights : public WeightSource {
public:
    using ShardOpener = std::function<std::unique_ptr<WeightSource>(const QString &path)>;

    // Throws InputError naming the index or the shard and the problem.
    static std::unique_ptr<ShardedWeights> open(const QString &indexPath, const ShardOpener &openShard);

    std::vector<std::string> names() const override; // shard by shard, in each shard's order
    bool contains(const std::string &name) const override;
    torch::Tensor load(const std::string &name) const override;
    QString fileOf(const std::string &name) const override;

private:
    const WeightSource &shardOf(const std::string &name) const;

    QString m_indexPath;
    std::map<QString, std::unique_ptr<WeightSource>> m_shards; // by file name
    std::vector<QString> m_shardOrder;
    std::map<std::string, QString> m_shardOfTensor;
};

} // namespace attnscope
