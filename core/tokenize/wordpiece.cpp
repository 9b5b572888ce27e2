#include "core/tokenize/wordpiece.h"

#include <algorithm>

#include "core/io/input_error.h"
#include "core/tokenize/component_factory.h"

namespace attnscope::tokenize {

WordPieceModel::WordPieceModel(Vocabulary vocab, std::string unkToken, std::string prefix,
                               size_t maxCharsPerWord, const QString &source)
    : m_vocab(std::move(vocab)), m_unkToken(std::move(unkToken)), m_prefix(std::move(prefix)),
      m_maxCharsPerWord(maxCharsPerWord)
{
    m_unkId = m_vocab.id(m_unkToken);
    if (m_unkId < 0)
        throw InputError(source, QStringLiteral("unknown token \"%1\" is not in the vocabulary")
                                     .arg(QString::fromStdString(m_unkToken)));
}

std::vector<ModelToken> WordPieceModel::tokenize(const std::u32string &piece) const
{
    const std::vector<ModelToken> unknown = {ModelToken{m_unkId, m_unkToken, 0, piece.size()}};
    if (piece.size() > m_maxCharsPerWord)
        return unknown;
    std::vector<ModelToken> tokens;
    size_t start = 0;
    while (start < piece.size()) {
        // No vocabulary entry is longer than its longest token: candidates start there, which
        // keeps a long word linear (HF tries every length, bounded only by max_input_chars_per_word).
        size_t end = std::min(piece.size(), start + m_vocab.longestTokenBytes());
        bool found = false;
        while (start < end) {
            std::string candidate = toUtf8(piece.substr(start, end - start));
            if (start > 0)
                candidate = m_prefix + candidate;
            if (const int64_t id = m_vocab.id(candidate); id >= 0) {
                tokens.push_back({id, candidate, start, end});
                found = true;
                break;
            }
            --end;
        }
        if (!found)
            return unknown;
        start = end;
    }
    return tokens;
}

std::unique_ptr<Model> makeWordPiece(const JsonField &field)
{
    Vocabulary vocab = readVocabulary(field[QStringLiteral("vocab")]);
    const qint64 maxChars = field.has(QStringLiteral("max_input_chars_per_word"))
        ? field[QStringLiteral("max_input_chars_per_word")].toInt() : 100;
    return std::make_unique<WordPieceModel>(std::move(vocab),
                                            field.stringOr(QStringLiteral("unk_token"), QStringLiteral("[UNK]")).toStdString(),
                                            field.stringOr(QStringLiteral("continuing_subword_prefix"), QStringLiteral("##")).toStdString(),
                                            size_t(std::max<qint64>(0, maxChars)), field.file());
}

// The WordPiece decoder: joins continuations, spaces words, optionally cleans up spacing.
namespace {

void replaceAll(std::string &s, const std::string &from, const std::string &to)
{
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

class WordPieceDecoder : public Decoder {
public:
    WordPieceDecoder(std::string prefix, bool cleanup) : m_prefix(std::move(prefix)), m_cleanup(cleanup) {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        for (size_t i = 0; i < tokens.size(); ++i) {
            std::string &t = tokens[i];
            if (i > 0) {
                if (t.compare(0, m_prefix.size(), m_prefix) == 0)
                    t.erase(0, m_prefix.size());
                else
                    t.insert(0, " ");
            }
            if (m_cleanup) {
                for (const char *from : {" .", " ?", " !", " ,"})
                    replaceAll(t, from, std::string(from + 1));
                replaceAll(t, " ' ", "'");
                replaceAll(t, " n't", "n't");
                replaceAll(t, " 'm", "'m");
                replaceAll(t, " do not", " don't");
                replaceAll(t, " 's", "'s");
                replaceAll(t, " 've", "'ve");
                replaceAll(t, " 're", "'re");
            }
        }
        return tokens;
    }

private:
    std::string m_prefix;
    bool m_cleanup;
};

} // namespace

std::unique_ptr<Decoder> makeWordPieceDecoder(const JsonField &field)
{
    return std::make_unique<WordPieceDecoder>(field.stringOr(QStringLiteral("prefix"), QStringLiteral("##")).toStdString(),
                                              field.boolOr(QStringLiteral("cleanup"), true));
}

} // namespace attnscope::tokenize
