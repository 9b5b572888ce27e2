#pragma once
// Which cells of an attention matrix a query could not see: future keys under a causal mask,
// keys beyond a local layer's sliding window, and padding keys. Drawn distinctly from a weight of zero. A pooled block counts as masked
// only when every cell in it is.

#include <torch/types.h>

namespace attnscope {

class CellMask {
public:
    CellMask() = default; // nothing masked

    // Query i sees key j only when j <= i + (keys − queries), as in AttentionInputs::causal.
    static CellMask causal(int64_t queries, int64_t keys);
    // Causal, and query i sees only keys j > i + (keys − queries) − window, as in
    // AttentionInputs::slidingWindow. A window of 0 is plain causal.
    static CellMask slidingWindow(int64_t queries, int64_t keys, int64_t window);
    // keyAllowed: [keys] bool, false for padding keys.
    CellMask withKeyAllowed(const torch::Tensor &keyAllowed) const;

    bool isEmpty() const { return !m_causal && !m_keyAllowed.defined(); }
    bool masked(int64_t row, int64_t col) const;

    // [ceil((r1 − r0) / block), ceil((c1 − c0) / block)] bool, true where every cell of the
    // block (rows r0 + i·block …, cols c0 + j·block …, cut at r1 and c1) is masked.
    // Undefined when the mask is empty.
    torch::Tensor blocks(int64_t r0, int64_t r1, int64_t c0, int64_t c1, int64_t block = 1) const;

private:
    bool m_causal = false;
    int64_t m_offset = 0;
    int64_t m_window = 0;         // > 0: keys further back than this are hidden too
    torch::Tensor m_keyAllowed;   // [S] bool
    torch::Tensor m_allowedSums;  // [S + 1] int64 prefix sums of m_keyAllowed
};

} // namespace attnscope
