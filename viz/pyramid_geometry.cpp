#include "viz/pyramid_geometry.h"

#include <algorithm>
#include <stdexcept>

namespace attnscope {

PyramidGeometry::PyramidGeometry(int64_t rows, int64_t cols, int tileSize)
    : m_rows(rows), m_cols(cols), m_tileSize(tileSize), m_levels(1)
{
    if (rows < 1 || cols < 1)
        throw std::invalid_argument("tile pyramid: the matrix is empty");
    if (tileSize < 1)
        throw std::invalid_argument("tile pyramid: tiles must hold at least one cell");
    while (std::max(levelRows(m_levels - 1), levelCols(m_levels - 1)) > tileSize)
        ++m_levels;
}

bool PyramidGeometry::contains(const TileKey &key) const
{
    return key.level >= 0 && key.level < m_levels && key.row >= 0 && key.col >= 0 &&
           key.row < tileRows(key.level) && key.col < tileCols(key.level);
}

CellRect PyramidGeometry::tileOutput(const TileKey &key) const
{
    const int64_t r0 = key.row * m_tileSize, c0 = key.col * m_tileSize;
    return {r0, std::min(r0 + m_tileSize, levelRows(key.level)), c0,
            std::min(c0 + m_tileSize, levelCols(key.level))};
}

CellRect PyramidGeometry::cellsOf(int level, const CellRect &output) const
{
    const int64_t block = blockSize(level);
    return {output.r0 * block, std::min(output.r1 * block, m_rows), output.c0 * block,
            std::min(output.c1 * block, m_cols)};
}

CellRect PyramidGeometry::tileCells(const TileKey &key) const
{
    return cellsOf(key.level, tileOutput(key));
}

} // namespace attnscope
