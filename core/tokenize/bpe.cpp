#include "core/tokenize/bpe.h"

#include <queue>

#include "core/io/input_error.h"
#include "core/tokenize/component_factory.h"

namespace attnscope::tokenize {

namespace {

uint64_t pairKey(int64_t left, int64_t right)
{
    return uint64_t(left) << 32 | uint64_t(uint32_t(right));
}

struct Symbol {
    int64_t id;
    size_t begin, end; // chars of the piece
    int prev, next;
    bool removed = false;
};

struct QueuedMerge {
    int64_t rank;
    int pos;
    int64_t newId;
    bool operator>(const QueuedMerge &o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
};

} // namespace

BpeModel::BpeModel(Vocabulary vocab, const MergeList &merges, BpeOptions options, const QString &source)
    : m_vocab(std::move(vocab)), m_options(std::move(options))
{
    if (m_options.unkToken) {
        m_unkId = m_vocab.id(*m_options.unkToken);
        if (m_unkId < 0)
            throw InputError(source, QStringLiteral("unknown token \"%1\" is not in the vocabulary")
                                         .arg(QString::fromStdString(*m_options.unkToken)));
    }
    m_merges.reserve(merges.size());
    const size_t prefixLength = m_options.continuingSubwordPrefix.size();
    for (size_t rank = 0; rank < merges.size(); ++rank) {
        const auto &[left, right] = merges[rank];
        const int64_t a = m_vocab.id(left);
        const int64_t b = m_vocab.id(right);
        const std::string merged = left + (right.compare(0, prefixLength, m_options.continuingSubwordPrefix) == 0
                                               ? right.substr(prefixLength) : right);
        const int64_t id = m_vocab.id(merged);
        if (a < 0 || b < 0 || id < 0)
            throw InputError(source, QStringLiteral("merge %1 (\"%2 %3\") uses a token missing from the vocabulary")
                                         .arg(rank).arg(QString::fromStdString(left), QString::fromStdString(right)));
        m_merges.emplace(pairKey(a, b), Merge{int64_t(rank), id});
    }
}

const BpeModel::Merge *BpeModel::findMerge(int64_t left, int64_t right) const
{
    const auto it = m_merges.find(pairKey(left, right));
    return it == m_merges.end() ? nullptr : &it->second;
}

std::vector<ModelToken> BpeModel::tokenize(const std::u32string &piece) const
{
    std::vector<ModelToken> result;
    if (piece.empty())
        return result;
    if (m_options.ignoreMerges) {
        const std::string whole = toUtf8(piece);
        if (const int64_t id = m_vocab.id(whole); id >= 0)
            return {ModelToken{id, whole, 0, piece.size()}};
    }

    std::vector<Symbol> symbols;
    symbols.reserve(piece.size());
    auto add = [&symbols](int64_t id, size_t begin, size_t end) {
        const int index = int(symbols.size());
        symbols.push_back({id, begin, end, index - 1, index + 1});
    };
    bool pendingUnk = false; // a run of unknown chars [unkBegin, unkEnd) not yet added
    size_t unkBegin = 0, unkEnd = 0;
    for (size_t i = 0; i < piece.size(); ++i) {
        std::string s = toUtf8(piece[i]);
        const std::string bytes = s;
        if (i > 0)
            s = m_options.continuingSubwordPrefix + s;
        if (i + 1 == piece.size())
            s += m_options.endOfWordSuffix;
        if (const int64_t id = m_vocab.id(s); id >= 0) {
            if (pendingUnk) {
                add(m_unkId, unkBegin, unkEnd);
                pendingUnk = false;
            }
            add(id, i, i + 1);
            continue;
        }
        if (m_options.byteFallback) {
            std::vector<int64_t> byteIds;
            for (unsigned char b : s)
                if (const int64_t id = m_vocab.id(byteFallbackToken(b)); id >= 0)
                    byteIds.push_back(id);
            if (byteIds.size() == s.size()) {
                for (int64_t id : byteIds)
                    add(id, i, i + 1);
                continue;
            }
        }
        if (m_unkId >= 0) {
            if (pendingUnk && m_options.fuseUnk) {
                unkEnd = i + 1;
            } else {
                if (pendingUnk)
                    add(m_unkId, unkBegin, unkEnd);
                pendingUnk = true;
                unkBegin = i;
                unkEnd = i + 1;
            }
        }
    }
    if (pendingUnk)
        add(m_unkId, unkBegin, unkEnd);
    if (!symbols.empty())
        symbols.back().next = -1;

    std::priority_queue<QueuedMerge, std::vector<QueuedMerge>, std::greater<>> queue;
    for (size_t i = 0; i + 1 < symbols.size(); ++i)
        if (const Merge *m = findMerge(symbols[i].id, symbols[i + 1].id))
            queue.push({m->rank, int(i), m->newId});
    while (!queue.empty()) {
        const QueuedMerge top = queue.top();
        queue.pop();
        Symbol &current = symbols[size_t(top.pos)];
        if (current.removed || current.next < 0)
            continue;
        Symbol &right = symbols[size_t(current.next)];
        const Merge *m = findMerge(current.id, right.id);
        if (!m || m->newId != top.newId)
            continue; // stale entry
        current.id = top.newId;
        current.end = right.end;
        right.removed = true;
        current.next = right.next;
        if (current.next >= 0)
            symbols[size_t(current.next)].prev = top.pos;
        if (current.prev >= 0)
            if (const Merge *pm = findMerge(symbols[size_t(current.prev)].id, current.id))
                queue.push({pm->rank, current.prev, pm->newId});
        if (current.next >= 0)
            if (const Merge *nm = findMerge(current.id, symbols[size_t(current.next)].id))
                queue.push({nm->rank, top.pos, nm->newId});
    }
    for (const Symbol &s : symbols)
        if (!s.removed)
            result.push_back({s.id, m_vocab.token(s.id), s.begin, s.end});
    return result;
}

std::unique_ptr<Model> makeBpe(const JsonField &field)
{
    Vocabulary vocab = readVocabulary(field[QStringLiteral("vocab")]);
    MergeList merges;
    const JsonField mergesField = field[QStringLiteral("merges")];
    const qsizetype count = mergesField.toArray().size();
    merges.reserve(size_t(count));
    for (qsizetype i = 0; i < count; ++i) {
        const JsonField merge = mergesField.at(i);
        if (merge.value().isArray()) { // ["a", "b"]
            if (merge.toArray().size() != 2)
                merge.fail(QStringLiteral("expected two tokens"));
            merges.emplace_back(merge.at(0).toString().toStdString(), merge.at(1).toString().toStdString());
        } else { // "a b"
            const QStringList parts = merge.toString().split(QLatin1Char(' '));
            if (parts.size() != 2)
                merge.fail(QStringLiteral("expected two tokens separated by one space"));
            merges.emplace_back(parts[0].toStdString(), parts[1].toStdString());
        }
    }
    BpeOptions options;
    if (field.has(QStringLiteral("unk_token")))
        options.unkToken = field[QStringLiteral("unk_token")].toString().toStdString();
    options.continuingSubwordPrefix = field.stringOr(QStringLiteral("continuing_subword_prefix"), QString()).toStdString();
    options.endOfWordSuffix = field.stringOr(QStringLiteral("end_of_word_suffix"), QString()).toStdString();
    options.fuseUnk = field.boolOr(QStringLiteral("fuse_unk"), false);
    options.byteFallback = field.boolOr(QStringLiteral("byte_fallback"), false);
    options.ignoreMerges = field.boolOr(QStringLiteral("ignore_merges"), false);
    if (field.has(QStringLiteral("dropout")) && field[QStringLiteral("dropout")].toDouble() > 0)
        field[QStringLiteral("dropout")].fail(QStringLiteral("BPE dropout is random; only 0 or null is supported"));
    return std::make_unique<BpeModel>(std::move(vocab), merges, std::move(options), field.file());
}

// BPEDecoder: the end-of-word suffix becomes a space.
namespace {

class BpeDecoder : public Decoder {
public:
    explicit BpeDecoder(std::string suffix) : m_suffix(std::move(suffix)) {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        for (size_t i = 0; i < tokens.size(); ++i) {
            std::string &t = tokens[i];
            const std::string replacement = i + 1 == tokens.size() ? "" : " ";
            for (size_t at = t.find(m_suffix); !m_suffix.empty() && at != std::string::npos; at = t.find(m_suffix, at + replacement.size()))
                t.replace(at, m_suffix.size(), replacement);
        }
        return tokens;
    }

private:
    std::string m_suffix;
};

} // namespace

std::unique_ptr<Decoder> makeBpeDecoder(const JsonField &field)
{
    return std::make_unique<BpeDecoder>(field.stringOr(QStringLiteral("suffix"), QStringLiteral("</w>")).toStdString());
}

} // namespace attnscope::tokenize
