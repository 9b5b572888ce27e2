#pragma once
// What corpus mode measures on every example: the model runs on it once, and each analysis
// that reads only the attention (head statistics, sink scores) gives its per-head scores
// [L, H]; a causal LM also gives the logit lens' top-1 agreement per layer [L + 1] (the share
// of positions where the stream after that layer already predicts the model's own top token).
// Every score is a named block of numbers with a fixed shape, so that the examples of a corpus
// can be stored as rows of one table.

#include <memory>
#include <string>
#include <vector>

#include <QStringList>

#include "core/corpus/corpus_reader.h"
#include "core/models/model.h"

namespace attnscope {

class AttentionRecord;
struct AnalysisContext;

namespace tokenize {
class Tokenizer;
}

struct CorpusScore {
    QString name;               // "head-stats/entropy", "logit-lens/top1_agreement"
    std::vector<int64_t> shape; // [L, H] or [L + 1]
    int64_t size() const;
};

struct ExampleScores {
    int64_t tokens = 0;
    std::vector<double> values; // the blocks' values, row-major, one block after another
};

class ExampleScorer {
public:
    // The analyses the corpus runs on each example (ExampleScorer::analyses() lists them).
    ExampleScorer(const Model &model, std::shared_ptr<const tokenize::Tokenizer> tokenizer);

    static QStringList analyses();
    // The blocks every example gives, in the order of ExampleScores::values.
    const std::vector<CorpusScore> &blocks() const { return m_blocks; }

    // Throws InputError naming the example's line for one the model cannot take (empty,
    // longer than its positions).
    ExampleScores score(const CorpusExample &example, const QString &corpus) const;
    // The model's run on the example (its attention, queries and keys), as score() makes it.
    std::shared_ptr<AttentionRecord> run(const CorpusExample &example, const QString &corpus) const;

private:
    std::shared_ptr<AttentionRecord> run(const CorpusExample &example, const QString &corpus, AnalysisContext &context) const;

    const Model &m_model;
    std::shared_ptr<const tokenize::Tokenizer> m_tokenizer;
    std::vector<CorpusScore> m_blocks;
    bool m_logitLens = false;
};

} // namespace attnscope
