#include "viz/pyramid_pooling.h"

#include <atomic>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <QThread>
#include <torch/torch.h>

namespace attnscope {

namespace {

constexpr int64_t kStripCells = int64_t(1) << 20;

// Cells per pooled block along one axis: 2^level, less at the region's far edge.
torch::Tensor blockCounts(int64_t begin, int64_t end, int level)
{
    const int64_t block = PyramidGeometry::blockSize(level);
    const auto starts = torch::arange(begin, end, block, torch::kLong);
    return ((starts + block).clamp_max(end) - starts).to(torch::kFloat);
}

torch::Tensor fetchStrip(const PoolingPass &pass, const CellRect &strip, bool fullWidth)
{
    torch::Tensor values = pass.source(strip.r0, strip.r1, strip.c0, strip.c1);
    if (!values.defined() || values.dim() != 2 || values.size(0) != strip.rows() ||
        values.size(1) != strip.cols())
        throw std::runtime_error("tile source gave a tile of the wrong shape");
    values = values.to(torch::kFloat);
    if (!pass.rowPeaks)
        return values;
    torch::Tensor peaks;
    if (fullWidth) {
        peaks = RowPeaks::of(values);
        pass.rowPeaks->put(strip.r0, peaks);
    } else {
        peaks = pass.rowPeaks->get(strip.r0, strip.r1);
    }
    return values / torch::where(peaks > 0, peaks, torch::ones_like(peaks)).unsqueeze(1);
}

// Pools one strip (rows starting `rowOffset` cells into the region) into every kept level.
void poolStrip(const PoolingPass &pass, const CellRect &strip, bool fullWidth, int keepFrom,
               int topLevel, const std::vector<torch::Tensor> &colCounts,
               std::vector<torch::Tensor> &levels, int64_t rowOffset)
{
    // Mean pools sums, divided by the cell count only where a level is kept.
    torch::Tensor pooled = fetchStrip(pass, strip, fullWidth);
    for (int level = 0; level <= topLevel; ++level) {
        if (level > 0)
            pooled = poolPairs(pooled, pass.pooling);
        if (level < keepFrom)
            continue;
        const size_t k = size_t(level - keepFrom);
        torch::Tensor out = pooled;
        if (pass.pooling == Pooling::Mean)
            out = pooled / (blockCounts(strip.r0, strip.r1, level).unsqueeze(1) * colCounts[k]);
        levels[k].narrow(0, rowOffset / PyramidGeometry::blockSize(level), out.size(0)).copy_(out);
    }
}

} // namespace

QStringList poolingNames() { return {QStringLiteral("max"), QStringLiteral("mean")}; }

std::optional<Pooling> poolingFromName(const QString &name)
{
    const int index = int(poolingNames().indexOf(name.trimmed().toLower()));
    if (index < 0)
        return std::nullopt;
    return Pooling(index);
}

torch::Tensor poolPairs(const torch::Tensor &values, Pooling pooling)
{
    const bool max = pooling == Pooling::Max;
    const int64_t oddRows = values.size(0) % 2, oddCols = values.size(1) % 2;
    torch::Tensor padded = values;
    if (oddRows || oddCols)
        padded = torch::constant_pad_nd(values, {0, oddCols, 0, oddRows},
                                        max ? -std::numeric_limits<double>::infinity() : 0.0);
    const int64_t rows = padded.size(0), cols = padded.size(1);
    const torch::Tensor top = padded.slice(0, 0, rows, 2), bottom = padded.slice(0, 1, rows, 2);
    const torch::Tensor pairedRows = max ? torch::maximum(top, bottom) : top + bottom;
    const torch::Tensor left = pairedRows.slice(1, 0, cols, 2);
    const torch::Tensor right = pairedRows.slice(1, 1, cols, 2);
    return max ? torch::maximum(left, right) : left + right;
}

std::vector<torch::Tensor> poolCells(const PoolingPass &pass, const CellRect &cells, int keepFrom,
                                     int topLevel)
{
    const int64_t topBlock = PyramidGeometry::blockSize(topLevel);
    if (cells.isEmpty() || cells.r0 % topBlock || cells.c0 % topBlock || keepFrom > topLevel)
        throw std::invalid_argument("pooling: region not aligned to its top level");
    std::vector<torch::Tensor> levels;
    for (int level = keepFrom; level <= topLevel; ++level) {
        const int64_t block = PyramidGeometry::blockSize(level);
        levels.push_back(torch::empty({ceilDiv(cells.rows(), block), ceilDiv(cells.cols(), block)},
                                      torch::kFloat));
    }
    const int64_t stripRows =
        std::max<int64_t>(1, kStripCells / cells.cols() / topBlock) * topBlock;
    const int64_t strips = ceilDiv(cells.rows(), stripRows);
    const bool fullWidth = cells.c0 == 0 && cells.c1 == pass.matrixCols;
    std::vector<torch::Tensor> colCounts;
    for (int level = keepFrom; level <= topLevel; ++level)
        colCounts.push_back(blockCounts(cells.c0, cells.c1, level).unsqueeze(0));
    std::atomic<bool> stopped{false};
    std::atomic<int64_t> nextStrip{0}, done{0};
    std::exception_ptr firstError;
    std::mutex errorMutex;

    const auto work = [&] {
        for (int64_t s = nextStrip++; s < strips && !stopped; s = nextStrip++) {
            if (pass.shouldStop && pass.shouldStop()) {
                stopped = true;
                break;
            }
            const CellRect strip{cells.r0 + s * stripRows,
                                 std::min(cells.r1, cells.r0 + (s + 1) * stripRows), cells.c0, cells.c1};
            try {
                poolStrip(pass, strip, fullWidth, keepFrom, topLevel, colCounts, levels,
                          s * stripRows);
            } catch (...) {
                std::lock_guard<std::mutex> lock(errorMutex);
                if (!firstError)
                    firstError = std::current_exception();
                stopped = true;
                break;
            }
            const int64_t finished = ++done;
            if (pass.progress)
                pass.progress(finished, strips);
        }
    };
    // Strips are independent: one per core, this thread included.
    const int64_t helpers = std::min<int64_t>(strips, QThread::idealThreadCount()) - 1;
    std::vector<std::thread> threads;
    for (int64_t i = 0; i < helpers; ++i)
        threads.emplace_back(work);
    work();
    for (std::thread &thread : threads)
        thread.join();
    if (firstError)
        std::rethrow_exception(firstError);
    if (stopped)
        return {};
    return levels;
}

} // namespace attnscope
