#pragma once
// What torch.save's data.pkl may contain, and nothing more: an (Ordered)dict of tensors
// rebuilt by torch._utils._rebuild_tensor_v2 (or _rebuild_parameter) over storages named
// by persistent ids ('storage', torch.<Type>Storage, key, location, numel). Any other
// global is refused with its name.

#include <functional>
#include <string>
#include <vector>

#include <QByteArray>
#include <QString>
#include <torch/types.h>

namespace attnscope {

struct TorchTensorRecord {
    std::string name;
    std::string storageKey; // the archive entry <archive>/data/<key>
    torch::ScalarType type = torch::kFloat32;
    int64_t storageOffset = 0; // in elements
    std::vector<int64_t> sizes, strides;
};

// Returns the storage's size in bytes, or throws when the key has no entry in the archive.
using StorageBytes = std::function<qint64(const std::string &key)>;

// The tensors of a torch.save'd state_dict, in the order they were saved. Throws InputError
// naming `source` on anything it does not accept; every view is checked to stay inside its
// storage.
std::vector<TorchTensorRecord> readTorchPickle(const QByteArray &pickle, const StorageBytes &storageBytes,
                                               const QString &source, const QString &where);

} // namespace attnscope
