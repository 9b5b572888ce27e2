#pragma once
// Writes named tensors and string metadata as one .safetensors file (atomically: a reader
// never sees half a file). Any dtype safetensors names is kept as is (F64, F32, F16, BF16,
// I64, I32, I16, I8, U8, BOOL). Data is laid out by element size, largest first, so every
// tensor is aligned in the file, as the reference implementation does.

#include <string>
#include <utility>
#include <vector>

#include <QMap>
#include <QString>
#include <torch/types.h>

namespace attnscope {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// Throws std::invalid_argument for a duplicate or reserved name or a dtype safetensors has
// no name for, InputError(path, …) when the file cannot be written.
void writeSafetensors(const QString &path, const NamedTensors &tensors,
                      const QMap<QString, QString> &metadata = {});

} // namespace attnscope
