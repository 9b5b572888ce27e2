#pragma once
// A pytorch_model.bin written by torch.save: the zip format of PyTorch ≥ 1.6 (the zip holds
// <archive>/data.pkl and one stored entry per storage, <archive>/data/<key>) or the legacy
// format before it. The pickle is read by our safe unpickler; tensors are views over the
// memory-mapped file; F16 is upcast to F32.

#include <map>
#include <memory>

#include "core/io/mapped_file.h"
#include "core/io/torch_pickle.h"
#include "core/io/weights.h"

namespace attnscope {

class TorchCheckpoint : public WeightSource {
public:
    // Throws InputError naming the file and the problem.
    static std::unique_ptr<TorchCheckpoint> open(const QString &path);

    std::vector<std::string> names() const override; // in the order they were saved
    bool contains(const std::string &name) const override;
    torch::Tensor load(const std::string &name) const override;
    QString fileOf(const std::string &) const override { return m_file->path(); }

private:
    TorchCheckpoint(std::shared_ptr<const MappedFile> file, std::vector<TorchTensorRecord> tensors,
                    std::map<std::string, qint64> storageOffsets);

    std::shared_ptr<const MappedFile> m_file;
    std::vector<TorchTensorRecord> m_tensors;
    std::map<std::string, size_t> m_indexOf;
    std::map<std::string, qint64> m_storageOffsets; // key → byte offset in the file
};

} // namespace attnscope
