#include "core/models/common/activation.h"

#include <cmath>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "core/io/model_config.h"

namespace attnscope {

namespace {

const double kSqrtTwoOverPi = std::sqrt(2.0 / M_PI);

torch::Tensor geluExact(const torch::Tensor &x) { return torch::gelu(x); }

// transformers NewGELUActivation (GPT-2's "gelu_new") and gelu_pytorch_tanh.
torch::Tensor geluTanh(const torch::Tensor &x)
{
    return 0.5 * x * (1.0 + torch::tanh(kSqrtTwoOverPi * (x + 0.044715 * torch::pow(x, 3.0))));
}

torch::Tensor geluFast(const torch::Tensor &x)
{
    return 0.5 * x * (1.0 + torch::tanh(x * 0.7978845608 * (1.0 + 0.044715 * x * x)));
}

torch::Tensor quickGelu(const torch::Tensor &x) { return x * torch::sigmoid(1.702 * x); }
torch::Tensor silu(const torch::Tensor &x) { return torch::silu(x); }
torch::Tensor relu(const torch::Tensor &x) { return torch::relu(x); }
torch::Tensor relu6(const torch::Tensor &x) { return torch::clamp(x, 0, 6); }
torch::Tensor tanhActivation(const torch::Tensor &x) { return torch::tanh(x); }
torch::Tensor sigmoid(const torch::Tensor &x) { return torch::sigmoid(x); }
torch::Tensor mish(const torch::Tensor &x) { return torch::mish(x); }
torch::Tensor identity(const torch::Tensor &x) { return x; }

const std::vector<std::pair<QString, Activation>> &activations()
{
    static const std::vector<std::pair<QString, Activation>> list = {
        {QStringLiteral("gelu"), geluExact},
        {QStringLiteral("gelu_python"), geluExact},
        {QStringLiteral("gelu_new"), geluTanh},
        {QStringLiteral("gelu_pytorch_tanh"), geluTanh},
        {QStringLiteral("gelu_fast"), geluFast},
        {QStringLiteral("quick_gelu"), quickGelu},
        {QStringLiteral("silu"), silu},
        {QStringLiteral("swish"), silu},
        {QStringLiteral("relu"), relu},
        {QStringLiteral("relu6"), relu6},
        {QStringLiteral("tanh"), tanhActivation},
        {QStringLiteral("sigmoid"), sigmoid},
        {QStringLiteral("mish"), mish},
        {QStringLiteral("linear"), identity},
    };
    return list;
}

} // namespace

Activation activationByName(const ModelConfig &config, const QString &name)
{
    for (const auto &[known, function] : activations())
        if (known == name)
            return function;
    config.fail(QStringLiteral("activation '%1' is not supported (supported: %2)")
                    .arg(name, activationNames().join(QStringLiteral(", "))));
}

QStringList activationNames()
{
    QStringList names;
    for (const auto &entry : activations())
        names << entry.first;
    return names;
}

} // namespace attnscope
