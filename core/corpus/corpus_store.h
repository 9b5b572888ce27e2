#pragma once
// A corpus run's folder, written as it goes so that an interrupted run loses nothing finished:
//   manifest.json   the model, the corpus, the shard, and the score blocks (names, shapes)
//   values.bin      one row per example scored: its index (int64), then its values (float64)
//   examples.jsonl  per scored example: index, line, tokens, the text's start
//   errors.jsonl    per example skipped: index, line, what was wrong
//   aggregate.json  written at the end (corpus_aggregate.h)
// Rows are appended in example order and flushed one by one; on resume a row cut short is
// dropped and the examples' lines are trimmed to the rows, so the run continues after the
// last whole row.

#include <cstdint>
#include <vector>

#include <QFile>
#include <QJsonObject>
#include <QString>

#include "core/corpus/example_scores.h"

namespace attnscope {

struct CorpusManifest {
    QString model;
    QString inputs;
    QString field, pairField;
    int shardIndex = 0, shardCount = 1; // this folder holds the examples with index % count == index
    std::vector<CorpusScore> blocks;

    int64_t rowValues() const; // values per row
    QJsonObject toJson() const;
    // Throws InputError naming `source` for a manifest that does not parse.
    static CorpusManifest fromJson(const QJsonObject &json, const QString &source);
    // Whether two runs measured the same things on the same corpus (shards may differ).
    bool sameRunAs(const CorpusManifest &other) const;
};

struct CorpusRow {
    int64_t index = 0;
    std::vector<double> values;
};

class CorpusWriter {
public:
    // A new folder (refused when it holds a run already, unless `resume`: then the manifest
    // must match and writing goes on after its last whole row). Throws InputError.
    CorpusWriter(const QString &dir, const CorpusManifest &manifest, bool resume);

    // The index after which the run goes on (−1 when nothing is done yet).
    int64_t lastDone() const { return m_lastDone; }
    int64_t rowsWritten() const { return m_rows; }

    void addRow(const CorpusExample &example, const ExampleScores &scores);
    void addError(const CorpusExample &example, const QString &error);

private:
    void append(QFile &file, const QByteArray &bytes);

    QString m_dir;
    int64_t m_rowValues = 0;
    QFile m_values, m_examples, m_errors;
    int64_t m_lastDone = -1;
    int64_t m_rows = 0;
};

// Reads a folder's rows in order, a few at a time.
class CorpusRowReader {
public:
    explicit CorpusRowReader(const QString &dir); // throws InputError
    const CorpusManifest &manifest() const { return m_manifest; }
    int64_t rows() const { return m_rows; }
    bool next(CorpusRow &row);

private:
    CorpusManifest m_manifest;
    QFile m_file;
    int64_t m_rows = 0;
};

CorpusManifest readCorpusManifest(const QString &dir);

// Combines shard folders into `out`: their rows, examples and errors merged by index, and the
// manifest of the whole corpus; the same folder as one unsharded run. Throws InputError for
// folders of different runs or shards that overlap.
void mergeCorpusRuns(const QStringList &dirs, const QString &out);

} // namespace attnscope
