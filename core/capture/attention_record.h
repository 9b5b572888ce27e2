#pragma once
// Everything one forward pass showed about attention: tokens, per layer × head
// probabilities, logits, and per layer Q and K. Dense while L·H·T² floats fit the budget;
// beyond it only Q, K (and what is needed to recompute) are kept, and any tile, row or
// layer is recomputed exactly on demand through the same kernel code that ran the model.

#include <memory>
#include <vector>

#include <QString>
#include <QStringList>
#include <torch/types.h>

#include "core/capture/attention_recorder.h"

namespace attnscope {

struct RecordedToken {
    QString text;          // display string
    int64_t id = -1;       // vocabulary id (-1 for image patches)
    qint64 byteBegin = -1; // UTF-8 byte offsets into the input text, -1 when none
    qint64 byteEnd = -1;
    bool special = false;
    int typeId = 0;        // sentence A = 0, B = 1
};

class AttentionRecord : public AttentionRecorder {
public:
    static constexpr int64_t kDefaultDenseBudgetBytes = int64_t(1) << 30;
    explicit AttentionRecord(int64_t denseBudgetBytes = kDefaultDenseBudgetBytes);
    ~AttentionRecord() override;

    // From probabilities computed elsewhere ([L, H, T, T]): no Q/K, always dense.
    static std::shared_ptr<AttentionRecord> fromProbabilities(const torch::Tensor &attentions);

    int64_t layers() const;
    int64_t heads() const;
    int64_t queries() const;
    int64_t keys() const;
    bool isDense() const;
    bool hasQueriesAndKeys() const;

    // Exact probabilities [r1 - r0, c1 - c0] of one head.
    torch::Tensor tile(int layer, int head, int64_t r0, int64_t r1, int64_t c0, int64_t c1) const;
    torch::Tensor row(int layer, int head, int64_t query) const;    // [S]
    torch::Tensor column(int layer, int head, int64_t key) const;   // [T]
    torch::Tensor layer(int layer) const;                           // [H, T, S]
    torch::Tensor all() const;                                      // [L, H, T, S]; throws over budget
    torch::Tensor queries(int layer) const;                         // [H, T, d]
    torch::Tensor keys(int layer) const;                            // [H, S, d] per query head
    double scoreScale(int layer) const;                             // scores = q·kᵀ·scoreScale
    double softCap(int layer) const;       // > 0: scores soft-capped as cap·tanh(s / cap) (Gemma 2)
    // > 0: query i sees only keys j > i + (S − T) − window (a local layer); 0 when it sees
    // every earlier key, or when the record holds no queries and keys (attention files).
    int64_t slidingWindow(int layer) const;

    // What recomputes one layer's tiles without its probabilities: q, k (mask, scale …) and,
    // for the reference heads, each row's max and sum of exp(score − max), [H, T] each.
    struct CompactLayer {
        AttentionInputs inputs;
        torch::Tensor rowMax, rowSum;
    };
    CompactLayer compactLayer(int layer) const; // compact records only
    // A compact record from its layers (as a compact capture file holds them).
    static std::shared_ptr<AttentionRecord> fromCompactLayers(const std::vector<CompactLayer> &layers,
                                                              const AttentionPlan &plan);

    std::vector<RecordedToken> tokens;
    torch::Tensor logits;  // [T, vocab] or [classes]
    QString modelName;
    QStringList variantSpecs;

    // AttentionRecorder
    void beginForward(int64_t layers, int64_t heads, int64_t queries, int64_t keys) override;
    void recordLayer(const AttentionInputs &inputs, const AttentionPlan &plan) override;
    bool wantsProbabilities(int layer) const override;
    void recordRows(int layer, int64_t rowBegin, const torch::Tensor &probabilities) override;
    void recordNormalizers(int layer, int64_t rowBegin, const torch::Tensor &rowMax,
                           const torch::Tensor &rowSum) override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
