#!/usr/bin/python3
"""Tiny random decoder checkpoints in Hugging Face layout, with expected outputs.

Writes tests/data/models/decoders/<case>/ holding config.json, the weights (model.safetensors
written by hand, or pytorch_model.bin through torch.save) and expected.safetensors:
"attentions" [L, H, T, T] (one per query head), "logits" [T, vocab] and "input_ids" [T].

The expected outputs follow transformers' modeling_gpt2, modeling_llama, modeling_mistral and
modeling_qwen2 (and the rope initializations of modeling_rope_utils), re-implemented below in
float64 from the stored float32 weights. As in transformers, the rotary inverse frequencies and
angles are computed in float32.
Run: /usr/bin/python3 tests/data/models/make_decoder_references.py
"""
import math
import pathlib
import shutil

import torch
import torch.nn.functional as F

import make_encoder_references as encoders
from make_encoder_references import ACTIVATIONS, Weights, linear

OUT = pathlib.Path(__file__).resolve().parent / "decoders"
encoders.OUT = OUT  # save_case writes below OUT


def save_case(name, config, weights, file_format, input_ids, attentions, logits):
    encoders.save_case(name, config, weights, file_format, {"input_ids": input_ids}, attentions, logits)
ACTIVATIONS = dict(ACTIVATIONS, silu=F.silu)


