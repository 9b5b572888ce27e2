// Unigram: the most likely segmentation (Viterbi over the pieces' log-probabilities); chars
// no piece covers cost the lowest score minus 10 and consecutive unknowns are fused.
#include <limits>

#include "core/io/input_error.h"
#include "core/tokenize/component_factory.h"
#include "core/tokenize/vocabulary.h"

namespace attnscope::tokenize {

namespace {

constexpr double kUnknownPenalty = 10.0;

// A trie over code points; edges live in one hash map keyed by (node, char).
class PieceTrie {
public:
    void insert(const std::u32string &piece, int64_t id)
    {
        uint32_t node = 0;
        for (char32_t c : piece) {
            const uint64_t key = uint64_t(node) << 21 | c;
            auto it = m_edges.find(key);
            if (it == m_edges.end()) {
                it = m_edges.emplace(key, uint32_t(m_ids.size())).first;
                m_ids.push_back(-1);
            }
            node = it->second;
        }
        if (m_ids[node] < 0)
            m_ids[node] = id;
    }

    // Calls found(id, length) for every piece that prefixes text[begin…], shortest first.
    template <typename Found>
    void prefixes(const std::u32string &text, size_t begin, Found found) const
    {
        uint32_t node = 0;
        for (size_t i = begin; i < text.size(); ++i) {
            const auto it = m_edges.find(uint64_t(node) << 21 | text[i]);
            if (it == m_edges.end())
                return;
            node = it->second;
            if (m_ids[node] >= 0)
                found(m_ids[node], i + 1 - begin);
        }
    }

private:
    std::unordered_map<uint64_t, uint32_t> m_edges;
    std::vector<int64_t> m_ids = {-1}; // per node; node 0 is the root
};

class UnigramModel : public Model {
public:
    UnigramModel(std::vector<std::pair<std::string, double>> pieces, int64_t unkId, bool byteFallback)
        : m_scores(pieces.size()), m_unkId(unkId), m_byteFallback(byteFallback)
    {
        double minScore = std::numeric_limits<double>::max();
        for (size_t id = 0; id < pieces.size(); ++id) {
            m_vocab.add(pieces[id].first, int64_t(id));
            m_scores[id] = pieces[id].second;
            m_trie.insert(toUtf32(QString::fromStdString(pieces[id].first)), int64_t(id));
            minScore = std::min(minScore, pieces[id].second);
        }
        m_unkScore = minScore - kUnknownPenalty;
    }

    std::vector<ModelToken> tokenize(const std::u32string &piece) const override
    {
        struct Node { double score = 0; int64_t start = -1; int64_t id = -1; };
        std::vector<Node> best(piece.size() + 1);
        best[0].start = 0;
        for (size_t begin = 0; begin < piece.size(); ++begin) {
            const double base = best[begin].score;
            bool hasSingleChar = false;
            m_trie.prefixes(piece, begin, [&](int64_t id, size_t length) {
                Node &target = best[begin + length];
                const double score = base + m_scores[size_t(id)];
                if (target.start < 0 || score > target.score)
                    target = {score, int64_t(begin), id};
                hasSingleChar = hasSingleChar || length == 1;
            });
            if (!hasSingleChar) {
                Node &target = best[begin + 1];
                const double score = base + m_unkScore;
                if (target.start < 0 || score > target.score)
                    target = {score, int64_t(begin), m_unkId};
            }
        }
        // Walk back, fusing runs of unknown pieces.
        std::vector<std::pair<size_t, size_t>> ranges;
        bool previousUnknown = false;
        for (size_t end = piece.size(); end > 0;) {
            const Node &node = best[end];
            const size_t begin = size_t(node.start);
            const bool unknown = m_unkId >= 0 && node.id == m_unkId;
            if (unknown && previousUnknown)
                ranges.back().first = begin;
            else
                ranges.emplace_back(begin, end);
            previousUnknown = unknown;
            end = begin;
        }
        std::vector<ModelToken> tokens;
        for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
            const std::string text = toUtf8(piece.substr(it->first, it->second - it->first));
            if (const int64_t id = m_vocab.id(text); id >= 0) {
                tokens.push_back({id, text, it->first, it->second});
                continue;
            }
            if (m_byteFallback && appendBytes(text, it->first, it->second, tokens))
                continue;
            if (m_unkId < 0)
                throw InputError(QString(), QStringLiteral("the Unigram model has no unknown token for \"%1\"")
                                                .arg(QString::fromStdString(text)));
            tokens.push_back({m_unkId, text, it->first, it->second});
        }
        return tokens;
    }

    int64_t tokenToId(const std::string &token) const override { return m_vocab.id(token); }
    std::string idToToken(int64_t id) const override { return m_vocab.token(id); }
    int64_t vocabSize() const override { return m_vocab.size(); }

private:
    bool appendBytes(const std::string &text, size_t begin, size_t end, std::vector<ModelToken> &tokens) const
    {
        std::vector<ModelToken> bytes;
        for (unsigned char b : text) {
            const std::string name = byteFallbackToken(b);
            const int64_t id = m_vocab.id(name);
            if (id < 0)
                return false;
            bytes.push_back({id, name, begin, end});
        }
        tokens.insert(tokens.end(), bytes.begin(), bytes.end());
        return true;
    }

    Vocabulary m_vocab;
    std::vector<double> m_scores;
    PieceTrie m_trie;
    int64_t m_unkId;
    double m_unkScore = 0;
    bool m_byteFallback;
};

} // namespace

std::unique_ptr<Model> makeUnigram(const JsonField &field)
{
    const JsonField vocab = field[QStringLiteral("vocab")];
    const qsizetype count = vocab.toArray().size();
    std::vector<std::pair<std::string, double>> pieces;
    pieces.reserve(size_t(count));
    for (qsizetype i = 0; i < count; ++i) {
        const JsonField entry = vocab.at(i);
        if (entry.toArray().size() != 2)
            entry.fail(QStringLiteral("expected [piece, score]"));
        pieces.emplace_back(entry.at(0).toString().toStdString(), entry.at(1).toDouble());
    }
    int64_t unkId = -1;
    if (field.has(QStringLiteral("unk_id"))) {
        unkId = field[QStringLiteral("unk_id")].toInt();
        if (unkId < 0 || unkId >= count)
            field[QStringLiteral("unk_id")].fail(QStringLiteral("outside the vocabulary"));
    }
    return std::make_unique<UnigramModel>(std::move(pieces), unkId, field.boolOr(QStringLiteral("byte_fallback"), false));
}

} // namespace attnscope::tokenize
