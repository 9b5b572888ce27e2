#pragma once
// How far a variant run is from the reference run: per layer and head, how different the
// attention maps are and how much of them the variant kept; on the outputs, how different
// the predicted distributions are and what that does to the loss.

#include <vector>

#include <torch/types.h>

namespace attnscope {

class AttentionRecord;

struct HeadComparison {
    // Mean over query rows of the Jensen–Shannon divergence (bits, 0 … 1) between the
    // reference row and the variant row (negative entries clipped, then renormalized; a row
    // with no mass left counts as 1).
    double jsDivergence = 0;
    // Entries the variant gives nonzero weight, over the entries the reference attends to.
    double keptFraction = 0;
    // Mean over rows of the reference attention mass on the entries the variant kept.
    double massKept = 0;
};

// [layer][head]. Both records must come from the same input and model.
std::vector<std::vector<HeadComparison>> compareAttention(const AttentionRecord &reference,
                                                          const AttentionRecord &variant);

struct TokenPrediction {
    int64_t id = -1;
    double probability = 0;
};

struct OutputComparison {
    double klDivergence = 0;  // mean over positions of KL(reference ‖ variant), nats
    double top1Agreement = 0; // fraction of positions whose most likely class agrees
    double referenceLoss = 0; // mean negative log-likelihood of the targets, nats
    double variantLoss = 0;
    int64_t scoredTargets = 0; // positions with a target (0: the losses are meaningless)
    std::vector<TokenPrediction> referenceTop5; // at the last position
    std::vector<TokenPrediction> variantTop5;
};

// logits [N, classes] (or [classes]) of both runs; targets [N] int64 with −1 where a
// position has nothing to predict (e.g. the last token of a causal LM).
OutputComparison compareOutputs(const torch::Tensor &referenceLogits,
                                const torch::Tensor &variantLogits, const torch::Tensor &targets);

// The targets of a causal LM on its own input: token i predicts token i + 1.
torch::Tensor nextTokenTargets(const torch::Tensor &inputIds);

} // namespace attnscope
