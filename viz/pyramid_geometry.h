#pragma once
// The shape of a tile pyramid over a rows × cols matrix: level L pools 2^L × 2^L blocks of
// cells (level 0 = the cells themselves); every level is cut into tileSize × tileSize tiles;
// the top level is the first whose whole matrix fits in one tile.

#include <cstdint>
#include <functional>

namespace attnscope {

struct TileKey {
    int level = 0;
    int64_t row = 0; // tile row and column within the level
    int64_t col = 0;
    bool operator==(const TileKey &other) const
    {
        return level == other.level && row == other.row && col == other.col;
    }
    bool operator!=(const TileKey &other) const { return !(*this == other); }
};

struct TileKeyHash {
    size_t operator()(const TileKey &key) const
    {
        return std::hash<int64_t>()((key.row * 1000003 + key.col) * 64 + key.level);
    }
};

// Half-open [r0, r1) × [c0, c1).
struct CellRect {
    int64_t r0 = 0, r1 = 0, c0 = 0, c1 = 0;
    int64_t rows() const { return r1 - r0; }
    int64_t cols() const { return c1 - c0; }
    bool isEmpty() const { return r1 <= r0 || c1 <= c0; }
};

inline int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

class PyramidGeometry {
public:
    PyramidGeometry(int64_t rows, int64_t cols, int tileSize = 256);

    int64_t rows() const { return m_rows; }
    int64_t cols() const { return m_cols; }
    int tileSize() const { return m_tileSize; }
    int levelCount() const { return m_levels; }
    int topLevel() const { return m_levels - 1; }
    static int64_t blockSize(int level) { return int64_t(1) << level; }

    int64_t levelRows(int level) const { return ceilDiv(m_rows, blockSize(level)); }
    int64_t levelCols(int level) const { return ceilDiv(m_cols, blockSize(level)); }
    int64_t tileRows(int level) const { return ceilDiv(levelRows(level), m_tileSize); }
    int64_t tileCols(int level) const { return ceilDiv(levelCols(level), m_tileSize); }
    bool contains(const TileKey &key) const;

    // The pooled cells a tile holds at its level, and the exact cells they cover.
    CellRect tileOutput(const TileKey &key) const;
    CellRect tileCells(const TileKey &key) const;
    // The exact cells of the level-`level` rect `output`, cut at the matrix edge.
    CellRect cellsOf(int level, const CellRect &output) const;

private:
    int64_t m_rows;
    int64_t m_cols;
    int m_tileSize;
    int m_levels;
};

} // namespace attnscope
