#include "core/io/tensor_layout.h"

#include <QStringList>

#include "core/io/checked_size.h"

namespace attnscope {

namespace {
constexpr int64_t kLimit = kMaxCheckedSize;

const SafetensorsDtype kDtypes[] = {
    {"F64", 8, torch::kFloat64}, {"F32", 4, torch::kFloat32}, {"F16", 2, torch::kFloat16},
    {"BF16", 2, torch::kBFloat16}, {"I64", 8, torch::kInt64}, {"I32", 4, torch::kInt32},
    {"I16", 2, torch::kInt16}, {"I8", 1, torch::kInt8}, {"U8", 1, torch::kUInt8},
    {"BOOL", 1, torch::kBool}, {"U64", 8, std::nullopt}, {"U32", 4, std::nullopt},
    {"U16", 2, std::nullopt}, {"F8_E4M3", 1, std::nullopt}, {"F8_E5M2", 1, std::nullopt},
};
} // namespace

std::optional<int64_t> elementCount(const std::vector<int64_t> &sizes)
{
    return checkedByteSize(sizes, 1);
}

std::optional<int64_t> reachedElements(int64_t storageOffset, const std::vector<int64_t> &sizes,
                                       const std::vector<int64_t> &strides)
{
    if (storageOffset < 0 || storageOffset > kLimit || sizes.size() != strides.size())
        return std::nullopt;
    int64_t last = storageOffset;
    bool empty = false;
    for (size_t i = 0; i < sizes.size(); ++i) {
        if (sizes[i] < 0 || strides[i] < 0)
            return std::nullopt;
        if (sizes[i] == 0) {
            empty = true;
            continue;
        }
        if (strides[i] > 0 && sizes[i] - 1 > (kLimit - last) / strides[i])
            return std::nullopt;
        last += (sizes[i] - 1) * strides[i];
    }
    return empty ? 0 : last + 1;
}

std::optional<SafetensorsDtype> safetensorsDtype(const QString &name)
{
    for (const SafetensorsDtype &dtype : kDtypes)
        if (name == QLatin1String(dtype.name))
            return dtype;
    return std::nullopt;
}

QString safetensorsNameOf(torch::ScalarType type)
{
    for (const SafetensorsDtype &dtype : kDtypes)
        if (dtype.type == type)
            return QLatin1String(dtype.name);
    return {};
}

QString shapeText(const std::vector<int64_t> &sizes)
{
    QStringList parts;
    for (int64_t size : sizes)
        parts << QString::number(size);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

} // namespace attnscope
