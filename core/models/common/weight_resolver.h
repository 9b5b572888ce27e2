#pragma once
// A family's view of a checkpoint: tensors by the names the family knows, whatever prefix
// the checkpoint adds ("bert.", "model.", "transformer." …) or drops, legacy LayerNorm
// names (gamma/beta), every shape and dtype checked. Matrices stay as stored (a bf16
// checkpoint stays bf16, mapped from the file) and are widened to fp32 as they are used;
// vectors (norms, biases) come as fp32. Errors are one line naming the file and the tensor.

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <QString>
#include <torch/types.h>

#include "core/io/model_config.h"
#include "core/models/common/layer_norm.h"
#include "core/models/common/linear.h"

namespace attnscope {

class WeightSource;

class WeightResolver {
public:
    // basePrefixes: the prefixes a checkpoint with a task head puts before the base model's
    // names (e.g. {"model."}); names are looked up bare first, then with each prefix.
    WeightResolver(const WeightSource &source, const ModelConfig &config,
                   std::vector<std::string> basePrefixes);
    ~WeightResolver();

    const ModelConfig &config() const { return m_config; }
    bool contains(const std::string &name) const;

    // The tensor as fp32, checked against `shape`.
    torch::Tensor tensor(const std::string &name, const std::vector<int64_t> &shape) const;
    // The tensor as stored (F32, F16 or BF16, a view over the file), checked against `shape`:
    // for matrices and embedding tables, which Linear and embeddingRows widen as they use them.
    torch::Tensor stored(const std::string &name, const std::vector<int64_t> &shape) const;

    // name.weight [out, in] and, when `bias`, name.bias [out].
    Linear linear(const std::string &name, int64_t out, int64_t in, bool bias = true) const;
    // GPT-2's Conv1D: name.weight stored [in, out], name.bias [out].
    Linear conv1d(const std::string &name, int64_t in, int64_t out) const;
    LayerNorm layerNorm(const std::string &name, int64_t size, double eps, bool bias = true) const;
    RmsNorm rmsNorm(const std::string &name, int64_t size, double eps) const;

    // Elements of every distinct tensor loaded so far (tied tensors count once).
    int64_t loadedParameters() const;

private:
    std::optional<std::string> resolve(const std::string &name) const;
    std::string storedNameOf(const std::string &name) const;
    QString weightsFile() const;

    const WeightSource &m_source;
    ModelConfig m_config;
    std::vector<std::string> m_prefixes;
    mutable std::set<std::string> m_loaded;
    mutable int64_t m_loadedParameters = 0;
};

} // namespace attnscope
