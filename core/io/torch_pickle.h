#pragma once
// What torch.save's data.pkl may contain, and nothing more: an (Ordered)dict of tensors
// rebuilt by torch._utils._rebuild_tensor_v2 (or _rebuild_parameter) over storages named
// by persistent ids ('storage', torch.<Type>Storage, key, location, numel[, view]). Any other
// global is refused with its name.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <QByteArrayView>
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

struct TorchStorageRecord {
    torch::ScalarType type = torch::kFloat32;
    int64_t numel = 0; // as the pickle claims it
};

struct TorchPickle {
    std::vector<TorchTensorRecord> tensors; // in the order they were saved
    std::map<std::string, TorchStorageRecord> storages; // by key
};

// The storage's size in bytes, or throws PickleRefusal when there is no such storage.
using StorageBytes = std::function<qint64(const std::string &key)>;

// The tensors of a torch.save'd state_dict read from the start of `pickle` (`consumed` gets
// the pickle's length). Throws InputError naming `source` on anything it does not accept;
// every storage is checked to fit its bytes and every view to stay inside its storage.
TorchPickle readTorchPickle(QByteArrayView pickle, const StorageBytes &storageBytes,
                            const QString &source, const QString &where, qint64 *consumed = nullptr);

} // namespace attnscope
