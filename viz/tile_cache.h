#pragma once
// Least-recently-used tiles, bounded in bytes; safe to use from the UI and worker threads.

#include <list>
#include <mutex>
#include <unordered_map>

#include <torch/types.h>

#include "viz/pyramid_geometry.h"

namespace attnscope {

class TileCache {
public:
    explicit TileCache(int64_t budgetBytes) : m_budget(budgetBytes) {}

    // The tile, now the most recently used; undefined when absent.
    torch::Tensor find(const TileKey &key);
    bool contains(const TileKey &key) const;
    // Stores the tile as most recently used, evicting the oldest beyond the budget. A tile
    // larger than the whole budget is not kept.
    void insert(const TileKey &key, const torch::Tensor &values);
    void clear();

    int64_t bytes() const;
    int64_t budget() const { return m_budget; }
    size_t count() const;

private:
    using Entry = std::pair<TileKey, torch::Tensor>;
    static int64_t sizeOf(const torch::Tensor &values) { return values.numel() * values.element_size(); }

    const int64_t m_budget;
    mutable std::mutex m_mutex;
    std::list<Entry> m_order; // most recent first
    std::unordered_map<TileKey, std::list<Entry>::iterator, TileKeyHash> m_index;
    int64_t m_bytes = 0;
};

} // namespace attnscope
