#include "core/models/generation.h"

#include <algorithm>

#include <torch/torch.h>

#include "core/io/input_error.h"
#include "core/models/causal_lm.h"

namespace attnscope {

namespace {

torch::Tensor idsTensor(const std::vector<int64_t> &ids)
{
    return torch::tensor(ids, torch::kInt64);
}

int64_t lastArgmax(const torch::Tensor &logits)
{
    return logits[-1].argmax().item<int64_t>();
}

} // namespace

Generation generateGreedy(const Model &model, const GenerationRequest &request,
                          const AttentionPlan &plan, AttentionRecorder *recorder)
{
    const auto *causal = dynamic_cast<const CausalLanguageModel *>(&model);
    if (!causal)
        throw InputError(model.info().directory,
                         QStringLiteral("model_type '%1' is not a causal language model; only those generate")
                             .arg(model.info().modelType));
    if (!request.promptIds.defined() || request.promptIds.numel() == 0)
        throw InputError(QStringLiteral("input"), QStringLiteral("generation needs at least one prompt token"));
    const torch::NoGradGuard noGradients;
    Generation result;
    const torch::Tensor prompt = request.promptIds.to(torch::kInt64).flatten().contiguous();
    result.ids.assign(prompt.data_ptr<int64_t>(), prompt.data_ptr<int64_t>() + prompt.numel());
    result.promptTokens = prompt.numel();

    int64_t budget = std::max<int64_t>(request.maxNewTokens, 0);
    if (causal->positionLimit() > 0)
        budget = std::min(budget, causal->positionLimit() - result.promptTokens);
    KvCache cache;
    const bool cached = plan.isReference();
    const auto logitsOf = [&](const torch::Tensor &ids, const std::vector<int64_t> &all) {
        if (cached)
            return causal->forwardCached(ids, cache, plan, nullptr);
        ModelInput input;
        input.inputIds = idsTensor(all);
        return model.forward(input, plan, nullptr);
    };
    torch::Tensor logits = budget > 0 ? logitsOf(prompt, result.ids) : torch::Tensor();
    for (int64_t step = 0; step < budget; ++step) {
        const int64_t next = lastArgmax(logits);
        result.ids.push_back(next);
        const bool stop = std::find(request.stopIds.begin(), request.stopIds.end(), next)
                          != request.stopIds.end();
        if (stop || step + 1 == budget)
            break;
        logits = logitsOf(idsTensor({next}), result.ids);
    }
    if (recorder) {
        ModelInput input;
        input.inputIds = idsTensor(result.ids);
        result.logits = model.forward(input, plan, recorder);
    }
    return result;
}

} // namespace attnscope
