#!/usr/bin/python3
"""Tiny random encoder and vision checkpoints in Hugging Face layout, with expected outputs.

Writes tests/data/models/encoders/<case>/ holding config.json (the fields transformers writes
for that class), the weights (model.safetensors written by hand, or pytorch_model.bin through
torch.save of the state_dict) and expected.safetensors: "attentions" [L, H, T, T], "logits"
and the inputs ("input_ids", "token_type_ids", "attention_mask" or "pixel_values").

The expected outputs come from the formulas of transformers' modeling_bert / roberta /
distilbert / vit / deit, re-implemented below in float64 from the stored float32 weights, so
that the C++ engine (float32) is checked against an exact reference.
Run: /usr/bin/python3 tests/data/models/make_encoder_references.py
"""
import json
import math
import pathlib
import shutil
import struct

import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parent / "encoders"
DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        data = tensor.contiguous().numpy().tobytes()
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


class Weights:
    """A state_dict being filled with random float32 tensors; get() returns float64."""

    def __init__(self, seed):
        self.generator = torch.Generator().manual_seed(seed)
        self.tensors = {}

    def random(self, name, shape, scale, offset=0.0):
        self.tensors[name] = offset + scale * torch.randn(shape, generator=self.generator)

    def linear(self, name, out_features, in_features, gain=1.2, bias=True):
        self.random(name + ".weight", (out_features, in_features), gain / math.sqrt(in_features))
        if bias:
            self.random(name + ".bias", (out_features,), 0.1)

    def layer_norm(self, name, dim, legacy=False):
        self.random(name + (".gamma" if legacy else ".weight"), (dim,), 0.1, 1.0)
        self.random(name + (".beta" if legacy else ".bias"), (dim,), 0.1)

    def get(self, name):
        return self.tensors[name].double()

    def rename(self, old_prefix, new_prefix):
        self.tensors = {(new_prefix + k[len(old_prefix):] if k.startswith(old_prefix) else k): v
                        for k, v in self.tensors.items()}


def linear(w, name, x):
    bias_name = name + ".bias"
    return F.linear(x, w.get(name + ".weight"), w.get(bias_name) if bias_name in w.tensors else None)


def layer_norm(w, name, x, eps, legacy=False):
    weight, bias = (".gamma", ".beta") if legacy else (".weight", ".bias")
    return F.layer_norm(x, x.shape[-1:], w.get(name + weight), w.get(name + bias), eps)


ACTIVATIONS = {
    "gelu": lambda x: 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0))),
    "gelu_new": lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3))),
    "relu": torch.relu,
}


def self_attention(x, q, k, v, heads, key_mask, gate=None):
    """x [T, D]; q, k, v: projections; key_mask [T] bool; gate [H] (transformers' head_mask).
    Returns context [T, D] and the probabilities [H, T, T] before the gate."""
    t, d = x.shape
    head_dim = d // heads
    split = lambda y: y.view(t, heads, head_dim).transpose(0, 1)
    scores = split(q) @ split(k).transpose(1, 2) / math.sqrt(head_dim)
    blocked = torch.full((t,), torch.finfo(torch.float64).min, dtype=torch.float64)
    scores = scores + torch.where(key_mask, torch.zeros_like(blocked), blocked)[None, None, :]
    probs = torch.softmax(scores, dim=-1)
    gated = probs if gate is None else probs * gate[:, None, None]
    context = (gated @ split(v)).transpose(0, 1).reshape(t, d)
    return context, probs


# ---------------------------------------------------------------- BERT and RoBERTa

def bert_config(hidden=32, layers=2, heads=4, vocab=60, **extra):
    config = {
        "architectures": ["BertModel"], "attention_probs_dropout_prob": 0.1, "classifier_dropout": None,
        "gradient_checkpointing": False, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "hidden_size": hidden, "initializer_range": 0.02, "intermediate_size": 2 * hidden + 8,
        "layer_norm_eps": 1e-12, "max_position_embeddings": 24, "model_type": "bert",
        "num_attention_heads": heads, "num_hidden_layers": layers, "pad_token_id": 0,
        "position_embedding_type": "absolute", "torch_dtype": "float32",
        "transformers_version": "4.30.2", "type_vocab_size": 2, "use_cache": True, "vocab_size": vocab,
    }
    config.update(extra)
    return config


