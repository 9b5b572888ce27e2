#pragma once
// What the decoder tests share: comparisons with the right tolerance, tiny random
// checkpoints written in Hugging Face layout (safetensors + config.json with the real
// names), and the engine's run of such a checkpoint (dense attention of every layer,
// logits, and the same logits token by token through the KV cache).

#include <map>
#include <string>
#include <vector>

#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>
#include <torch/torch.h>

namespace attnscope::test {

double maxDifference(const torch::Tensor &a, const torch::Tensor &b);

// Logits reach ±20, where one fp32 rounding step is 2e-6 and the rounding of every logit
// grows with that scale: they must agree to 1e-5 of the largest logit (probabilities, at
// most 1, are checked absolutely).
bool logitsMatch(const torch::Tensor &logits, const torch::Tensor &expected);

// A model folder in a temporary directory: random fp32 tensors under their checkpoint names
// and a config.json, written by write().
class TinyCheckpoint {
public:
    explicit TinyCheckpoint(uint64_t seed);

    // A random tensor: N(0, scale²), or 1 + N(0, scale²) for a norm weight with `aroundOne`.
    torch::Tensor add(const std::string &name, std::vector<int64_t> shape, double scale = 0.2,
                      bool aroundOne = false);
    // A tensor stored as given (buffers old checkpoints carry, which loading must ignore).
    void addStored(const std::string &name, const torch::Tensor &value);
    const torch::Tensor &operator[](const std::string &name) const;
    bool contains(const std::string &name) const { return m_tensors.count(name) > 0; }

    QString write(const QJsonObject &config) const; // the folder
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    std::map<std::string, torch::Tensor> m_tensors;
    torch::Generator m_generator;
};

struct EngineRun {
    torch::Tensor attentions; // [L, H, T, T]
    torch::Tensor compactAttentions; // the same from a compact record (q, k, row normalizers)
    torch::Tensor logits;     // [T, vocab]
    torch::Tensor cachedLogits; // [T, vocab]: prompt of 3 tokens, then one token at a time
};

// Loads the folder through loadModel() and runs `ids` ([T] int64).
EngineRun runEngine(const QString &modelDir, const torch::Tensor &ids);

// What of the engine's run differs from the reference formulas' attention (1e-5, dense and
// compact records) and logits (logitsMatch; through the KV cache too with `withCache`);
// empty when everything agrees.
QString runMismatch(const EngineRun &run, const torch::Tensor &attentions, const torch::Tensor &logits, bool withCache = true);

// The one-line InputError message loading the folder throws ("(no error)" when none).
QString loadError(const QString &modelDir);

} // namespace attnscope::test
