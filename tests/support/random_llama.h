#pragma once
// A random Llama checkpoint in Hugging Face layout, written by tests and benchmarks:
// config.json, the weights in the dtype asked for (one model.safetensors, or shards with a
// model.safetensors.index.json) and a tokenizer copied next to them. Values are rounded to
// bf16 first, so the same weights can be written exactly as bf16 or as fp32. Tensors are made
// and written shard by shard: a 3B-shaped checkpoint needs one shard in memory, not all.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <torch/torch.h>

#include "core/io/safetensors_writer.h"

namespace attnscope::test {

struct LlamaShape {
    int64_t hidden = 96, layers = 12, heads = 12, kvHeads = 4, intermediate = 128, vocab = 512;
    int64_t maxPositions = 32768;
    bool tied = true;
};

// Every tensor's name and shape, in checkpoint order.
inline std::vector<std::pair<std::string, std::vector<int64_t>>> llamaTensorShapes(const LlamaShape &s)
{
    const int64_t headDim = s.hidden / s.heads;
    std::vector<std::pair<std::string, std::vector<int64_t>>> shapes{{"model.embed_tokens.weight", {s.vocab, s.hidden}}};
    for (int64_t l = 0; l < s.layers; ++l) {
        const std::string at = "model.layers." + std::to_string(l) + ".";
        shapes.push_back({at + "input_layernorm.weight", {s.hidden}});
        shapes.push_back({at + "self_attn.q_proj.weight", {s.heads * headDim, s.hidden}});
        shapes.push_back({at + "self_attn.k_proj.weight", {s.kvHeads * headDim, s.hidden}});
        shapes.push_back({at + "self_attn.v_proj.weight", {s.kvHeads * headDim, s.hidden}});
        shapes.push_back({at + "self_attn.o_proj.weight", {s.hidden, s.heads * headDim}});
        shapes.push_back({at + "post_attention_layernorm.weight", {s.hidden}});
        shapes.push_back({at + "mlp.gate_proj.weight", {s.intermediate, s.hidden}});
        shapes.push_back({at + "mlp.up_proj.weight", {s.intermediate, s.hidden}});
        shapes.push_back({at + "mlp.down_proj.weight", {s.hidden, s.intermediate}});
    }
    shapes.push_back({"model.norm.weight", {s.hidden}});
    if (!s.tied)
        shapes.push_back({"lm_head.weight", {s.vocab, s.hidden}});
    return shapes;
}

inline QJsonObject llamaConfig(const LlamaShape &s, const QString &dtype)
{
    const auto n = [](int64_t value) { return QJsonValue(qint64(value)); };
    return {{"architectures", QJsonArray{"LlamaForCausalLM"}}, {"model_type", "llama"},
            {"hidden_size", n(s.hidden)}, {"num_hidden_layers", n(s.layers)}, {"num_attention_heads", n(s.heads)},
            {"num_key_value_heads", n(s.kvHeads)}, {"intermediate_size", n(s.intermediate)}, {"vocab_size", n(s.vocab)},
            {"max_position_embeddings", n(s.maxPositions)}, {"rms_norm_eps", 1e-5}, {"rope_theta", 500000.0},
            {"hidden_act", "silu"}, {"tie_word_embeddings", s.tied}, {"torch_dtype", dtype},
            {"bos_token_id", 1}, {"eos_token_id", 2}};
}

// Random values as bf16 can hold them: norms around 1, matrices N(0, 0.02²)·√(512/in) so that
// activations keep their scale whatever the width.
inline torch::Tensor randomWeight(const std::string &name, const std::vector<int64_t> &shape, torch::Generator &generator)
{
    torch::Tensor value = torch::randn(shape, generator, torch::kFloat32);
    if (shape.size() == 1)
        value = 1 + 0.1 * value;
    else
        value *= 0.02 * std::sqrt(512.0 / double(shape.back())) * (name.find("embed") != std::string::npos ? 25 : 1);
    return value.to(torch::kBFloat16).to(torch::kFloat32);
}

// Writes the checkpoint into `dir` with its weights as `dtype`, in `shards` files (1: a single
// model.safetensors); `alter(name, tensor)` may replace a tensor before it is written (tests
// of bad checkpoints). Copies tokenizer files from `tokenizerDir` when given.
inline void writeRandomLlama(const QString &dir, const LlamaShape &shape, torch::ScalarType dtype, int shards,
                             uint64_t seed, const QString &tokenizerDir = QString(),
                             const std::function<torch::Tensor(const std::string &, torch::Tensor)> &alter = {})
{
    QDir().mkpath(dir);
    const QString dtypeName = dtype == torch::kBFloat16 ? "bfloat16" : dtype == torch::kFloat16 ? "float16" : "float32";
    QFile config(QDir(dir).filePath("config.json"));
    config.open(QIODevice::WriteOnly);
    config.write(QJsonDocument(llamaConfig(shape, dtypeName)).toJson());
    config.close();

    const auto shapes = llamaTensorShapes(shape);
    int64_t total = 0;
    for (const auto &entry : shapes)
        total += c10::multiply_integers(entry.second);
    torch::Generator generator = at::detail::createCPUGenerator(seed);
    QJsonObject weightMap;
    size_t next = 0;
    for (int shard = 1; shard <= shards; ++shard) {
        const QString file = shards == 1 ? QStringLiteral("model.safetensors")
                                         : QStringLiteral("model-%1-of-%2.safetensors").arg(shard, 5, 10, QLatin1Char('0')).arg(shards, 5, 10, QLatin1Char('0'));
        NamedTensors tensors;
        int64_t written = 0;
        for (; next < shapes.size() && (shard == shards || written < total / shards); ++next) {
            const auto &[name, dims] = shapes[next];
            torch::Tensor value = randomWeight(name, dims, generator).to(dtype);
            if (alter)
                value = alter(name, value);
            written += value.numel();
            tensors.push_back({name, value});
            weightMap.insert(QString::fromStdString(name), file);
        }
        writeSafetensors(QDir(dir).filePath(file), tensors);
    }
    if (shards > 1) {
        QFile index(QDir(dir).filePath("model.safetensors.index.json"));
        index.open(QIODevice::WriteOnly);
        index.write(QJsonDocument(QJsonObject{{"metadata", QJsonObject{}}, {"weight_map", weightMap}}).toJson());
    }
    if (!tokenizerDir.isEmpty())
        for (const QString &name : QDir(tokenizerDir).entryList({"tokenizer*", "special_tokens_map.json"}, QDir::Files))
            QFile::copy(QDir(tokenizerDir).filePath(name), QDir(dir).filePath(name));
}

} // namespace attnscope::test
