#pragma once
// Per score and entry (a head, a layer) of a corpus run: the mean over the examples, a
// bootstrap confidence interval of that mean, and the examples where the value is highest.
// The interval is a Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012): in
// resample b, example e weighs w_be ~ Poisson(1), drawn from a generator seeded by (seed, e)
// alone, so the interval of a merged run is the one of an unsharded run, and the rows stream
// through in chunks: memory grows with resamples × entries, not with the corpus. NaN values
// (a statistic undefined on a short example) are left out of that entry.

#include <cstdint>
#include <vector>

#include <QJsonObject>
#include <QString>

namespace attnscope {

struct AggregateOptions {
    int resamples = 1000;
    uint64_t seed = 0;
    int top = 10;        // examples kept per entry
    double level = 0.95; // of the interval
};

// The Poisson(1) weight of example `index` in each of `resamples` resamples.
std::vector<int> bootstrapWeights(uint64_t seed, int64_t index, int resamples);

// Reads the run in `dir` (corpus_store.h) and returns the aggregate; throws InputError.
QJsonObject aggregateCorpus(const QString &dir, const AggregateOptions &options);
// The same, written to dir/aggregate.json.
void writeCorpusAggregate(const QString &dir, const AggregateOptions &options);

} // namespace attnscope