def roberta_config(**extra):
    config = bert_config(model_type="roberta", architectures=["RobertaForMaskedLM"], bos_token_id=0,
                         eos_token_id=2, pad_token_id=1, layer_norm_eps=1e-05,
                         max_position_embeddings=26, type_vocab_size=1)
    config.update(extra)
    return config


def with_labels(config, labels):
    config["id2label"] = {str(i): label for i, label in enumerate(labels)}
    config["label2id"] = {label: i for i, label in enumerate(labels)}
    return config


def make_bert_body(w, c, prefix, legacy=False, pooler=True):
    d, inner = c["hidden_size"], c["intermediate_size"]
    w.random(prefix + "embeddings.word_embeddings.weight", (c["vocab_size"], d), 0.4)
    w.random(prefix + "embeddings.position_embeddings.weight", (c["max_position_embeddings"], d), 0.5)
    w.random(prefix + "embeddings.token_type_embeddings.weight", (c["type_vocab_size"], d), 0.5)
    w.layer_norm(prefix + "embeddings.LayerNorm", d, legacy)
    for i in range(c["num_hidden_layers"]):
        layer = f"{prefix}encoder.layer.{i}."
        for part in ("query", "key", "value"):
            w.linear(layer + "attention.self." + part, d, d)
        w.linear(layer + "attention.output.dense", d, d)
        w.layer_norm(layer + "attention.output.LayerNorm", d, legacy)
        w.linear(layer + "intermediate.dense", inner, d)
        w.linear(layer + "output.dense", d, inner)
        w.layer_norm(layer + "output.LayerNorm", d, legacy)
    if pooler:
        w.linear(prefix + "pooler.dense", d, d)
    # An unused buffer that transformers keeps in its state_dict.
    w.tensors[prefix + "embeddings.position_ids"] = torch.arange(c["max_position_embeddings"])[None]


def roberta_position_ids(input_ids, pad):
    mask = (input_ids != pad).long()
    return torch.cumsum(mask, 0) * mask + pad


def run_bert_body(w, c, prefix, inputs, legacy=False, gates=None):
    ids = inputs["input_ids"]
    types = inputs.get("token_type_ids", torch.zeros_like(ids))
    key_mask = inputs.get("attention_mask", torch.ones_like(ids)).bool()
    if c["model_type"] == "roberta":
        positions = roberta_position_ids(ids, c["pad_token_id"])
    else:
        positions = torch.arange(ids.numel())
    eps = c["layer_norm_eps"]
    act = ACTIVATIONS[c["hidden_act"]]
    x = (w.get(prefix + "embeddings.word_embeddings.weight")[ids]
         + w.get(prefix + "embeddings.position_embeddings.weight")[positions]
         + w.get(prefix + "embeddings.token_type_embeddings.weight")[types])
    x = layer_norm(w, prefix + "embeddings.LayerNorm", x, eps, legacy)
    attentions = []
    for i in range(c["num_hidden_layers"]):
        layer = f"{prefix}encoder.layer.{i}."
        q, k, v = (linear(w, layer + "attention.self." + p, x) for p in ("query", "key", "value"))
        context, probs = self_attention(x, q, k, v, c["num_attention_heads"], key_mask,
                                        None if gates is None else gates[i])
        attentions.append(probs)
        x = layer_norm(w, layer + "attention.output.LayerNorm",
                       linear(w, layer + "attention.output.dense", context) + x, eps, legacy)
        hidden = act(linear(w, layer + "intermediate.dense", x))
        x = layer_norm(w, layer + "output.LayerNorm", linear(w, layer + "output.dense", hidden) + x, eps, legacy)
    return x, torch.stack(attentions)


