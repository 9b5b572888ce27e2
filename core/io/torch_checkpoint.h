#pragma once
// A pytorch_model.bin written by torch.save (the zip format of PyTorch ≥ 1.6): the zip
// holds <archive>/data.pkl, read by our safe unpickler, and one stored entry per storage,
// <archive>/data/<key>. Tensors are views over the memory-mapped file; F16 is upcast to F32.

#include <map>
#include <memory>

#include "core/io/torch_pickle.h"
#include "core/io/weights.h"
#include "core/io/zip_archive.h"

namespace attnscope {

class TorchCheckpoint : public WeightSource {
public:
    // Throws InputError naming the file and the problem.
    static std::unique_ptr<TorchCheckpoint> open(const QString &path);

    std::vector<std::string> names() const override; // in the order they were saved
    bool contains(const std::string &name) const override;
    torch::Tensor load(const std::string &name) const override;
    QString fileOf(const std::string &) const override { return m_archive.file()->path(); }

private:
    explicit TorchCheckpoint(ZipArchive archive) : m_archive(std::move(archive)) {}

    ZipArchive m_archive;
    std::string m_prefix; // "<archive>/"
    std::vector<TorchTensorRecord> m_tensors;
    std::map<std::string, size_t> m_indexOf;
};

} // namespace attnscope
