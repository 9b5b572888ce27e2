#include "core/io/torch_pickle.h"

#include <map>

#include "core/io/input_error.h"
#include "core/io/safe_unpickler.h"
#include "core/io/tensor_layout.h"

namespace attnscope {

namespace {
using Kind = PickleValue::Kind;

// What a persistent id stands for in the pickle: a storage by key.
struct StorageReference {
    std::string key;
    TorchStorageRecord record;
};

// The storage classes torch.save names (the legacy typed names, kept by every version).
const std::map<std::string, torch::ScalarType> kStorageTypes = {
    {"FloatStorage", torch::kFloat32}, {"DoubleStorage", torch::kFloat64},
    {"HalfStorage", torch::kFloat16},  {"BFloat16Storage", torch::kBFloat16},
    {"LongStorage", torch::kInt64},    {"IntStorage", torch::kInt32},
    {"ShortStorage", torch::kInt16},   {"CharStorage", torch::kInt8},
    {"ByteStorage", torch::kUInt8},    {"BoolStorage", torch::kBool},
};
const std::string kOrderedDict = "collections.OrderedDict";
const std::string kRebuildTensor = "torch._utils._rebuild_tensor_v2";
const std::string kRebuildParameter = "torch._utils._rebuild_parameter";
const std::string kRebuildParameterWithState = "torch._utils._rebuild_parameter_with_state";

[[noreturn]] void refuse(const QString &problem) { throw PickleRefusal{problem}; }

const PickleValue &argument(const PickleValue &args, size_t index, Kind kind, const char *callee)
{
    if (index >= args.items.size() || !args.items[index]->is(kind))
        refuse(QStringLiteral("%1 argument %2 is not a %3").arg(QLatin1String(callee)).arg(index + 1)
                   .arg(QLatin1String(kindName(kind))));
    return *args.items[index];
}

std::vector<int64_t> integers(const PickleValue &tuple, const char *what)
{
    std::vector<int64_t> values;
    for (const PickleRef &item : tuple.items) {
        if (!item->is(Kind::Int) || item->integer < 0)
            refuse(QStringLiteral("tensor %1 holds something other than non-negative integers")
                       .arg(QLatin1String(what)));
        values.push_back(item->integer);
    }
    return values;
}

class TorchHooks : public PickleHooks {
public:
    explicit TorchHooks(const StorageBytes &storageBytes) : m_storageBytes(storageBytes) {}

    std::map<std::string, TorchStorageRecord> storages;

    PickleRef global(const std::string &module, const std::string &name) override
    {
        const std::string full = module + "." + name;
        const bool storage = module == "torch" && kStorageTypes.count(name);
        if (!storage && full != kOrderedDict && full != kRebuildTensor && full != kRebuildParameter
            && full != kRebuildParameterWithState)
            refuse(QStringLiteral("refuses global '%1': only the types torch.save writes for tensors are allowed")
                       .arg(QString::fromStdString(full)));
        PickleRef made = PickleValue::make(Kind::Global);
        made->text = full;
        return made;
    }

    PickleRef call(const PickleValue &callable, const PickleValue &args) override
    {
        if (!callable.is(Kind::Global))
            refuse(QStringLiteral("REDUCE calls a %1, not an allowed global").arg(QLatin1String(kindName(callable.kind))));
        if (callable.text == kOrderedDict) {
            if (!args.items.empty())
                refuse(QStringLiteral("OrderedDict is called with arguments"));
            return PickleValue::make(Kind::Dict);
        }
        if (callable.text == kRebuildTensor)
            return rebuildTensor(args);
        if (callable.text == kRebuildParameter || callable.text == kRebuildParameterWithState) {
            const PickleValue &data = argument(args, 0, Kind::Extension, "_rebuild_parameter");
            if (!std::any_cast<TorchTensorRecord>(&data.extension))
                refuse(QStringLiteral("_rebuild_parameter gets something other than a tensor"));
            return args.items[0];
        }
        refuse(QStringLiteral("'%1' cannot be called").arg(QString::fromStdString(callable.text)));
    }

    // OrderedDict's state holds attributes such as _metadata (module versions): not needed.
    void build(PickleValue &target, const PickleValue &) override
    {
        if (!target.is(Kind::Dict))
            refuse(QStringLiteral("BUILD on a %1").arg(QLatin1String(kindName(target.kind))));
    }