def bert_case(name, config, inputs, head, prefix="bert.", legacy=False, file_format="safetensors", seed=1,
              gates=None):
    w = Weights(seed)
    d = config["hidden_size"]
    make_bert_body(w, config, prefix, legacy, pooler=head in ("base", "sequence"))
    roberta = config["model_type"] == "roberta"
    if head == "mlm" and roberta:
        w.linear("lm_head.dense", d, d)
        w.layer_norm("lm_head.layer_norm", d)
        w.random("lm_head.bias", (config["vocab_size"],), 0.1)
    elif head == "mlm":
        w.linear("cls.predictions.transform.dense", d, d)
        w.layer_norm("cls.predictions.transform.LayerNorm", d, legacy)
        w.random("cls.predictions.bias", (config["vocab_size"],), 0.1)
    elif head == "sequence" and roberta:
        w.linear("classifier.dense", d, d)
        w.linear("classifier.out_proj", len(config["id2label"]), d)
    elif head == "sequence":
        w.linear("classifier", len(config["id2label"]), d)
    elif head == "token":
        w.linear("classifier", len(config["id2label"]), d)

    eps = config["layer_norm_eps"]
    embeddings = w.get(prefix + "embeddings.word_embeddings.weight")

    def logits_of(x):
        if head == "base":
            return x
        if head == "mlm" and roberta:
            h = layer_norm(w, "lm_head.layer_norm", ACTIVATIONS["gelu"](linear(w, "lm_head.dense", x)), eps)
            return h @ embeddings.T + w.get("lm_head.bias")
        if head == "mlm":
            h = ACTIVATIONS[config["hidden_act"]](linear(w, "cls.predictions.transform.dense", x))
            h = layer_norm(w, "cls.predictions.transform.LayerNorm", h, eps, legacy)
            return h @ embeddings.T + w.get("cls.predictions.bias")
        if head == "sequence" and roberta:
            return linear(w, "classifier.out_proj", torch.tanh(linear(w, "classifier.dense", x[0])))
        if head == "sequence":
            return linear(w, "classifier", torch.tanh(linear(w, prefix + "pooler.dense", x[0])))
        return linear(w, "classifier", x)

    x, attentions = run_bert_body(w, config, prefix, inputs, legacy)
    logits = logits_of(x)
    if gates is not None:
        inputs = dict(inputs, head_gates=gates)
        inputs["logits_gated"] = logits_of(run_bert_body(w, config, prefix, inputs, legacy, gates.double())[0]).float()

    if head == "mlm":
        # The tied decoder: transformers stores it in .bin files and drops it from safetensors.
        decoder = "lm_head.decoder" if roberta else "cls.predictions.decoder"
        if file_format == "bin":
            w.tensors[decoder + ".weight"] = w.tensors[prefix + "embeddings.word_embeddings.weight"]
            w.tensors[decoder + ".bias"] = w.tensors["lm_head.bias" if roberta else "cls.predictions.bias"]
    save_case(name, config, w, file_format, inputs, attentions, logits)


# ---------------------------------------------------------------- DistilBERT

def distilbert_config(**extra):
    config = {
        "activation": "gelu", "architectures": ["DistilBertForMaskedLM"], "attention_dropout": 0.1,
        "dim": 32, "dropout": 0.1, "hidden_dim": 48, "initializer_range": 0.02,
        "max_position_embeddings": 20, "model_type": "distilbert", "n_heads": 2, "n_layers": 3,
        "pad_token_id": 0, "qa_dropout": 0.1, "seq_classif_dropout": 0.2, "sinusoidal_pos_embds": False,
        "tie_weights_": True, "torch_dtype": "float32", "transformers_version": "4.30.2", "vocab_size": 50,
    }
    config.update(extra)
    return config


