#include "core/corpus/corpus_aggregate.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <torch/torch.h>

#include "core/corpus/corpus_store.h"
#include "core/io/input_error.h"

namespace attnscope {

namespace {

constexpr int64_t kChunkRows = 256;

uint64_t splitMix(uint64_t &state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// The value at quantile q of sorted values, interpolated linearly between neighbours.
double quantile(const std::vector<double> &sorted, double q)
{
    if (sorted.empty())
        return std::nan("");
    const double at = q * double(sorted.size() - 1);
    const size_t below = size_t(std::floor(at));
    const size_t above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] + (at - double(below)) * (sorted[above] - sorted[below]);
}

QJsonValue number(double value) { return std::isfinite(value) ? QJsonValue(value) : QJsonValue(); }

} // namespace

std::vector<int> bootstrapWeights(uint64_t seed, int64_t index, int resamples)
{
    uint64_t state = seed ^ (uint64_t(index) * 0xD1B54A32D192ED03ull);
    std::vector<int> weights(static_cast<size_t>(resamples), 0);
    const double limit = std::exp(-1.0);
    for (int &weight : weights) { // Knuth: multiply uniforms until the product falls under e^−1
        int k = 0;
        double product = 1;
        for (;;) {
            product *= double(splitMix(state) >> 11) * 0x1.0p-53;
            if (product <= limit)
                break;
            ++k;
        }
        weight = k;
    }
    return weights;
}

QJsonObject aggregateCorpus(const QString &dir, const AggregateOptions &options)
{
    CorpusRowReader reader(dir);
    const CorpusManifest &manifest = reader.manifest();
    const int64_t entries = manifest.rowValues(), resamples = options.resamples;
    torch::Tensor sums = torch::zeros({resamples, entries}, torch::kFloat64);
    torch::Tensor weightTotals = torch::zeros({resamples, entries}, torch::kFloat64);
    std::vector<double> plainSums(size_t(entries), 0.0);
    std::vector<int64_t> defined(size_t(entries), 0);
    std::vector<std::vector<std::pair<double, int64_t>>> top(static_cast<size_t>(entries)); // (value, example), best first
    int64_t rows = 0;
    CorpusRow row;
    bool more = true;
    while (more) {
        std::vector<std::vector<double>> chunkValues;
        std::vector<std::vector<int>> chunkWeights;
        while (int64_t(chunkValues.size()) < kChunkRows && (more = reader.next(row))) {
            ++rows;
            for (int64_t k = 0; k < entries; ++k) {
                const double value = row.values[size_t(k)];
                if (std::isnan(value))
                    continue;
                plainSums[size_t(k)] += value;
                ++defined[size_t(k)];
                auto &best = top[size_t(k)];
                const auto at = std::find_if(best.begin(), best.end(), [&](const auto &kept) { return value > kept.first; });
                if (int(at - best.begin()) < options.top) {
                    best.insert(at, {value, row.index});
                    if (int(best.size()) > options.top)
                        best.pop_back();
                }
            }
            chunkValues.push_back(row.values);
            chunkWeights.push_back(bootstrapWeights(options.seed, row.index, options.resamples));
        }
        if (chunkValues.empty())
            break;
        const int64_t count = int64_t(chunkValues.size());
        torch::Tensor values = torch::empty({count, entries}, torch::kFloat64);
        torch::Tensor weights = torch::empty({count, resamples}, torch::kFloat64);
        for (int64_t r = 0; r < count; ++r) {
            std::copy(chunkValues[size_t(r)].begin(), chunkValues[size_t(r)].end(), values[r].data_ptr<double>());
            std::copy(chunkWeights[size_t(r)].begin(), chunkWeights[size_t(r)].end(), weights[r].data_ptr<double>());
        }
        const torch::Tensor present = values.isnan().logical_not().to(torch::kFloat64);
        sums += weights.t().matmul(values.nan_to_num(0.0));
        weightTotals += weights.t().matmul(present);
    }
    if (rows == 0)
        throw InputError(dir, QStringLiteral("holds no scored example: nothing to aggregate"));

    const torch::Tensor means = (sums / weightTotals).t().contiguous(); // [entries, resamples]; 0/0 = NaN
    const double tail = (1 - options.level) / 2;
    QJsonObject scores;
    int64_t offset = 0;
    for (const CorpusScore &block : manifest.blocks) {
        QJsonArray mean, low, high, counts, best, shape;
        for (const int64_t extent : block.shape)
            shape.append(qint64(extent));
        for (int64_t k = offset; k < offset + block.size(); ++k) {
            std::vector<double> resampled;
            const double *m = means[k].data_ptr<double>();
            for (int64_t b = 0; b < resamples; ++b)
                if (!std::isnan(m[b]))
                    resampled.push_back(m[b]);
            std::sort(resampled.begin(), resampled.end());
            const int64_t n = defined[size_t(k)];
            mean.append(number(n > 0 ? plainSums[size_t(k)] / double(n) : std::nan("")));
            low.append(number(quantile(resampled, tail)));
            high.append(number(quantile(resampled, 1 - tail)));
            counts.append(qint64(n));
            QJsonArray examples;
            for (const auto &[value, index] : top[size_t(k)])
                examples.append(QJsonArray{qint64(index), value});
            best.append(examples);
        }
        offset += block.size();
        scores.insert(block.name, QJsonObject{{QStringLiteral("shape"), shape}, {QStringLiteral("mean"), mean},
                                              {QStringLiteral("ci_low"), low}, {QStringLiteral("ci_high"), high},
                                              {QStringLiteral("examples"), counts}, {QStringLiteral("top"), best}});
    }
    return {{QStringLiteral("examples"), qint64(rows)},
            {QStringLiteral("interval"), QJsonObject{{QStringLiteral("method"), QStringLiteral("Poisson bootstrap of the mean")},
                                                     {QStringLiteral("level"), options.level},
                                                     {QStringLiteral("resamples"), options.resamples},
                                                     {QStringLiteral("seed"), QString::number(options.seed)}}},
            {QStringLiteral("top"), QStringLiteral("per entry, [example index, value] of the highest values")},
            {QStringLiteral("scores"), scores}};
}

void writeCorpusAggregate(const QString &dir, const AggregateOptions &options)
{
    const QString path = QDir(dir).filePath(QStringLiteral("aggregate.json"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(aggregateCorpus(dir, options)).toJson(QJsonDocument::Compact)) < 0
        || !file.commit())
        throw InputError(path, QStringLiteral("cannot write: %1").arg(file.errorString()));
}

} // namespace attnscope
