#pragma once
// Loading a RotaryDecoder from a checkpoint in transformers' LLaMA naming (model.layers.N.
// self_attn.q_proj …): the dimensions every such family reads the same way, and the few
// layout choices in which the families differ.

#include <memory>
#include <vector>

#include <QString>

#include "core/models/rotary_decoder.h"

namespace attnscope {

class ModelConfig;
class WeightSource;

// hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads (default: the
// heads), head_dim (default: defaultHeadDim, or hidden / heads when that is 0) and
// intermediate_size, checked.
DecoderDimensions readDecoderDimensions(const ModelConfig &config, int64_t defaultHeadDim = 0);

// Which norms stand around attention and MLP, by their transformers names.
enum class BlockNorms {
    Inputs,  // input_layernorm, post_attention_layernorm before the MLP (LLaMA, Gemma)
    Outputs, // post_attention_layernorm, post_feedforward_layernorm on the outputs (OLMo 2)
    Both,    // input_, post_attention_, pre_feedforward_, post_feedforward_layernorm (Gemma 2/3)
};

struct RotaryDecoderLayout {
    bool qkvBias = false, outputBias = false, mlpBias = false;
    bool fusedProjections = false; // Phi-3: self_attn.qkv_proj and mlp.gate_up_proj
    BlockNorms norms = BlockNorms::Inputs;
    bool unitOffsetNorms = false;  // Gemma stores w and normalizes with (1 + w)
    double normEps = 1e-6;
    bool tiedByDefault = false;    // tie_word_embeddings when config.json does not say
    std::vector<int64_t> windows;  // per layer (empty: none slides)
    std::vector<size_t> rotaryOfLayer; // per layer, into parts.rotaries (empty: all use 0)
};

// Loads the weights into `parts` (which holds the rotaries, activation, q/k norm kind,
// scales and caps the family chose; a zero attentionScale becomes 1/sqrt(head_dim)).
std::unique_ptr<Model> loadRotaryDecoder(const QString &modelDir, const ModelConfig &config,
                                         const WeightSource &source, const DecoderDimensions &dims,
                                         const RotaryDecoderLayout &layout, RotaryDecoderParts parts);

} // namespace attnscope