def distilbert_case(name, config, inputs, head, prefix="distilbert.", file_format="safetensors", seed=2):
    w = Weights(seed)
    d, inner, eps = config["dim"], config["hidden_dim"], 1e-12
    act = ACTIVATIONS[config["activation"]]
    w.random(prefix + "embeddings.word_embeddings.weight", (config["vocab_size"], d), 0.4)
    w.random(prefix + "embeddings.position_embeddings.weight", (config["max_position_embeddings"], d), 0.5)
    w.layer_norm(prefix + "embeddings.LayerNorm", d)
    for i in range(config["n_layers"]):
        layer = f"{prefix}transformer.layer.{i}."
        for part in ("q_lin", "k_lin", "v_lin", "out_lin"):
            w.linear(layer + "attention." + part, d, d)
        w.layer_norm(layer + "sa_layer_norm", d)
        w.linear(layer + "ffn.lin1", inner, d)
        w.linear(layer + "ffn.lin2", d, inner)
        w.layer_norm(layer + "output_layer_norm", d)
    if head == "mlm":
        w.linear("vocab_transform", d, d)
        w.layer_norm("vocab_layer_norm", d)
        w.random("vocab_projector.bias", (config["vocab_size"],), 0.1)
    elif head == "sequence":
        w.linear("pre_classifier", d, d)
        w.linear("classifier", len(config["id2label"]), d)

    ids = inputs["input_ids"]
    key_mask = inputs.get("attention_mask", torch.ones_like(ids)).bool()
    x = (w.get(prefix + "embeddings.word_embeddings.weight")[ids]
         + w.get(prefix + "embeddings.position_embeddings.weight")[torch.arange(ids.numel())])
    x = layer_norm(w, prefix + "embeddings.LayerNorm", x, eps)
    attentions = []
    for i in range(config["n_layers"]):
        layer = f"{prefix}transformer.layer.{i}."
        q, k, v = (linear(w, layer + "attention." + p, x) for p in ("q_lin", "k_lin", "v_lin"))
        context, probs = self_attention(x, q, k, v, config["n_heads"], key_mask)
        attentions.append(probs)
        x = layer_norm(w, layer + "sa_layer_norm", linear(w, layer + "attention.out_lin", context) + x, eps)
        hidden = linear(w, layer + "ffn.lin2", act(linear(w, layer + "ffn.lin1", x)))
        x = layer_norm(w, layer + "output_layer_norm", hidden + x, eps)

    if head == "base":
        logits = x
    elif head == "mlm":
        h = layer_norm(w, "vocab_layer_norm", act(linear(w, "vocab_transform", x)), eps)
        logits = h @ w.get(prefix + "embeddings.word_embeddings.weight").T + w.get("vocab_projector.bias")
    else:
        logits = linear(w, "classifier", torch.relu(linear(w, "pre_classifier", x[0])))
    save_case(name, config, w, file_format, inputs, torch.stack(attentions), logits)


# ---------------------------------------------------------------- ViT and DeiT

def vit_config(**extra):
    config = {
        "architectures": ["ViTForImageClassification"], "attention_probs_dropout_prob": 0.0,
        "encoder_stride": 8, "hidden_act": "gelu", "hidden_dropout_prob": 0.0, "hidden_size": 32,
        "image_size": 32, "initializer_range": 0.02, "intermediate_size": 64, "layer_norm_eps": 1e-12,
        "model_type": "vit", "num_attention_heads": 4, "num_channels": 3, "num_hidden_layers": 2,
        "patch_size": 8, "qkv_bias": True, "torch_dtype": "float32", "transformers_version": "4.30.2",
    }
    config.update(extra)
    return config


def interpolated_positions(table, extra_tokens, rows, cols):
    """transformers' interpolate_pos_encoding: bicubic resize of the square patch grid."""
    patches = table.shape[0] - extra_tokens
    if patches == rows * cols and rows == cols:
        return table
    side = int(math.isqrt(patches))
    grid = table[extra_tokens:].reshape(1, side, side, -1).permute(0, 3, 1, 2)
    grid = F.interpolate(grid, size=(rows, cols), mode="bicubic", align_corners=False)
    return torch.cat([table[:extra_tokens], grid.permute(0, 2, 3, 1).reshape(rows * cols, -1)])


