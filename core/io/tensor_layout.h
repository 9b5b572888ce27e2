#pragma once
// Overflow-safe sizes of tensors described by untrusted files, and the safetensors dtype
// names. Every count is refused past 2^62 so that byte arithmetic on it cannot overflow.

#include <cstdint>
#include <optional>
#include <vector>

#include <QString>
#include <torch/types.h>

namespace attnscope {

// Product of the dimensions; nullopt when a dimension is negative or the product too large.
std::optional<int64_t> elementCount(const std::vector<int64_t> &sizes);

// 1 + the largest element index a strided view reaches from its storage offset (0 when the
// view is empty); nullopt on negative or overflowing values.
std::optional<int64_t> reachedElements(int64_t storageOffset, const std::vector<int64_t> &sizes,
                                       const std::vector<int64_t> &strides);

// A safetensors dtype name ("F32", "BF16", "U16" …), its element size and the torch type
// holding it (none for the ones LibTorch 1.13 lacks: U16, U32, U64, F8_E4M3, F8_E5M2).
struct SafetensorsDtype {
    const char *name;
    int bytes;
    std::optional<torch::ScalarType> type;
};
std::optional<SafetensorsDtype> safetensorsDtype(const QString &name); // nullopt when unknown
// kFloat → "F32" …; empty for types safetensors has no name for (complex).
QString safetensorsNameOf(torch::ScalarType type);

// A shape as "[2, 3]" for messages.
QString shapeText(const std::vector<int64_t> &sizes);

} // namespace attnscope
