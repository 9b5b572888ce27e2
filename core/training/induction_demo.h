#pragma once
// The "induction" demo: a 2-layer GPT-2-layout decoder trained to continue a random segment
// of words said a second time. It learns the two-head circuit of Olsson et al. (2022): a
// previous-token head in layer 0 and an induction head in layer 1 that, on the second copy,
// attends to the token after the current token's earlier occurrence, and copies it.

#include "core/training/demo_run.h"

namespace attnscope {

// Trains and writes config.json, model.safetensors, tokenizer.json and README.md (the model
// card, with the induction and previous-token scores measured by the induction analysis).
DemoResult trainInductionDemo(const DemoRun &run);

} // namespace attnscope
