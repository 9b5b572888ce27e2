#include "core/io/memory_weights.h"

#include <algorithm>

#include <torch/torch.h>

#include "core/io/input_error.h"

namespace attnscope {

MemoryWeights::MemoryWeights(const NamedTensors &tensors, QString origin)
    : m_tensors(tensors), m_origin(std::move(origin))
{
}

std::vector<std::string> MemoryWeights::names() const
{
    std::vector<std::string> list;
    for (const auto &[name, tensor] : m_tensors)
        list.push_back(name);
    return list;
}

bool MemoryWeights::contains(const std::string &name) const
{
    return std::any_of(m_tensors.begin(), m_tensors.end(), [&](const auto &entry) { return entry.first == name; });
}

torch::Tensor MemoryWeights::load(const std::string &name) const
{
    for (const auto &[stored, tensor] : m_tensors)
        if (stored == name)
            return tensor;
    throw InputError(m_origin, QStringLiteral("tensor '%1' is missing").arg(QString::fromStdString(name)));
}

QString MemoryWeights::fileOf(const std::string &) const
{
    return m_origin;
}

} // namespace attnscope
