#pragma once
// A lazily computed tile pyramid over one head's attention matrix. Tiles are pooled exactly
// (max or mean of the cells they cover) from a TileSource in a background worker, kept in a
// byte-bounded LRU cache, and announced with tileReady(). A pass at level L also keeps the
// finer levels of the same region while they fit a quarter of the cache, so that zooming in
// after the overview needs no recomputation.

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <QObject>
#include <QThreadPool>
#include <torch/types.h>

#include "viz/cell_mask.h"
#include "viz/pyramid_geometry.h"
#include "viz/pyramid_pooling.h"
#include "viz/row_peaks.h"
#include "viz/tile_cache.h"
#include "viz/tile_source.h"

namespace attnscope {

struct PyramidOptions {
    Pooling pooling = Pooling::Max;
    bool normalizeRows = false; // divide each row by its peak before pooling
    int tileSize = 256;
    int64_t cacheBytes = int64_t(512) << 20;
    CellMask mask;              // masked cells, and pooled blocks where every cell is masked
};

struct PyramidTile {
    torch::Tensor values; // [rows, cols] float at the tile's level; undefined when absent
    torch::Tensor masked; // same shape, bool; undefined when nothing is masked
    bool isValid() const { return values.defined(); }
};

class TilePyramid : public QObject {
    Q_OBJECT
public:
    TilePyramid(TileSource source, int64_t rows, int64_t cols, PyramidOptions options = {},
                QObject *parent = nullptr);
    ~TilePyramid() override; // stops the worker and waits for it

    const PyramidGeometry &geometry() const { return m_geometry; }
    const PyramidOptions &options() const { return m_options; }
    const TileSource &source() const { return m_source; }

    // The tile if cached (never blocks on computation).
    PyramidTile cachedTile(const TileKey &key);
    // The tile, computed in the calling thread when missing (CLI, export, tests).
    PyramidTile tile(const TileKey &key);
    // Computes the missing tiles among `keys` in the background, coarsest first. Replaces
    // earlier wishes still waiting; stops the running pass if it computes none of these.
    void request(const std::vector<TileKey> &keys);
    // Drops the waiting wishes and stops the running pass.
    void cancel();
    bool isBusy() const;

    int64_t cachedBytes() const { return m_cache.bytes(); }
    int64_t cacheBudget() const { return m_cache.budget(); }

Q_SIGNALS:
    void tileReady(int level, qint64 row, qint64 col);
    void progress(qint64 done, qint64 total); // strips of the running pass
    void idle();                               // the worker ran out of wishes
    void failed(const QString &message);       // one line, e.g. the source's error

private:
    // Tiles [colBegin, colEnd) of tile row `row` at `level`, computed in one pass.
    struct Job {
        int level = 0;
        int64_t row = 0;
        int64_t colBegin = 0;
        int64_t colEnd = 0;
        bool covers(const TileKey &key) const;
    };

    std::deque<Job> jobsFor(std::vector<TileKey> keys);
    void runJobs();
    bool runJob(const Job &job, bool report); // false when stopped
    int keepFromLevel(const Job &job, const CellRect &cells) const;
    torch::Tensor maskedBlocks(const TileKey &key) const;

    TileSource m_source;
    PyramidGeometry m_geometry;
    PyramidOptions m_options;
    TileCache m_cache;
    std::unique_ptr<RowPeaks> m_rowPeaks;

    mutable std::mutex m_mutex;
    std::deque<Job> m_pending;
    std::optional<Job> m_current;
    bool m_running = false;
    std::atomic<bool> m_stopCurrent{false};
    std::atomic<bool> m_shutdown{false};
    QThreadPool m_worker;
};

} // namespace attnscope
