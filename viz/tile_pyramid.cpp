#include "viz/tile_pyramid.h"

#include <algorithm>

#include <ATen/Parallel.h>
#include <torch/torch.h>

namespace attnscope {

TilePyramid::TilePyramid(TileSource source, int64_t rows, int64_t cols, PyramidOptions options,
                         QObject *parent)
    : QObject(parent), m_source(std::move(source)), m_geometry(rows, cols, options.tileSize),
      m_options(std::move(options)), m_cache(m_options.cacheBytes)
{
    if (m_options.normalizeRows)
        m_rowPeaks = std::make_unique<RowPeaks>(m_source, rows, cols);
    m_worker.setMaxThreadCount(1);
}

TilePyramid::~TilePyramid()
{
    m_shutdown = true;
    cancel();
    m_worker.waitForDone();
}

bool TilePyramid::Job::covers(const TileKey &key) const
{
    return key.level == level && key.row == row && key.col >= colBegin && key.col < colEnd;
}

torch::Tensor TilePyramid::maskedBlocks(const TileKey &key) const
{
    const CellRect cells = m_geometry.tileCells(key);
    return m_options.mask.blocks(cells.r0, cells.r1, cells.c0, cells.c1,
                                 PyramidGeometry::blockSize(key.level));
}

PyramidTile TilePyramid::cachedTile(const TileKey &key)
{
    if (!m_geometry.contains(key))
        return {};
    torch::Tensor values = m_cache.find(key);
    if (!values.defined())
        return {};
    return {values, maskedBlocks(key)};
}

PyramidTile TilePyramid::tile(const TileKey &key)
{
    if (!m_geometry.contains(key))
        return {};
    PyramidTile found = cachedTile(key);
    if (found.isValid())
        return found;
    runJob({key.level, key.row, key.col, key.col + 1}, false);
    // A tile larger than the whole cache budget is not kept: compute it without the cache.
    found = cachedTile(key);
    if (found.isValid())
        return found;
    PoolingPass pass{m_source, m_options.pooling, m_geometry.cols(), m_rowPeaks.get(), {}, {}};
    const auto levels = poolCells(pass, m_geometry.tileCells(key), key.level, key.level);
    return {levels.front(), maskedBlocks(key)};
}

std::deque<TilePyramid::Job> TilePyramid::jobsFor(std::vector<TileKey> keys)
{
    keys.erase(std::remove_if(keys.begin(), keys.end(),
                              [this](const TileKey &key) {
                                  return !m_geometry.contains(key) || m_cache.contains(key);
                              }),
               keys.end());
    std::sort(keys.begin(), keys.end(), [](const TileKey &a, const TileKey &b) {
        return std::make_tuple(-a.level, a.row, a.col) < std::make_tuple(-b.level, b.row, b.col);
    });
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::deque<Job> jobs;
    for (const TileKey &key : keys) {
        if (!jobs.empty() && jobs.back().level == key.level && jobs.back().row == key.row &&
            jobs.back().colEnd == key.col)
            jobs.back().colEnd = key.col + 1;
        else
            jobs.push_back({key.level, key.row, key.col, key.col + 1});
    }
    return jobs;
}

void TilePyramid::request(const std::vector<TileKey> &keys)
{
    std::deque<Job> jobs = jobsFor(keys);
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_current) {
        const bool stillWanted = std::any_of(keys.begin(), keys.end(), [this](const TileKey &key) {
            return m_current->covers(key);
        });
        if (!stillWanted)
            m_stopCurrent = true;
    }
    m_pending = std::move(jobs);
    if (!m_running && !m_pending.empty() && !m_shutdown) {
        m_running = true;
        m_worker.start([this] { runJobs(); });
    }
}

void TilePyramid::cancel()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pending.clear();
    m_stopCurrent = true;
}

bool TilePyramid::isBusy() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_running;
}

void TilePyramid::runJobs()
{
    at::init_num_threads();
    for (;;) {
        Job job;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_current.reset();
            if (m_pending.empty() || m_shutdown) {
                m_running = false;
                break;
            }
            job = m_pending.front();
            m_pending.pop_front();
            m_current = job;
            m_stopCurrent = false;
        }
        try {
            runJob(job, true);
        } catch (const std::exception &error) {
            Q_EMIT failed(QString::fromLocal8Bit(error.what()).section(QLatin1Char('\n'), 0, 0));
        }
    }
    if (!m_shutdown)
        Q_EMIT idle();
}

int TilePyramid::keepFromLevel(const Job &job, const CellRect &cells) const
{
    const int64_t budget = m_cache.budget() / 4;
    int64_t bytes = 0;
    int keepFrom = job.level;
    for (int level = job.level; level >= 0; --level) {
        const int64_t block = PyramidGeometry::blockSize(level);
        bytes += ceilDiv(cells.rows(), block) * ceilDiv(cells.cols(), block) * int64_t(sizeof(float));
        if (level < job.level && bytes > budget)
            break;
        keepFrom = level;
    }
    return keepFrom;
}

bool TilePyramid::runJob(const Job &job, bool report)
{
    const int tileSize = m_geometry.tileSize();
    const CellRect output{job.row * tileSize,
                          std::min((job.row + 1) * tileSize, m_geometry.levelRows(job.level)),
                          job.colBegin * tileSize,
                          std::min(job.colEnd * tileSize, m_geometry.levelCols(job.level))};
    const CellRect cells = m_geometry.cellsOf(job.level, output);
    const int keepFrom = keepFromLevel(job, cells);

    PoolingPass pass{m_source, m_options.pooling, m_geometry.cols(), m_rowPeaks.get(), {}, {}};
    if (report) {
        pass.shouldStop = [this] { return m_stopCurrent.load() || m_shutdown.load(); };
        auto lastPercent = std::make_shared<std::atomic<int64_t>>(-1);
        pass.progress = [this, lastPercent](int64_t done, int64_t total) {
            const int64_t percent = done * 100 / total;
            if (lastPercent->exchange(percent) != percent)
                Q_EMIT progress(done, total);
        };
    }
    const std::vector<torch::Tensor> levels = poolCells(pass, cells, keepFrom, job.level);
    if (levels.empty())
        return false;

    // Finer levels first, so that the tiles asked for are the most recently used.
    for (int level = keepFrom; level <= job.level; ++level) {
        const torch::Tensor &pooled = levels[size_t(level - keepFrom)];
        const int64_t scale = PyramidGeometry::blockSize(job.level - level);
        const int64_t firstRow = job.row * scale, firstCol = job.colBegin * scale;
        for (int64_t r = 0; r * tileSize < pooled.size(0); ++r) {
            for (int64_t c = 0; c * tileSize < pooled.size(1); ++c) {
                const TileKey key{level, firstRow + r, firstCol + c};
                m_cache.insert(key, pooled.slice(0, r * tileSize, (r + 1) * tileSize)
                                        .slice(1, c * tileSize, (c + 1) * tileSize));
                if (report)
                    Q_EMIT tileReady(key.level, key.row, key.col);
            }
        }
    }
    return true;
}

} // namespace attnscope
