#pragma once
// WordPiece: greedy longest-match-first subwords, continuations prefixed with "##";
// a word with any unmatchable part becomes one unknown token.

#include "core/tokenize/components.h"
#include "core/tokenize/vocabulary.h"

namespace attnscope::tokenize {

class WordPieceModel : public Model {
public:
    WordPieceModel(Vocabulary vocab, std::string unkToken, std::string prefix, size_t maxCharsPerWord,
                   const QString &source);

    std::vector<ModelToken> tokenize(const std::u32string &piece) const override;
    int64_t tokenToId(const std::string &token) const override { return m_vocab.id(token); }
    std::string idToToken(int64_t id) const override { return m_vocab.token(id); }
    int64_t vocabSize() const override { return m_vocab.size(); }

private:
    Vocabulary m_vocab;
    std::string m_unkToken;
    int64_t m_unkId;
    std::string m_prefix;
    size_t m_maxCharsPerWord;
};

} // namespace attnscope::tokenize
