#pragma once
// Weights held in memory under their checkpoint names. load() hands back the very tensors
// it holds, so a model built from them (buildModel) uses them as they are: the demo
// trainer's parameters, with gradients reaching them.

#include <string>
#include <utility>
#include <vector>

#include "core/io/safetensors_writer.h"
#include "core/io/weights.h"

namespace attnscope {

class MemoryWeights final : public WeightSource {
public:
    // `origin` names the source in error messages (e.g. "demo 'induction'").
    MemoryWeights(const NamedTensors &tensors, QString origin);

    std::vector<std::string> names() const override;
    bool contains(const std::string &name) const override;
    torch::Tensor load(const std::string &name) const override;
    QString fileOf(const std::string &name) const override;

private:
    const NamedTensors &m_tensors;
    QString m_origin;
};

} // namespace attnscope
