#pragma once
// A demonstration model while it trains: its config.json and its parameters under the names
// a Hugging Face checkpoint of that family uses. The model is built by the same loader that
// reads checkpoints from disk, so what trains is exactly what the app later explores.

#include <memory>
#include <vector>

#include <QJsonObject>
#include <QString>
#include <torch/types.h>

#include "core/io/safetensors_writer.h"
#include "core/models/common/encoder_layer.h"
#include "core/models/model.h"

namespace attnscope {

class DemoCheckpoint {
public:
    DemoCheckpoint(QString name, QJsonObject config, uint64_t seed);

    const QString &name() const { return m_name; }
    const QJsonObject &config() const { return m_config; }
    const NamedTensors &parameters() const { return m_parameters; }

    // New parameters, trainable: N(0, std²) (GPT-2 / BERT / ViT initialisation), or a constant
    // (LayerNorm weights 1, biases 0). A frozen constant is saved but never trained.
    void addNormal(const std::string &name, std::vector<int64_t> shape, double std);
    void addConstant(const std::string &name, std::vector<int64_t> shape, double value, bool frozen = false);
    // name.weight [out, in] ~ N(0, std²) and name.bias [out] = 0.
    void addLinear(const std::string &name, int64_t out, int64_t in, double std = 0.02);
    // name.weight = 1, name.bias = 0.
    void addLayerNorm(const std::string &name, int64_t size);
    // `layers` encoder layers named prefix + "N." + names (BERT's or ViT's).
    void addEncoderLayers(const std::string &prefix, const EncoderLayerNames &names, int64_t layers,
                          int64_t hidden, int64_t intermediate);

    // The model over the current parameters (cheap: no copies but GPT-2's transposed Conv1D).
    std::unique_ptr<Model> build() const;

    // config.json and model.safetensors into `directory` (created when missing).
    void save(const QString &directory) const;

private:
    QString m_name;
    QJsonObject m_config;
    NamedTensors m_parameters;
    torch::Generator m_generator;
};

} // namespace attnscope
