#include "core/models/common/seq2seq_attention.h"

#include <torch/torch.h>

#include "core/attention/kernel.h"
#include "core/models/common/head_gates.h"
#include "core/models/common/heads.h"
#include "core/models/common/weight_resolver.h"
#include "core/models/forward_probe.h"

namespace attnscope {

ProjectedAttention loadProjectedAttention(const WeightResolver &weights, const std::string &prefix,
                                          const ProjectionNames &names, int64_t hidden, int64_t heads,
                                          int64_t headDim, bool bias)
{
    const int64_t inner = heads * headDim;
    ProjectedAttention attention;
    attention.query = weights.linear(prefix + names.query, inner, hidden, bias);
    attention.key = weights.linear(prefix + names.key, inner, hidden, bias);
    attention.value = weights.linear(prefix + names.value, inner, hidden, bias);
    attention.output = weights.linear(prefix + names.output, hidden, inner, bias);
    attention.heads = heads;
    attention.headDim = headDim;
    return attention;
}

std::pair<torch::Tensor, torch::Tensor> withScoreBias(const torch::Tensor &q, const torch::Tensor &k,
                                                      const torch::Tensor &bias, double scale)
{
    const int64_t heads = k.size(0), keys = k.size(1);
    const torch::Tensor oneHot = torch::eye(keys, k.options()).unsqueeze(0).expand({heads, keys, keys});
    return {torch::cat({q, bias.to(q.dtype()) / scale}, -1).contiguous(), torch::cat({k, oneHot}, -1).contiguous()};
}

torch::Tensor attendProjected(const ProjectedAttention &attention, const torch::Tensor &x,
                              const torch::Tensor &memory, const AttentionStep &step)
{
    AttentionInputs inputs;
    inputs.layer = step.layer;
    inputs.q = splitHeads(attention.query(x), attention.heads);
    inputs.k = splitHeads(attention.key(memory), attention.heads);
    inputs.v = splitHeads(attention.value(memory), attention.heads);
    if (step.scoreBias.defined())
        std::tie(inputs.q, inputs.k) = withScoreBias(inputs.q, inputs.k, step.scoreBias, step.scale);
    inputs.scale = step.scale;
    inputs.causal = step.causal;
    inputs.keyMask = step.keyMask;
    const AttentionPlan reference;
    torch::Tensor perHead = gateHeads(attend(inputs, step.plan ? *step.plan : reference, step.recorder), step.headGates,
                                      step.layer);
    if (step.probe)
        perHead = step.probe->heads({step.layer, perHead, inputs.v, &attention.output});
    return attention.output(mergeHeads(perHead));
}

} // namespace attnscope
