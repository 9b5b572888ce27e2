#include "core/io/weights.h"

#include <QDir>
#include <QFileInfo>

#include "core/io/input_error.h"
#include "core/io/safetensors_file.h"
#include "core/io/sharded_weights.h"
#include "core/io/torch_checkpoint.h"

namespace attnscope {

namespace {
std::unique_ptr<WeightSource> openSafetensors(const QString &path) { return SafetensorsFile::open(path); }
std::unique_ptr<WeightSource> openTorch(const QString &path) { return TorchCheckpoint::open(path); }
} // namespace

std::unique_ptr<WeightSource> openWeights(const QString &modelDir)
{
    if (!QFileInfo(modelDir).isDir())
        throw InputError(modelDir, QStringLiteral("is not a folder"));
    const QDir dir(modelDir);
    // In the order Hugging Face transformers prefers them.
    const QString single = dir.filePath(QStringLiteral("model.safetensors"));
    if (QFileInfo::exists(single))
        return openSafetensors(single);
    const QString index = dir.filePath(QStringLiteral("model.safetensors.index.json"));
    if (QFileInfo::exists(index))
        return ShardedWeights::open(index, openSafetensors);
    const QString bin = dir.filePath(QStringLiteral("pytorch_model.bin"));
    if (QFileInfo::exists(bin))
        return openTorch(bin);
    const QString binIndex = dir.filePath(QStringLiteral("pytorch_model.bin.index.json"));
    if (QFileInfo::exists(binIndex))
        return ShardedWeights::open(binIndex, openTorch);
    throw InputError(modelDir, QStringLiteral("holds no weights (looked for model.safetensors, "
                                              "model.safetensors.index.json, pytorch_model.bin "
                                              "and pytorch_model.bin.index.json)"));
}

} // namespace attnscope
