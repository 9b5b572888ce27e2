#include "core/io/weights.h"

#include <QDir>
#include <QFileInfo>

#include "core/io/input_error.h"
#include "core/io/safetensors_file.h"
#include "core/io/sharded_weights.h"

namespace attnscope {

std::unique_ptr<WeightSource> openWeights(const QString &modelDir)
{
    if (!QFileInfo(modelDir).isDir())
        throw InputError(modelDir, QStringLiteral("is not a folder"));
    const QDir dir(modelDir);
    auto openSafetensors = [](const QString &path) -> std::unique_ptr<WeightSource> {
        return SafetensorsFile::open(path);
    };
    // The order Hugging Face transformers prefers them in.
    const QString single = dir.filePath(QStringLiteral("model.safetensors"));
    if (QFileInfo::exists(single))
        return openSafetensors(single);
    const QString index = dir.filePath(QStringLiteral("model.safetensors.index.json"));
    if (QFileInfo::exists(index))
        return ShardedWeights::open(index, openSafetensors);
    throw InputError(modelDir, QStringLiteral("holds no weights (looked for model.safetensors, "
                                              "model.safetensors.index.json, pytorch_model.bin "
                                              "and pytorch_model.bin.index.json)"));
}

} // namespace attnscope
