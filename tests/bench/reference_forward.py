#!/usr/bin/python3
"""PyTorch eager timing of the model bench_forward.cpp runs: a BERT-base-sized GPT-2 layout
(12 layers, 768 wide, 12 heads, 3072 MLP, random weights), keeping every layer's attention
probabilities as output_attentions=True would, with as many threads as the C++ engine
(one per core). Prints the median milliseconds per forward for 128 and 512 tokens.
Run: /usr/bin/python3 tests/bench/reference_forward.py
"""
import math
import os
import statistics
import time

import torch
import torch.nn.functional as F

LAYERS, HIDDEN, HEADS, VOCAB, POSITIONS = 12, 768, 12, 1024, 8192


def random_model():
    torch.manual_seed(0)
    r = lambda *shape: torch.randn(*shape) * 0.02
    layers = [{"c_attn": (r(HIDDEN, 3 * HIDDEN), torch.zeros(3 * HIDDEN)),
               "c_proj": (r(HIDDEN, HIDDEN), torch.zeros(HIDDEN)),
               "c_fc": (r(HIDDEN, 4 * HIDDEN), torch.zeros(4 * HIDDEN)),
               "mlp_proj": (r(4 * HIDDEN, HIDDEN), torch.zeros(HIDDEN))} for _ in range(LAYERS)]
    return {"wte": r(VOCAB, HIDDEN), "wpe": r(POSITIONS, HIDDEN), "layers": layers}


def conv1d(x, weight_bias):
    weight, bias = weight_bias
    return torch.addmm(bias, x, weight)


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def forward(model, ids):
    t = ids.shape[0]
    ones, zeros = torch.ones(HIDDEN), torch.zeros(HIDDEN)
    norm = lambda x: F.layer_norm(x, (HIDDEN,), ones, zeros, 1e-5)
    x = model["wte"][ids] + model["wpe"][:t]
    mask = torch.ones(t, t, dtype=torch.bool).tril()
    attentions = []
    for layer in model["layers"]:
        q, k, v = conv1d(norm(x), layer["c_attn"]).split(HIDDEN, dim=1)
        heads = lambda y: y.view(t, HEADS, -1).transpose(0, 1)
        scores = heads(q) @ heads(k).transpose(1, 2) / math.sqrt(HIDDEN // HEADS)
        probs = torch.softmax(scores.masked_fill(~mask, torch.finfo(torch.float32).min), dim=-1)
        attentions.append(probs)
        x = x + conv1d((probs @ heads(v)).transpose(0, 1).reshape(t, HIDDEN), layer["c_proj"])
        x = x + conv1d(gelu_new(conv1d(norm(x), layer["c_fc"])), layer["mlp_proj"])
    return norm(x) @ model["wte"].t(), torch.stack(attentions)


def main():
    torch.set_num_threads(os.cpu_count())
    model = random_model()
    with torch.no_grad():
        for tokens in (128, 512):
            ids = torch.randint(VOCAB, (tokens,))
            forward(model, ids)
            times = []
            for _ in range(5 if tokens == 512 else 10):
                start = time.perf_counter()
                forward(model, ids)
                times.append((time.perf_counter() - start) * 1000)
            print(f"pytorch eager, {torch.get_num_threads()} threads, {tokens} tokens: "
                  f"{statistics.median(times):.1f} ms per forward (median)")


if __name__ == "__main__":
    main()
