#include "viz/tile_cache.h"

namespace attnscope {

torch::Tensor TileCache::find(const TileKey &key)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto found = m_index.find(key);
    if (found == m_index.end())
        return {};
    m_order.splice(m_order.begin(), m_order, found->second);
    return found->second->second;
}

bool TileCache::contains(const TileKey &key) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_index.count(key) > 0;
}

void TileCache::insert(const TileKey &key, const torch::Tensor &tile)
{
    // A view into a larger tensor would keep all of it alive behind the budget's back.
    const torch::Tensor values = int64_t(tile.storage().nbytes()) > sizeOf(tile) ? tile.clone() : tile;
    const int64_t size = sizeOf(values);
    std::lock_guard<std::mutex> lock(m_mutex);
    if (const auto found = m_index.find(key); found != m_index.end()) {
        m_bytes -= sizeOf(found->second->second);
        m_order.erase(found->second);
        m_index.erase(found);
    }
    if (size > m_budget)
        return;
    while (m_bytes + size > m_budget) {
        m_bytes -= sizeOf(m_order.back().second);
        m_index.erase(m_order.back().first);
        m_order.pop_back();
    }
    m_order.emplace_front(key, values);
    m_index[key] = m_order.begin();
    m_bytes += size;
}

void TileCache::clear()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_order.clear();
    m_index.clear();
    m_bytes = 0;
}

int64_t TileCache::bytes() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_bytes;
}

size_t TileCache::count() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_index.size();
}

} // namespace attnscope
