#pragma once
// What the Corpus view shows of a folder written by `attnscope-cli batch` (core/corpus/
// corpus_store.h): the manifest, every score's mean, interval and top examples from
// aggregate.json, the examples those lists name (their line and the start of their text from
// examples.jsonl), one entry's distribution streamed from values.bin, and each head's joint
// query–key map from qk.safetensors. No widgets: the view and the tests read the same numbers.
// Memory stays bounded whatever the corpus: values.bin is read row by row and only the
// examples named by a top list or by the query–key sample are kept.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <QPointF>
#include <QString>
#include <QStringList>

#include "core/corpus/corpus_reader.h"
#include "core/corpus/corpus_store.h"

namespace attnscope {

class SafetensorsFile;

// True when `dir` holds a corpus run's manifest (and is no model folder).
bool looksLikeCorpusRun(const QString &dir);

struct CorpusEntryStats { // one head (or layer) of one score
    double mean = 0, low = 0, high = 0; // NaN where no example defines it
    int64_t examples = 0;               // that define it
    std::vector<std::pair<int64_t, double>> top; // (example index, value), highest first
};

struct CorpusScoreSummary {
    QString name;               // "head-stats/entropy"
    std::vector<int64_t> shape; // [L, H] or [L + 1]
    int64_t offset = 0;         // of its first value in a row of values.bin
    std::vector<CorpusEntryStats> entries; // row-major over the shape
    bool perHead() const { return shape.size() == 2; }
};

struct CorpusExampleInfo { // a line of examples.jsonl
    int64_t index = 0, line = 0, tokens = 0;
    QString text; // its first characters
};

// Counts of one entry's values in `bins` equal bins over [low, high]: value v goes to bin
// min(bins − 1, floor((v − low) / (high − low) · bins)); NaN values are counted apart.
struct CorpusHistogram {
    double low = 0, high = 1;
    std::vector<int64_t> counts;
    int64_t values = 0;    // counted in the bins
    int64_t undefined = 0; // NaN: the score does not apply to that example
    int binOf(double value) const;
};

struct QueryKeyPoints { // one head's joint map: n queries, then the same n tokens' keys
    std::vector<QPointF> points; // 2n
    int64_t tokens() const { return int64_t(points.size() / 2); }
};

class CorpusRunModel {
public:
    // Reads and checks the run; throws InputError with one line naming the file at fault.
    explicit CorpusRunModel(const QString &dir);
    ~CorpusRunModel();

    const QString &dir() const { return m_dir; }
    const CorpusManifest &manifest() const { return m_manifest; }
    QString modelDir() const;   // the manifest's, found from here; empty when it cannot be found
    QString corpusPath() const; // likewise the corpus file
    QString corpusName() const; // its file name, for captions
    int64_t examples() const { return m_examples; } // scored examples
    int64_t errors() const { return m_errors; }     // examples skipped (errors.jsonl)
    double level() const { return m_level; }        // of the intervals, e.g. 0.95
    QString intervalMethod() const { return m_intervalMethod; } // e.g. "Poisson bootstrap of the mean, 1000 resamples"

    const std::vector<CorpusScoreSummary> &scores() const { return m_scores; }
    int scoreIndex(const QString &name) const; // −1 when absent
    // What the score is and its unit, e.g. "mean row entropy (bits)".
    static QString scoreLabel(const QString &name);
    // "L2 H3", or for a per-layer score "embedding" / "after L2".
    static QString entryName(const CorpusScoreSummary &score, int64_t entry);

    // The example's line in examples.jsonl, if it is one the view lists (top lists, q/k map).
    std::optional<CorpusExampleInfo> example(int64_t index) const;
    // The example read back whole from the corpus file (text and pair); throws InputError.
    CorpusExample readExample(int64_t index) const;

    // The entry's values over every example, streamed from values.bin; `bins` ≥ 1.
    CorpusHistogram histogram(int score, int64_t entry, int bins) const;

    bool hasQueryKeys() const { return m_queryKeys != nullptr; }
    QString queryKeyProblem() const { return m_queryKeyProblem; } // why there is no map, or empty
    QueryKeyPoints queryKeys(int layer, int head) const; // empty when absent
    // The sampled tokens (one per query point): their example, position and text.
    const std::vector<int64_t> &sampleExamples() const { return m_sampleExample; }
    const std::vector<int64_t> &samplePositions() const { return m_samplePosition; }
    const QStringList &sampleTokens() const { return m_sampleToken; }
    // Sample token i among its neighbours in its example, itself in brackets: "the [dog] sees".
    QString tokenInContext(int64_t i, int around = 4) const;

private:
    void readAggregate();
    void readExamples();
    void readQueryKeys();
    QString resolved(const QString &path) const;

    QString m_dir;
    CorpusManifest m_manifest;
    int64_t m_examples = 0, m_errors = 0;
    double m_level = 0.95;
    QString m_intervalMethod;
    std::vector<CorpusScoreSummary> m_scores;
    std::map<int64_t, CorpusExampleInfo> m_listed;
    std::unique_ptr<SafetensorsFile> m_queryKeys;
    QString m_queryKeyProblem;
    std::vector<int64_t> m_sampleExample, m_samplePosition;
    QStringList m_sampleToken;
};

} // namespace attnscope
