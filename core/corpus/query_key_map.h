#pragma once
// The joint query–key map of each head (AttentionViz, Yeh et al. 2023): the query and key
// vectors of a sample of the corpus' tokens, projected together to 2-D so that a query lands
// near the keys it attends to. As AttentionViz does, keys are first moved so that their mean is
// the queries' mean (softmax ignores a shift of every key), and queries and keys are scaled by
// c and 1/c so that their mean norms match (q·k unchanged); then PCA of the union, through the
// SVD of the centred points.

#include <cstdint>
#include <vector>

#include <QString>
#include <QStringList>
#include <torch/types.h>

namespace attnscope {

class AttentionRecord;

// Rows [n, 2]: the first two principal components of `points` [n, d] (float64), each axis's
// sign fixed so that its largest |coordinate| is positive.
torch::Tensor principalComponents(const torch::Tensor &points);

// queries [n, d], keys [n, d] of one head → [2n, 2]: the n queries, then the n keys.
torch::Tensor jointQueryKeyMap(const torch::Tensor &queries, const torch::Tensor &keys);

// Collects the q and k of every head for the first `tokens` tokens of the examples given, then
// writes the map of each head ("L{l}H{h}" [2n, 2] float32) with each point's example, position
// and token text.
class QueryKeySample {
public:
    explicit QueryKeySample(int64_t tokens) : m_wanted(tokens) {}
    bool full() const { return m_taken >= m_wanted; }
    // Takes the record's tokens (until the sample is full).
    void add(const AttentionRecord &record, int64_t example);
    // Throws InputError when the file cannot be written; writes nothing for an empty sample.
    void write(const QString &path) const;

private:
    int64_t m_wanted = 0, m_taken = 0;
    std::vector<std::vector<torch::Tensor>> m_queries, m_keys; // [layer][head] → rows [t, d] per example
    std::vector<int64_t> m_example, m_position;
    QStringList m_texts;
};

} // namespace attnscope
