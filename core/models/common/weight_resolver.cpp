#include "core/models/common/weight_resolver.h"

#include <algorithm>

#include <QDir>

#include <torch/torch.h>

#include "core/io/input_error.h"
#include "core/io/weights.h"
#include "core/models/common/finite_scan.h"

namespace attnscope {

namespace {

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size()
        && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Old BERT and TF-converted checkpoints name LayerNorm parameters gamma and beta.
std::optional<std::string> legacyName(const std::string &name)
{
    const std::string stem = name.substr(0, name.rfind('.') + 1);
    if (endsWith(name, ".weight"))
        return stem + "gamma";
    if (endsWith(name, ".bias"))
        return stem + "beta";
    return std::nullopt;
}

QString shapeText(c10::IntArrayRef shape)
{
    QStringList sizes;
    for (int64_t size : shape)
        sizes << QString::number(size);
    return QStringLiteral("[%1]").arg(sizes.join(QStringLiteral(", ")));
}

} // namespace

WeightResolver::WeightResolver(const WeightSource &source, const ModelConfig &config,
                               std::vector<std::string> basePrefixes)
    : m_source(source), m_config(config), m_prefixes(std::move(basePrefixes))
{
}

WeightResolver::~WeightResolver() = default;

std::optional<std::string> WeightResolver::resolve(const std::string &name) const
{
    std::vector<std::string> candidates{name};
    for (const std::string &prefix : m_prefixes) {
        if (name.rfind(prefix, 0) == 0)
            candidates.push_back(name.substr(prefix.size()));
        else
            candidates.push_back(prefix + name);
    }
    for (const std::string &candidate : candidates)
        if (m_source.contains(candidate))
            return candidate;
    for (const std::string &candidate : candidates)
        if (const auto legacy = legacyName(candidate); legacy && m_source.contains(*legacy))
            return legacy;
    return std::nullopt;
}

std::string WeightResolver::storedNameOf(const std::string &name) const
{
    // A checkpoint with a task head stores the base model under its prefix ("bert."): name a
    // missing tensor the way this checkpoint would have stored it.
    const std::vector<std::string> stored = m_source.names();
    for (const std::string &prefix : m_prefixes) {
        if (name.rfind(prefix, 0) == 0)
            continue;
        const bool checkpointUsesPrefix = std::any_of(stored.begin(), stored.end(), [&](const std::string &s) {
            return s.rfind(prefix, 0) == 0;
        });
        if (checkpointUsesPrefix)
            return prefix + name;
    }
    return name;
}

bool WeightResolver::contains(const std::string &name) const
{
    return resolve(name).has_value();
}

QString WeightResolver::weightsFile() const
{
    const std::vector<std::string> names = m_source.names();
    return names.empty() ? QFileInfo(m_config.path()).absolutePath() : m_source.fileOf(names.front());
}

torch::Tensor WeightResolver::stored(const std::string &name, const std::vector<int64_t> &shape) const
{
    const std::optional<std::string> storedName = resolve(name);
    if (!storedName)
        throw InputError(weightsFile(), QStringLiteral("tensor '%1' is missing").arg(QString::fromStdString(storedNameOf(name))));
    torch::Tensor value = m_source.load(*storedName);
    if (value.sizes() != c10::IntArrayRef(shape))
        throw InputError(m_source.fileOf(*storedName),
                         QStringLiteral("tensor '%1' has shape %2, expected %3")
                             .arg(QString::fromStdString(*storedName), shapeText(value.sizes()), shapeText(shape)));
    if (!value.is_floating_point())
        throw InputError(m_source.fileOf(*storedName),
                         QStringLiteral("tensor '%1' holds %2 values, not floating-point weights")
                             .arg(QString::fromStdString(*storedName), QString::fromLatin1(c10::toString(value.scalar_type()))));
    if (m_loaded.insert(*storedName).second) {
        m_loadedParameters += value.numel();
        // Once per tensor, at load: NaN or infinity in a weight makes every attention NaN.
        if (const std::optional<int64_t> element = nonFiniteElement(value))
            throw InputError(m_source.fileOf(*storedName),
                             QStringLiteral("tensor '%1' holds NaN or infinite values (element %2 is one)")
                                 .arg(QString::fromStdString(*storedName)).arg(*element));
    }
    return value;
}

torch::Tensor WeightResolver::tensor(const std::string &name, const std::vector<int64_t> &shape) const
{
    return stored(name, shape).to(torch::kFloat32).contiguous();
}

Linear WeightResolver::linear(const std::string &name, int64_t out, int64_t in, bool bias) const
{
    Linear layer;
    layer.weight = stored(name + ".weight", {out, in});
    if (bias)
        layer.bias = tensor(name + ".bias", {out});
    return layer;
}

Linear WeightResolver::conv1d(const std::string &name, int64_t in, int64_t out) const
{
    Linear layer;
    layer.weight = stored(name + ".weight", {in, out}).t();
    layer.bias = tensor(name + ".bias", {out});
    return layer;
}

LayerNorm WeightResolver::layerNorm(const std::string &name, int64_t size, double eps, bool bias) const
{
    LayerNorm norm;
    norm.weight = tensor(name + ".weight", {size});
    if (bias)
        norm.bias = tensor(name + ".bias", {size});
    norm.eps = eps;
    return norm;
}

RmsNorm WeightResolver::rmsNorm(const std::string &name, int64_t size, double eps) const
{
    return RmsNorm{tensor(name + ".weight", {size}), eps};
}

int64_t WeightResolver::loadedParameters() const
{
    return m_loadedParameters;
}

} // namespace attnscope
