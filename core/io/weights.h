#pragma once
// A checkpoint's tensors by name, whatever the files on disk: model.safetensors,
// sharded safetensors (model.safetensors.index.json) or pytorch_model.bin (zip, read by
// our safe unpickler). Tensors come back as stored (F32, F16, BF16, integers), as views over
// the memory-mapped file: a bf16 checkpoint is never upcast whole; the model widens each
// matrix as it uses it (core/models/common/linear.h).

#include <memory>
#include <string>
#include <vector>

#include <QString>
#include <torch/types.h>

namespace attnscope {

class WeightSource {
public:
    virtual ~WeightSource() = default;
    virtual std::vector<std::string> names() const = 0;
    virtual bool contains(const std::string &name) const = 0;
    // Throws InputError naming the file and the tensor when it is missing or unreadable.
    virtual torch::Tensor load(const std::string &name) const = 0;
    // Where the tensor lives, for error messages (a file path).
    virtual QString fileOf(const std::string &name) const = 0;
};

// Opens the weights in a Hugging Face model folder; throws InputError when there are none.
std::unique_ptr<WeightSource> openWeights(const QString &modelDir);

} // namespace attnscope
