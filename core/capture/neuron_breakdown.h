#pragma once
// How one query–key score is made (bertviz's neuron view): the query and key vectors of a head
// (after RoPE, the key of the query head's KV group), their elementwise product times the
// layer's scale — each dimension's contribution — whose sum is the score, the score after
// Gemma 2's soft cap where the layer has one (what the softmax sees), and the weight the
// record holds for the pair after the softmax over the query's visible keys.

#include <torch/types.h>

namespace attnscope {

class AttentionRecord;

struct NeuronBreakdown {
    torch::Tensor query;         // [d] double
    torch::Tensor key;           // [d] double
    torch::Tensor contributions; // [d] double: query ∘ key · scale
    double scale = 1.0;
    double score = 0.0;          // Σ contributions
    double softCap = 0.0;        // > 0: the softmax sees cappedScore = cap·tanh(score / cap)
    double cappedScore = 0.0;    // the score the softmax sees (= score without a cap)
    double weight = 0.0;         // the recorded attention weight of the pair
};

// Throws std::invalid_argument when the record has no queries and keys (attention loaded
// from a file) or an index is out of range.
NeuronBreakdown neuronBreakdown(const AttentionRecord &record, int layer, int head, int64_t query, int64_t key);

} // namespace attnscope
