// Precompiled normalizer: SentencePiece's compiled normalization rules (a double-array trie
// over UTF-8 plus a table of replacement strings), applied grapheme by grapheme as Hugging
// Face does: a short grapheme is looked up whole, else each of its chars.
#include <QTextBoundaryFinder>

#include "core/tokenize/component_factory.h"

namespace attnscope::tokenize {

namespace {

class Precompiled : public Normalizer {
public:
    Precompiled(const QByteArray &charsmap, const JsonField &where)
    {
        if (charsmap.size() < 4)
            where.fail(QStringLiteral("precompiled charsmap is too short"));
        const auto *bytes = reinterpret_cast<const unsigned char *>(charsmap.constData());
        const quint32 trieBytes = quint32(bytes[0]) | quint32(bytes[1]) << 8 | quint32(bytes[2]) << 16 | quint32(bytes[3]) << 24;
        if (trieBytes % 4 != 0 || qint64(trieBytes) > charsmap.size() - 4)
            where.fail(QStringLiteral("precompiled charsmap has a bad trie size"));
        m_trie.resize(trieBytes / 4);
        for (size_t i = 0; i < m_trie.size(); ++i) {
            const unsigned char *p = bytes + 4 + 4 * i;
            m_trie[i] = quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24;
        }
        m_normalized = charsmap.mid(4 + trieBytes).toStdString();
    }

    void normalize(NormalizedString &text) const override
    {
        const QString utf16 = toQString(text.chars);
        QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, utf16);
        NormalizedString out;
        out.originBegin = text.originBegin;
        out.chars.reserve(text.size());
        out.spans.reserve(text.size());
        // Alignment as HF reports it: the k-th replacement char of a unit (a grapheme or a
        // char) sits on the unit's k-th char (its last when longer), and chars removed before
        // anything was written shift the later alignments back by as many chars.
        size_t lag = 0;
        auto put = [&](const std::u32string &chars, size_t unitBegin, size_t unitSize) {
            if (chars.empty() && out.empty())
                lag += unitSize;
            for (size_t k = 0; k < chars.size(); ++k) {
                out.chars.push_back(chars[k]);
                out.spans.push_back(text.spans[unitBegin + std::min(k, unitSize - 1) - lag]);
            }
        };
        size_t begin = 0; // first char of the grapheme
        qsizetype from = 0;
        while (graphemes.toNextBoundary() != -1) {
            const qsizetype to = graphemes.position();
            const std::u32string grapheme = toUtf32(utf16.mid(from, to - from));
            from = to;
            const std::string bytes = toUtf8(grapheme);
            if (const char *replacement = bytes.size() < 6 ? lookup(bytes) : nullptr) {
                put(toUtf32(QString::fromUtf8(replacement)), begin, grapheme.size());
            } else {
                for (size_t i = 0; i < grapheme.size(); ++i) {
                    const char *charReplacement = lookup(toUtf8(grapheme[i]));
                    put(charReplacement ? toUtf32(QString::fromUtf8(charReplacement)) : grapheme.substr(i, 1), begin + i, 1);
                }
            }
            begin += grapheme.size();
        }
        text = std::move(out);
    }

private:
    // The replacement for the shortest trie key that prefixes bytes, or null.
    const char *lookup(const std::string &bytes) const
    {
        if (m_trie.empty())
            return nullptr;
        auto offset = [](quint32 unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); };
        size_t node = offset(m_trie[0]);
        for (unsigned char c : bytes) {
            if (c == 0)
                break;
            node ^= c;
            if (node >= m_trie.size())
                return nullptr;
            const quint32 unit = m_trie[node];
            if ((unit & ((1u << 31) | 0xFF)) != c)
                return nullptr;
            node ^= offset(unit);
            if ((unit >> 8) & 1) {
                if (node >= m_trie.size())
                    return nullptr;
                const size_t value = m_trie[node] & ((1u << 31) - 1);
                return value < m_normalized.size() ? m_normalized.c_str() + value : nullptr;
            }
        }
        return nullptr;
    }

    std::vector<quint32> m_trie;
    std::string m_normalized;
};

} // namespace

std::unique_ptr<Normalizer> makePrecompiled(const JsonField &field)
{
    const JsonField charsmap = field[QStringLiteral("precompiled_charsmap")];
    if (charsmap.isNull())
        return nullptr; // HF accepts a missing charsmap: it normalizes nothing
    const QByteArray bytes = QByteArray::fromBase64(charsmap.toString().toLatin1());
    return std::make_unique<Precompiled>(bytes, charsmap);
}

} // namespace attnscope::tokenize
