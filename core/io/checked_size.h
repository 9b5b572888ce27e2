#pragma once
// Arithmetic on numbers read from untrusted files (shapes, dtype sizes, offsets, counts):
// every result is checked to stay below 2^62, so that a product that would wrap around 64
// bits (a [2^31, 2^31] F32 tensor "holding" 0 bytes) is refused instead of passing a size
// check and aborting later.

#include <cstdint>
#include <optional>
#include <vector>

namespace attnscope {

// Above this a size is refused: no file or allocation of ours comes near 4 EiB, and any
// product of a checked value and a small factor still fits in int64_t.
constexpr int64_t kMaxCheckedSize = int64_t(1) << 62;

inline std::optional<int64_t> checkedMultiply(int64_t a, int64_t b)
{
    if (a < 0 || b < 0 || a > kMaxCheckedSize || b > kMaxCheckedSize || (a > 0 && b > kMaxCheckedSize / a))
        return std::nullopt;
    return a * b;
}

// Product of the dimensions times the element size; nullopt when a dimension is negative
// or the product too large.
inline std::optional<int64_t> checkedByteSize(const std::vector<int64_t> &shape, int64_t elementBytes = 1)
{
    std::optional<int64_t> total = elementBytes;
    for (const int64_t size : shape) {
        if (!total)
            break;
        total = checkedMultiply(*total, size);
    }
    return total;
}

} // namespace attnscope