def causal_attention(q, k, v, scale, window=0):
    """q [H, T, d], k and v [Hkv, T, d]; GQA repeats each kv head for its query heads.
    Returns context [T, H·d] and probabilities [H, T, T]."""
    heads, t, _ = q.shape
    k = k.repeat_interleave(heads // k.shape[0], 0)
    v = v.repeat_interleave(heads // v.shape[0], 0)
    i = torch.arange(t)[:, None]
    j = torch.arange(t)[None, :]
    allowed = j <= i
    if window:
        allowed &= (i - j) < window
    scores = (q @ k.transpose(1, 2)) * scale
    scores = scores.masked_fill(~allowed, float("-inf"))
    probs = torch.softmax(scores, dim=-1)
    return (probs @ v).transpose(0, 1).reshape(t, -1), probs


def split(x, heads):
    return x.view(x.shape[0], heads, -1).transpose(0, 1)


# ---------------------------------------------------------------- GPT-2

def gpt2_config(**extra):
    config = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": 50, "n_embd": 32,
              "n_layer": 2, "n_head": 4, "n_positions": 16, "n_inner": None, "activation_function": "gelu_new",
              "layer_norm_epsilon": 1e-5, "scale_attn_weights": True, "scale_attn_by_inverse_layer_idx": False,
              "bos_token_id": 0, "eos_token_id": 0, "tie_word_embeddings": True}
    config.update(extra)
    return config


def conv1d(w, name, x):
    return x @ w.get(name + ".weight") + w.get(name + ".bias")


def gpt2_case(name, config, input_ids, prefix, file_format, seed):
    w = Weights(seed)
    d, heads, layers = config["n_embd"], config["n_head"], config["n_layer"]
    inner = config["n_inner"] or 4 * d
    eps = config["layer_norm_epsilon"]
    w.random(prefix + "wte.weight", (config["vocab_size"], d), 0.5)
    w.random(prefix + "wpe.weight", (config["n_positions"], d), 0.3)
    for i in range(layers):
        at = f"{prefix}h.{i}."
        w.random(at + "ln_1.weight", (d,), 0.1, 1.0)
        w.random(at + "ln_1.bias", (d,), 0.1)
        w.random(at + "attn.c_attn.weight", (d, 3 * d), 2.0 / math.sqrt(d))
        w.random(at + "attn.c_attn.bias", (3 * d,), 0.1)
        w.random(at + "attn.c_proj.weight", (d, d), 1.0 / math.sqrt(d))
        w.random(at + "attn.c_proj.bias", (d,), 0.1)
        w.random(at + "ln_2.weight", (d,), 0.1, 1.0)
        w.random(at + "ln_2.bias", (d,), 0.1)
        w.random(at + "mlp.c_fc.weight", (d, inner), 1.0 / math.sqrt(d))
        w.random(at + "mlp.c_fc.bias", (inner,), 0.1)
        w.random(at + "mlp.c_proj.weight", (inner, d), 1.0 / math.sqrt(inner))
        w.random(at + "mlp.c_proj.bias", (d,), 0.1)
        # Older checkpoints carry the causal mask buffers; loaders must ignore them.
        if file_format == "bin":
            w.tensors[at + "attn.bias"] = torch.tril(torch.ones(config["n_positions"], config["n_positions"]))
    w.random(prefix + "ln_f.weight", (d,), 0.1, 1.0)
    w.random(prefix + "ln_f.bias", (d,), 0.1)

    act = ACTIVATIONS[config["activation_function"]]
    norm = lambda name, x: F.layer_norm(x, (d,), w.get(name + ".weight"), w.get(name + ".bias"), eps)
    t = len(input_ids)
    x = w.get(prefix + "wte.weight")[input_ids] + w.get(prefix + "wpe.weight")[:t]
    attentions = []
    for i in range(layers):
        at = f"{prefix}h.{i}."
        q, k, v = conv1d(w, at + "attn.c_attn", norm(at + "ln_1", x)).split(d, dim=1)
        scale = 1.0 / math.sqrt(d // heads) if config["scale_attn_weights"] else 1.0
        if config["scale_attn_by_inverse_layer_idx"]:
            scale /= i + 1
        context, probs = causal_attention(split(q, heads), split(k, heads), split(v, heads), scale)
        attentions.append(probs)
        x = x + conv1d(w, at + "attn.c_proj", context)
        x = x + conv1d(w, at + "mlp.c_proj", act(conv1d(w, at + "mlp.c_fc", norm(at + "ln_2", x))))
    logits = norm(prefix + "ln_f", x) @ w.get(prefix + "wte.weight").t()
    save_case(name, config, w, file_format, input_ids, torch.stack(attentions), logits)


# ---------------------------------------------------------------- LLaMA, Mistral, Qwen2

def llama_config(model_type="llama", **extra):
    architecture = {"llama": "LlamaForCausalLM", "mistral": "MistralForCausalLM", "qwen2": "Qwen2ForCausalLM"}
    config = {"architectures": [architecture[model_type]], "model_type": model_type, "vocab_size": 48,
              "hidden_size": 32, "intermediate_size": 40, "num_hidden_layers": 2, "num_attention_heads": 4,
              "num_key_value_heads": 2, "hidden_act": "silu", "max_position_embeddings": 64,
              "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "rope_scaling": None, "tie_word_embeddings": False,
              "attention_bias": False, "mlp_bias": False, "bos_token_id": 1, "eos_token_id": 2}
    config.update(extra)
    return config


def inverse_frequencies(config, dim, t):
    """modeling_rope_utils: default, linear, dynamic and llama3, all in float32."""
    base = config["rope_theta"]
    scaling = config.get("rope_scaling") or {}
    kind = scaling.get("rope_type", scaling.get("type", "default"))
    if kind == "dynamic" and t > config["max_position_embeddings"]:
        factor, limit = scaling["factor"], config["max_position_embeddings"]
        base = base * ((factor * t / limit) - (factor - 1)) ** (dim / (dim - 2))
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    if kind == "linear":
        inv_freq = inv_freq / scaling["factor"]
    if kind == "llama3":
        factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
        old = scaling["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old / low, old / high
        wavelen = 2 * math.pi / inv_freq
        scaled = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
        inv_freq = torch.where(medium, smoothed, scaled)
    return inv_freq


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    rotated = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
    return x * cos + rotated * sin


def rms_norm(w, name, x, eps):
    return w.get(name + ".weight") * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def layer_windows(config):
    window = config.get("sliding_window") or 0
    layers = config["num_hidden_layers"]
    if config["model_type"] == "mistral":
        return [window] * layers
    if config["model_type"] == "qwen2" and config.get("use_sliding_window"):
        return [window if i >= config["max_window_layers"] else 0 for i in range(layers)]
    return [0] * layers


def llama_case(name, config, input_ids, file_format="safetensors", seed=20, lm_head=True):
    w = Weights(seed)
    d, heads, layers = config["hidden_size"], config["num_attention_heads"], config["num_hidden_layers"]
    kv_heads = config["num_key_value_heads"]
    head_dim = config.get("head_dim") or d // heads
    inner, eps = config["intermediate_size"], config["rms_norm_eps"]
    qwen = config["model_type"] == "qwen2"
    qkv_bias = qwen or config["attention_bias"]
    w.random("model.embed_tokens.weight", (config["vocab_size"], d), 1.0)
    for i in range(layers):
        at = f"model.layers.{i}."
        w.random(at + "input_layernorm.weight", (d,), 0.1, 1.0)
        w.random(at + "post_attention_layernorm.weight", (d,), 0.1, 1.0)
        w.linear(at + "self_attn.q_proj", heads * head_dim, d, gain=2.5, bias=qkv_bias)
        w.linear(at + "self_attn.k_proj", kv_heads * head_dim, d, gain=2.5, bias=qkv_bias)
        w.linear(at + "self_attn.v_proj", kv_heads * head_dim, d, bias=qkv_bias)
        w.linear(at + "self_attn.o_proj", d, heads * head_dim, bias=config["attention_bias"] and not qwen)
        w.linear(at + "mlp.gate_proj", inner, d, bias=config["mlp_bias"])
        w.linear(at + "mlp.up_proj", inner, d, bias=config["mlp_bias"])
        w.linear(at + "mlp.down_proj", d, inner, bias=config["mlp_bias"])
    w.random("model.norm.weight", (d,), 0.1, 1.0)
    if lm_head:
        w.linear("lm_head", config["vocab_size"], d, bias=False)

    t = len(input_ids)
    angles = torch.arange(t).float()[:, None] * inverse_frequencies(config, head_dim, t)[None, :]
    both = torch.cat((angles, angles), dim=-1)
    cos, sin = both.cos().double(), both.sin().double()
    act = ACTIVATIONS[config["hidden_act"]]
    windows = layer_windows(config)
    x = w.get("model.embed_tokens.weight")[input_ids]
    attentions = []
    for i in range(layers):
        at = f"model.layers.{i}."
        h = rms_norm(w, at + "input_layernorm", x, eps)
        q = rotate(split(linear(w, at + "self_attn.q_proj", h), heads), cos, sin)
        k = rotate(split(linear(w, at + "self_attn.k_proj", h), kv_heads), cos, sin)
        v = split(linear(w, at + "self_attn.v_proj", h), kv_heads)
        context, probs = causal_attention(q, k, v, head_dim ** -0.5, windows[i])
        attentions.append(probs)
        x = x + linear(w, at + "self_attn.o_proj", context)
        h = rms_norm(w, at + "post_attention_layernorm", x, eps)
        x = x + linear(w, at + "mlp.down_proj", act(linear(w, at + "mlp.gate_proj", h)) * linear(w, at + "mlp.up_proj", h))
    tied = config["tie_word_embeddings"] or not lm_head
    head = w.get("model.embed_tokens.weight") if tied else w.get("lm_head.weight")
    logits = rms_norm(w, "model.norm", x, eps) @ head.t()
    save_case(name, config, w, file_format, input_ids, torch.stack(attentions), logits)


def ids(*values):
    return torch.tensor(values, dtype=torch.int64)


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    text = ids(1, 7, 30, 12, 12, 41, 5, 19, 33, 2, 8, 26)
    gpt2_case("gpt2_lm", gpt2_config(), ids(0, 7, 30, 12, 12, 41, 5, 19, 33, 8), "transformer.", "safetensors", 30)
    gpt2_case("gpt2_base_bin", gpt2_config(architectures=["GPT2Model"], n_layer=3, n_head=2, n_inner=48,
                                           scale_attn_by_inverse_layer_idx=True),
              ids(4, 4, 9, 17, 3, 22, 40), "", "bin", 31)
    llama_case("llama_gqa", llama_config(), text)
    llama_case("llama_tied_head_dim", llama_config(tie_word_embeddings=True, head_dim=16, num_key_value_heads=1,
                                                   architectures=["LlamaForCausalLM"]),
               text, lm_head=False, seed=21)
    llama_case("llama_rope_linear", llama_config(rope_scaling={"type": "linear", "factor": 4.0}), text, seed=22)
    llama_case("llama_rope_dynamic", llama_config(max_position_embeddings=8,
                                                  rope_scaling={"rope_type": "dynamic", "factor": 2.0}),
               text, seed=23)
    llama_case("llama_rope_llama3",
               llama_config(rope_theta=500000.0, head_dim=16,
                            rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                          "high_freq_factor": 4.0, "original_max_position_embeddings": 64}),
               text, seed=24, file_format="bin")
    llama_case("mistral_window", llama_config("mistral", sliding_window=4, head_dim=None), text, seed=25)
    llama_case("qwen2_bias_window_bin",
               llama_config("qwen2", use_sliding_window=True, sliding_window=5, max_window_layers=1,
                            num_hidden_layers=3, tie_word_embeddings=True, rope_theta=1000000.0),
               text, file_format="bin", seed=26, lm_head=False)


if __name__ == "__main__":
    main()
