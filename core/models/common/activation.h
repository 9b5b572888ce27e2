#pragma once
// Activation functions by their Hugging Face config name ("hidden_act",
// "activation_function"), each written as the transformers formula.

#include <functional>

#include <QString>
#include <QStringList>
#include <torch/types.h>

namespace attnscope {

class ModelConfig;

using Activation = std::function<torch::Tensor(const torch::Tensor &)>;

// Throws InputError naming the config file when the name is unknown, listing the known ones.
Activation activationByName(const ModelConfig &config, const QString &name);
QStringList activationNames();

} // namespace attnscope