def vision_case(name, config, pixels, head, prefix, file_format="safetensors", seed=3, gates=None):
    w = Weights(seed)
    d, inner, eps = config["hidden_size"], config["intermediate_size"], config["layer_norm_eps"]
    p, channels = config["patch_size"], config["num_channels"]
    deit = config["model_type"] == "deit"
    extra_tokens = 2 if deit else 1
    patches = (config["image_size"] // p) ** 2
    w.random(prefix + "embeddings.cls_token", (1, 1, d), 1.0)
    if deit:
        w.random(prefix + "embeddings.distillation_token", (1, 1, d), 1.0)
    w.random(prefix + "embeddings.position_embeddings", (1, patches + extra_tokens, d), 0.5)
    w.random(prefix + "embeddings.patch_embeddings.projection.weight", (d, channels, p, p), 1.0 / p)
    w.random(prefix + "embeddings.patch_embeddings.projection.bias", (d,), 0.1)
    for i in range(config["num_hidden_layers"]):
        layer = f"{prefix}encoder.layer.{i}."
        for part in ("query", "key", "value"):
            w.linear(layer + "attention.attention." + part, d, d, bias=config["qkv_bias"])
        w.linear(layer + "attention.output.dense", d, d)
        w.layer_norm(layer + "layernorm_before", d)
        w.linear(layer + "intermediate.dense", inner, d)
        w.linear(layer + "output.dense", d, inner)
        w.layer_norm(layer + "layernorm_after", d)
    w.layer_norm(prefix + "layernorm", d)
    labels = len(config.get("id2label", {}))
    if head == "base":
        w.linear(prefix + "pooler.dense", d, d)
    elif head == "teacher":
        w.linear("cls_classifier", labels, d)
        w.linear("distillation_classifier", labels, d)
    else:
        w.linear("classifier", labels, d)

    act = ACTIVATIONS[config["hidden_act"]]

    def run(gates=None):
        patch_grid = F.conv2d(pixels.double()[None], w.get(prefix + "embeddings.patch_embeddings.projection.weight"),
                              w.get(prefix + "embeddings.patch_embeddings.projection.bias"), stride=p)[0]
        rows, cols = patch_grid.shape[1:]
        tokens = [w.get(prefix + "embeddings.cls_token")[0]]
        if deit:
            tokens.append(w.get(prefix + "embeddings.distillation_token")[0])
        x = torch.cat(tokens + [patch_grid.flatten(1).T])
        x = x + interpolated_positions(w.get(prefix + "embeddings.position_embeddings")[0], extra_tokens, rows, cols)
        key_mask = torch.ones(x.shape[0], dtype=torch.bool)
        attentions = []
        for i in range(config["num_hidden_layers"]):
            layer = f"{prefix}encoder.layer.{i}."
            h = layer_norm(w, layer + "layernorm_before", x, eps)
            q, k, v = (linear(w, layer + "attention.attention." + part, h) for part in ("query", "key", "value"))
            context, probs = self_attention(h, q, k, v, config["num_attention_heads"], key_mask,
                                            None if gates is None else gates[i])
            attentions.append(probs)
            x = x + linear(w, layer + "attention.output.dense", context)
            h = layer_norm(w, layer + "layernorm_after", x, eps)
            x = x + linear(w, layer + "output.dense", act(linear(w, layer + "intermediate.dense", h)))
        x = layer_norm(w, prefix + "layernorm", x, eps)
        if head == "base":
            return x, attentions
        if head == "teacher":
            return (linear(w, "cls_classifier", x[0]) + linear(w, "distillation_classifier", x[1])) / 2, attentions
        return linear(w, "classifier", x[0]), attentions

    logits, attentions = run()
    inputs = {"pixel_values": pixels}
    if gates is not None:
        inputs.update(head_gates=gates, logits_gated=run(gates.double())[0].float())
    save_case(name, config, w, file_format, inputs, torch.stack(attentions), logits)


# ---------------------------------------------------------------- output

def save_case(name, config, weights, file_format, inputs, attentions, logits):
    folder = OUT / name
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    if file_format == "bin":
        torch.save(weights.tensors, folder / "pytorch_model.bin")
    else:
        write_safetensors(folder / "model.safetensors", weights.tensors, {"format": "pt"})
    expected = dict(inputs)
    expected["attentions"] = attentions.float()
    expected["logits"] = logits.float()
    write_safetensors(folder / "expected.safetensors", expected)


def ids(*values):
    return torch.tensor(values, dtype=torch.int64)


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    labels3 = ["negative", "neutral", "positive"]

    bert_case("bert_base", bert_config(), {"input_ids": ids(2, 17, 33, 8, 41, 3)}, "base", prefix="")
    bert_case("bert_base_prefixed", bert_config(layers=1), {"input_ids": ids(2, 9, 3)}, "base")
    bert_case("bert_padded", bert_config(architectures=["BertModel"], layer_norm_eps=1e-5),
              {"input_ids": ids(2, 12, 25, 3, 0, 0), "attention_mask": ids(1, 1, 1, 1, 0, 0)}, "base", prefix="")
    bert_case("bert_mlm", bert_config(architectures=["BertForMaskedLM"], layers=3, heads=2),
              {"input_ids": ids(2, 14, 4, 52, 3)}, "mlm",
              gates=torch.tensor([[1.0, 0.0], [0.5, 1.0], [1.0, 2.0]]))
    bert_case("bert_mlm_gelu_new_bin", bert_config(architectures=["BertForMaskedLM"], hidden_act="gelu_new"),
              {"input_ids": ids(2, 14, 4, 52, 3)}, "mlm", file_format="bin")
    bert_case("bert_legacy_gamma_beta", bert_config(architectures=["BertForPreTraining"], hidden=24, heads=3),
              {"input_ids": ids(2, 30, 31, 3)}, "mlm", legacy=True, file_format="bin")
    bert_case("bert_pair_classifier",
              with_labels(bert_config(architectures=["BertForSequenceClassification"],
                                      problem_type="single_label_classification"), labels3),
              {"input_ids": ids(2, 11, 22, 3, 40, 44, 45, 3), "token_type_ids": ids(0, 0, 0, 0, 1, 1, 1, 1)},
              "sequence", file_format="bin")
    bert_case("bert_token_classifier",
              with_labels(bert_config(architectures=["BertForTokenClassification"], layers=1),
                          ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]),
              {"input_ids": ids(2, 5, 6, 7, 3)}, "token")

    bert_case("roberta_mlm", roberta_config(),
              {"input_ids": ids(0, 15, 27, 38, 2, 1, 1), "attention_mask": ids(1, 1, 1, 1, 1, 0, 0)},
              "mlm", prefix="roberta.", seed=4)
    bert_case("roberta_classifier",
              with_labels(roberta_config(architectures=["RobertaForSequenceClassification"], num_hidden_layers=1),
                          ["contradiction", "entailment"]),
              {"input_ids": ids(0, 21, 22, 2, 2, 33, 2)}, "sequence", prefix="roberta.", file_format="bin", seed=5)

    distilbert_case("distilbert_mlm", distilbert_config(), {"input_ids": ids(2, 13, 24, 35, 3)}, "mlm")
    distilbert_case("distilbert_base", distilbert_config(architectures=["DistilBertModel"], n_layers=1),
                    {"input_ids": ids(2, 9, 10, 3, 0), "attention_mask": ids(1, 1, 1, 1, 0)}, "base", prefix="")
    distilbert_case("distilbert_classifier_bin",
                    with_labels(distilbert_config(architectures=["DistilBertForSequenceClassification"],
                                                  activation="relu"), labels3),
                    {"input_ids": ids(2, 19, 29, 3)}, "sequence", file_format="bin")

    pixels = torch.Generator().manual_seed(7)
    image = lambda h, w: torch.randn((3, h, w), generator=pixels)
    vision_case("vit_classifier", with_labels(vit_config(), ["cat", "dog", "bird", "fish"]),
                image(32, 32), "classifier", "vit.",
                gates=torch.tensor([[1.0, 1.0, 0.0, 1.0], [0.25, 1.0, 1.0, 1.5]]))
    vision_case("vit_base_interpolated", vit_config(architectures=["ViTModel"], qkv_bias=False, layer_norm_eps=1e-6),
                image(48, 40), "base", "", seed=6)
    vision_case("deit_classifier",
                with_labels(vit_config(model_type="deit", architectures=["DeiTForImageClassification"]),
                            ["tench", "goldfish", "shark"]),
                image(32, 32), "classifier", "deit.", file_format="bin", seed=8)
    vision_case("deit_distilled",
                with_labels(vit_config(model_type="deit", architectures=["DeiTForImageClassificationWithTeacher"],
                                       num_hidden_layers=3, layer_norm_eps=1e-6), ["tench", "goldfish", "shark"]),
                image(32, 32), "teacher", "deit.", seed=9)
    vision_case("deit_distilled_interpolated",
                with_labels(vit_config(model_type="deit", architectures=["DeiTForImageClassificationWithTeacher"]),
                            ["a", "b"]),
                image(24, 40), "teacher", "deit.", seed=10)


if __name__ == "__main__":
    main()
