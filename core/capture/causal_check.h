#pragma once
// Whether attention loaded from a file came from a decoder: no weight above the diagonal.
// Views then mask the future keys instead of drawing them as weights of zero. A compact
// record answers from its layers' causal masks.

namespace attnscope {

class AttentionRecord;

bool hasNoFutureWeight(const AttentionRecord &record);

} // namespace attnscope
