#include "core/capture/causal_check.h"

#include <torch/torch.h>

#include "core/capture/attention_record.h"

namespace attnscope {

bool hasNoFutureWeight(const AttentionRecord &record)
{
    return record.all().triu(1).abs().max().item<double>() == 0.0;
}

} // namespace attnscope
