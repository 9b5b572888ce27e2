#pragma once
// A decoder-only language model (GPT-2, LLaMA …): besides Model::forward it runs new tokens
// after the ones held in a KV cache, which is what generation needs.

#include "core/models/common/decoder_attention.h"
#include "core/models/model.h"

namespace attnscope {

class ModelConfig;

class CausalLanguageModel : public Model {
public:
    const ModelInfo &info() const override { return m_info; }

    // Logits [T, vocab] of the whole input (positions 0…T-1, no cache).
    torch::Tensor forward(const ModelInput &input, const AttentionPlan &plan,
                          AttentionRecorder *recorder) const override;

    // Logits [T, vocab] of `ids` ([T] int64) placed after the cache's positions; the cache
    // grows by T. No gradients.
    torch::Tensor forwardCached(const torch::Tensor &ids, KvCache &cache,
                                const AttentionPlan &plan, AttentionRecorder *recorder) const;

    // Longest sequence the family can place (0 = no limit), checked before decode().
    virtual int64_t positionLimit() const { return 0; }

protected:
    // ids [T] checked against the vocabulary; positions [T] start after the cache.
    virtual torch::Tensor decode(const torch::Tensor &ids, const torch::Tensor &positions,
                                 const DecoderPass &pass) const = 0;

    // Type, architecture, folder, vocabulary and maximum positions from the config.
    void describe(const QString &modelDir, const ModelConfig &config);

    ModelInfo m_info;

private:
    torch::Tensor run(const torch::Tensor &ids, int64_t offset, const DecoderPass &pass) const;
};

} // namespace attnscope
