#pragma once
// The tokens of a vision transformer's input, for records and labels: "[CLS]", DeiT's
// "[DIST]", then one token per patch in row-major order, named by its grid cell.

#include <vector>

#include "core/capture/attention_record.h"

namespace attnscope {

struct ModelInfo;

std::vector<RecordedToken> visionTokens(const ModelInfo &info, int gridRows, int gridCols);

} // namespace attnscope