    PickleRef persistentLoad(const PickleValue &id) override
    {
        // The legacy format adds a sixth item, a view of the storage, never set by PyTorch ≥ 1.0.
        const bool legacy = id.items.size() == 6 && id.items[5]->is(Kind::None);
        if (!id.is(Kind::Tuple) || (id.items.size() != 5 && !legacy) || !id.items[0]->is(Kind::Text)
            || id.items[0]->text != "storage")
            refuse(QStringLiteral("persistent id is not ('storage', type, key, location, numel)"));
        const PickleValue &type = argument(id, 1, Kind::Global, "storage");
        const PickleValue &key = argument(id, 2, Kind::Text, "storage");
        const PickleValue &numel = argument(id, 4, Kind::Int, "storage");
        const auto storageType = kStorageTypes.find(type.text.substr(type.text.find('.') + 1));
        if (storageType == kStorageTypes.end())
            refuse(QStringLiteral("'%1' is not a storage type").arg(QString::fromStdString(type.text)));
        const int64_t elementBytes = int64_t(c10::elementSize(storageType->second));
        const qint64 available = m_storageBytes(key.text);
        if (numel.integer < 0 || numel.integer > available / elementBytes)
            refuse(QStringLiteral("storage '%1' claims %2 elements of %3 bytes but its entry holds %4 bytes")
                       .arg(QString::fromStdString(key.text)).arg(numel.integer).arg(elementBytes).arg(available));
        const auto [known, added] = storages.emplace(key.text, TorchStorageRecord{storageType->second, numel.integer});
        if (!added && (known->second.type != storageType->second || known->second.numel != numel.integer))
            refuse(QStringLiteral("storage '%1' is described twice, differently").arg(QString::fromStdString(key.text)));
        PickleRef made = PickleValue::make(Kind::Extension);
        made->extension = StorageReference{key.text, known->second};
        return made;
    }

private:
    PickleRef rebuildTensor(const PickleValue &args)
    {
        const PickleValue &storage = argument(args, 0, Kind::Extension, "_rebuild_tensor_v2");
        const auto *reference = std::any_cast<StorageReference>(&storage.extension);
        if (!reference)
            refuse(QStringLiteral("_rebuild_tensor_v2 gets something other than a storage"));
        TorchTensorRecord tensor;
        tensor.storageKey = reference->key;
        tensor.type = reference->record.type;
        tensor.storageOffset = argument(args, 1, Kind::Int, "_rebuild_tensor_v2").integer;
        tensor.sizes = integers(argument(args, 2, Kind::Tuple, "_rebuild_tensor_v2"), "sizes");
        tensor.strides = integers(argument(args, 3, Kind::Tuple, "_rebuild_tensor_v2"), "strides");
        const std::optional<int64_t> reached = reachedElements(tensor.storageOffset, tensor.sizes, tensor.strides);
        if (!reached || *reached > reference->record.numel)
            refuse(QStringLiteral("a tensor of shape %1 at offset %2 reaches past the %3 elements of storage '%4'")
                       .arg(shapeText(tensor.sizes)).arg(tensor.storageOffset).arg(reference->record.numel)
                       .arg(QString::fromStdString(reference->key)));
        PickleRef made = PickleValue::make(Kind::Extension);
        made->extension = tensor;
        return made;
    }

    const StorageBytes &m_storageBytes;
};
} // namespace

TorchPickle readTorchPickle(QByteArrayView pickle, const StorageBytes &storageBytes, const QString &source,
                            const QString &where, qint64 *consumed)
{
    TorchHooks hooks(storageBytes);
    const PickleRef root = unpickle(pickle, hooks, source, where, consumed);
    if (!root->is(Kind::Dict))
        throw InputError(source, QStringLiteral("%1 holds a %2, not a state_dict").arg(where, QLatin1String(kindName(root->kind))));
    std::vector<TorchTensorRecord> tensors;
    std::map<std::string, size_t> indexOf;
    for (size_t i = 0; i + 1 < root->items.size(); i += 2) {
        const PickleValue &key = *root->items[i];
        const auto *tensor = std::any_cast<TorchTensorRecord>(&root->items[i + 1]->extension);
        if (!key.is(Kind::Text) || !tensor)
            continue; // not a named tensor (e.g. a step counter); nothing to load
        TorchTensorRecord named = *tensor;
        named.name = key.text;
        const auto [it, added] = indexOf.emplace(named.name, tensors.size());
        if (added)
            tensors.push_back(std::move(named));
        else
            tensors[it->second] = std::move(named); // a repeated key replaces, as in Python
    }
    if (tensors.empty())
        throw InputError(source, QStringLiteral("%1 holds no named tensors").arg(where));
    return {std::move(tensors), std::move(hooks.storages)};
}

} // namespace attnscope
