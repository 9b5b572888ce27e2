#include "core/models/generation.h"

#include <algorithm>
#include <memory>

#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/capture/step_attention.h"
#include "core/io/input_error.h"
#include "core/models/causal_lm.h"

namespace attnscope {

namespace {

torch::Tensor idsTensor(const std::vector<int64_t> &ids)
{
    return torch::tensor(ids, torch::kInt64);
}

const CausalLanguageModel &causalModelOf(const Model &model)
{
    const auto *causal = dynamic_cast<const CausalLanguageModel *>(&model);
    if (!causal)
        throw InputError(model.info().directory,
                         QStringLiteral("model_type '%1' is not a causal language model; only those generate")
                             .arg(model.info().modelType));
    return *causal;
}

// Refused before the first step rather than failing at the token that no longer fits.
void checkFits(const ModelInfo &info, int64_t promptTokens, int64_t newTokens, bool capture, bool pastPositions)
{
    const int64_t positions = pastPositions ? 0 : info.maxPositions;
    if (positions > 0 && promptTokens > positions)
        throw InputError(QStringLiteral("input"),
                         QStringLiteral("the prompt has %1 tokens, beyond the %2 positions of this %3 model")
                             .arg(promptTokens).arg(positions).arg(info.modelType));
    if (positions > 0 && promptTokens + newTokens > positions)
        throw InputError(QStringLiteral("input"),
                         QStringLiteral("the prompt's %1 tokens and %2 new tokens exceed the %3 positions of this "
                                        "%4 model; ask for at most %5 new tokens")
                             .arg(promptTokens).arg(newTokens).arg(positions).arg(info.modelType)
                             .arg(positions - promptTokens));
    const int64_t tokens = promptTokens + newTokens;
    if (capture && int64_t(info.layers) * info.heads * tokens * tokens * int64_t(sizeof(float))
                       > AttentionRecord::kDefaultDenseBudgetBytes)
        throw InputError(QStringLiteral("input"),
                         QStringLiteral("capturing %1 layers × %2 heads × %3 × %3 attention weights exceeds the %4 MiB "
                                        "budget; ask for fewer tokens")
                             .arg(info.layers).arg(info.heads).arg(tokens)
                             .arg(AttentionRecord::kDefaultDenseBudgetBytes >> 20));
}

} // namespace

Generation generate(const Model &model, const GenerationRequest &request, const AttentionPlan &plan)
{
    const CausalLanguageModel &causal = causalModelOf(model);
    const ModelInfo &info = model.info();
    if (!request.promptIds.defined() || request.promptIds.numel() == 0)
        throw InputError(QStringLiteral("input"), QStringLiteral("generation needs at least one prompt token"));
    const int64_t budget = std::max<int64_t>(request.maxNewTokens, 0);
    const torch::Tensor prompt = request.promptIds.to(torch::kInt64).flatten().contiguous();
    checkFits(info, prompt.numel(), budget, request.captureAttention, request.pastTrainedContext);
    TokenSampler sampler(request.sampling);
    const torch::NoGradGuard noGradients;

    Generation result;
    result.ids.assign(prompt.data_ptr<int64_t>(), prompt.data_ptr<int64_t>() + prompt.numel());
    result.promptTokens = prompt.numel();
    std::unique_ptr<StepAttention> capture;
    if (request.captureAttention)
        capture = std::make_unique<StepAttention>(info.layers, info.heads, result.promptTokens + budget);
    KvCache cache;
    // Logits [vocab] of the last position once `added` (already in result.ids) has run.
    const auto run = [&](const torch::Tensor &added) {
        if (capture)
            capture->keepRowsFrom(int64_t(result.ids.size()) - added.numel());
        if (plan.isReference())
            return causal.forwardCached(added, cache, plan, capture.get())[-1];
        ModelInput input;
        input.inputIds = idsTensor(result.ids);
        return model.forward(input, plan, capture.get())[-1];
    };

    std::vector<torch::Tensor> stepLogits;
    torch::Tensor logits = budget > 0 || capture ? run(prompt) : torch::Tensor();
    for (int64_t step = 0; step < budget; ++step) {
        if (request.stop && request.stop->load())
            break;
        stepLogits.push_back(logits.to(torch::kFloat32));
        const int64_t next = sampler.next(logits);
        result.ids.push_back(next);
        const bool last = step + 1 == budget
                          || std::find(request.stopIds.begin(), request.stopIds.end(), next) != request.stopIds.end();
        if (!last || capture)
            logits = run(idsTensor({next}));
        if (request.progress)
            request.progress(step + 1, budget);
        if (last)
            break;
    }
    result.stepLogits = stepLogits.empty() ? torch::zeros({0, int64_t(info.vocabSize)}) : torch::stack(stepLogits);
    if (capture)
        result.attentions = capture->attentions(int64_t(result.ids.size()));
    return result;
}

} // namespace attnscope
