#pragma once
// config.json values checked against sane ranges and against each other before any tensor is
// made: a negative intermediate_size, heads that do not divide the hidden size, a norm epsilon
// or RoPE base that is not positive would otherwise give a library error, an absurd
// allocation or silently NaN attention. Each refusal names config.json and the field.

namespace attnscope {

class ModelConfig;

// Throws InputError(config.path(), "field 'x' is …; expected …").
void checkConfigRanges(const ModelConfig &config);

} // namespace attnscope
