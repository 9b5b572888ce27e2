#include "core/training/demo_checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QDir>
#include <QJsonDocument>
#include <torch/torch.h>

#include "core/io/input_error.h"
#include "core/io/json_file.h"
#include "core/io/memory_weights.h"
#include "core/io/model_config.h"

namespace attnscope {

DemoCheckpoint::DemoCheckpoint(QString name, QJsonObject config, uint64_t seed)
    : m_name(std::move(name)), m_config(std::move(config)), m_generator(at::detail::createCPUGenerator(seed))
{
}

void DemoCheckpoint::addNormal(const std::string &name, std::vector<int64_t> shape, double std)
{
    torch::Tensor value = torch::randn(shape, m_generator, torch::kFloat32) * std;
    m_parameters.emplace_back(name, value.requires_grad_());
}

void DemoCheckpoint::addConstant(const std::string &name, std::vector<int64_t> shape, double value, bool frozen)
{
    m_parameters.emplace_back(name, torch::full(shape, value, torch::kFloat32).requires_grad_(!frozen));
}

void DemoCheckpoint::addLinear(const std::string &name, int64_t out, int64_t in, double std)
{
    addNormal(name + ".weight", {out, in}, std);
    addConstant(name + ".bias", {out}, 0);
}

void DemoCheckpoint::addLayerNorm(const std::string &name, int64_t size)
{
    addConstant(name + ".weight", {size}, 1);
    addConstant(name + ".bias", {size}, 0);
}

void DemoCheckpoint::addEncoderLayers(const std::string &prefix, const EncoderLayerNames &names, int64_t layers,
                                      int64_t hidden, int64_t intermediate)
{
    for (int64_t i = 0; i < layers; ++i) {
        const std::string at = prefix + std::to_string(i) + ".";
        addLinear(at + names.query, hidden, hidden);
        addLinear(at + names.key, hidden, hidden);
        addLinear(at + names.value, hidden, hidden);
        addLinear(at + names.output, hidden, hidden);
        addLayerNorm(at + names.attentionNorm, hidden);
        addLinear(at + names.ffnIn, intermediate, hidden);
        addLinear(at + names.ffnOut, hidden, intermediate);
        addLayerNorm(at + names.ffnNorm, hidden);
    }
}

std::unique_ptr<Model> DemoCheckpoint::build() const
{
    const QString origin = QStringLiteral("demo '%1'").arg(m_name);
    const MemoryWeights weights(m_parameters, origin);
    return buildModel(origin, ModelConfig::fromJson(m_config, origin + QStringLiteral(" config")), weights);
}

void DemoCheckpoint::save(const QString &directory) const
{
    if (!QDir().mkpath(directory))
        throw InputError(directory, QStringLiteral("cannot create the folder"));
    writeJsonFile(QDir(directory).filePath(QStringLiteral("config.json")), m_config);
    NamedTensors stored;
    for (const auto &[name, value] : m_parameters)
        stored.emplace_back(name, value.detach().contiguous());
    writeSafetensors(QDir(directory).filePath(QStringLiteral("model.safetensors")), stored,
                     {{QStringLiteral("format"), QStringLiteral("pt")}});
}

} // namespace attnscope
