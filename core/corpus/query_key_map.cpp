#include "core/corpus/query_key_map.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/io/safetensors_writer.h"

namespace attnscope {

torch::Tensor principalComponents(const torch::Tensor &points)
{
    const torch::Tensor centred = points.to(torch::kFloat64) - points.to(torch::kFloat64).mean(0, true);
    const auto [u, s, vh] = torch::linalg::svd(centred, false, c10::nullopt);
    torch::Tensor projected = centred.matmul(vh.narrow(0, 0, std::min<int64_t>(2, vh.size(0))).t());
    if (projected.size(1) < 2) // fewer than two dimensions: the second axis is 0
        projected = torch::cat({projected, torch::zeros({projected.size(0), 2 - projected.size(1)}, torch::kFloat64)}, 1);
    for (int64_t axis = 0; axis < 2; ++axis) {
        const torch::Tensor column = projected.select(1, axis);
        if (column.index({column.abs().argmax()}).item<double>() < 0)
            column.neg_();
    }
    return projected;
}

torch::Tensor jointQueryKeyMap(const torch::Tensor &queries, const torch::Tensor &keys)
{
    torch::Tensor q = queries.to(torch::kFloat64), k = keys.to(torch::kFloat64);
    k = k - k.mean(0, true) + q.mean(0, true);
    const double scale = std::sqrt(k.norm(2, 1).mean().item<double>() / std::max(1e-300, q.norm(2, 1).mean().item<double>()));
    return principalComponents(torch::cat({q * scale, k / scale}, 0));
}

void QueryKeySample::add(const AttentionRecord &record, int64_t example)
{
    if (full() || !record.hasQueriesAndKeys())
        return;
    const int64_t take = std::min(record.queries(), m_wanted - m_taken);
    m_queries.resize(size_t(record.layers()), std::vector<torch::Tensor>(size_t(record.heads())));
    m_keys.resize(size_t(record.layers()), std::vector<torch::Tensor>(size_t(record.heads())));
    for (int layer = 0; layer < record.layers(); ++layer) {
        const torch::Tensor q = record.queries(layer).narrow(1, 0, take).to(torch::kFloat32);
        const torch::Tensor k = record.keys(layer).narrow(1, 0, take).to(torch::kFloat32);
        for (int64_t head = 0; head < record.heads(); ++head) {
            torch::Tensor &queries = m_queries[size_t(layer)][size_t(head)], &keys = m_keys[size_t(layer)][size_t(head)];
            queries = queries.defined() ? torch::cat({queries, q[head]}) : q[head].clone();
            keys = keys.defined() ? torch::cat({keys, k[head]}) : k[head].clone();
        }
    }
    for (int64_t position = 0; position < take; ++position) {
        m_example.push_back(example);
        m_position.push_back(position);
        m_texts << record.tokens.at(size_t(position)).text;
    }
    m_taken += take;
}

void QueryKeySample::write(const QString &path) const
{
    if (m_taken == 0)
        return;
    NamedTensors tensors;
    for (size_t layer = 0; layer < m_queries.size(); ++layer)
        for (size_t head = 0; head < m_queries[layer].size(); ++head)
            tensors.emplace_back(QStringLiteral("L%1H%2").arg(layer).arg(head).toStdString(),
                                 jointQueryKeyMap(m_queries[layer][head], m_keys[layer][head]).to(torch::kFloat32));
    tensors.emplace_back("example", torch::tensor(m_example, torch::kInt64));
    tensors.emplace_back("position", torch::tensor(m_position, torch::kInt64));
    writeSafetensors(path, tensors,
                     {{QStringLiteral("tokens"), QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(m_texts)).toJson(QJsonDocument::Compact))},
                      {QStringLiteral("rows"), QStringLiteral("each head's map holds the sample's queries, then its keys")}});
}

} // namespace attnscope
