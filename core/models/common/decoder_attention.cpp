#include "core/models/common/decoder_attention.h"

#include <torch/torch.h>

#include "core/attention/kernel.h"
#include "core/models/common/head_gates.h"
#include "core/models/forward_probe.h"
#include "core/models/common/heads.h"

namespace attnscope {

torch::Tensor decoderAttention(const DecoderAttention &attention, const torch::Tensor &q,
                               torch::Tensor k, torch::Tensor v, const DecoderPass &pass)
{
    if (KvCache *cache = pass.cache) {
        const size_t layer = size_t(attention.layer);
        if (cache->keys.size() <= layer) {
            cache->keys.resize(layer + 1);
            cache->values.resize(layer + 1);
        }
        if (cache->keys[layer].defined()) {
            k = torch::cat({cache->keys[layer], k}, 1);
            v = torch::cat({cache->values[layer], v}, 1);
        }
        cache->keys[layer] = k;
        cache->values[layer] = v;
    }
    AttentionInputs inputs;
    inputs.layer = attention.layer;
    inputs.q = q;
    inputs.k = k;
    inputs.v = v;
    inputs.scale = attention.scale;
    inputs.softCap = attention.softCap;
    inputs.causal = true;
    inputs.keyMask = pass.keyMask;
    inputs.slidingWindow = attention.slidingWindow;
    const AttentionPlan reference;
    torch::Tensor perHead = gateHeads(attend(inputs, pass.plan ? *pass.plan : reference, pass.recorder),
                                      pass.headGates, attention.layer);
    if (pass.probe)
        perHead = pass.probe->heads({attention.layer, perHead, v, attention.output});
    return (*attention.output)(mergeHeads(perHead));
}

} // namespace attnscope
