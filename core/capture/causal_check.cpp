#include "core/capture/causal_check.h"

#include <torch/torch.h>

#include "core/capture/attention_record.h"

namespace attnscope {

bool hasNoFutureWeight(const AttentionRecord &record)
{
    if (record.isDense())
        return record.all().triu(1).abs().max().item<double>() == 0.0;
    // A compact record knows its masks: every layer causal means no weight on a future key.
    for (int layer = 0; layer < record.layers(); ++layer)
        if (!record.compactLayer(layer).inputs.causal)
            return false;
    return true;
}

} // namespace attnscope
