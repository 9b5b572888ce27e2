#pragma once
// Byte-pair encoding, as Hugging Face runs it: the lowest-ranked adjacent pair merges first
// (leftmost on ties), with optional byte fallback (<0xNN> tokens), unknown-token fusing,
// subword prefix/suffix and ignore_merges (a piece already in the vocabulary is one token).

#include <optional>
#include <unordered_map>

#include <QString>

#include "core/tokenize/components.h"
#include "core/tokenize/vocabulary.h"

namespace attnscope::tokenize {

struct BpeOptions {
    std::optional<std::string> unkToken;
    std::string continuingSubwordPrefix;
    std::string endOfWordSuffix;
    bool fuseUnk = false;
    bool byteFallback = false;
    bool ignoreMerges = false;
};

using MergeList = std::vector<std::pair<std::string, std::string>>;

class BpeModel : public Model {
public:
    // Throws InputError(source, …) when a merge names tokens missing from the vocabulary.
    BpeModel(Vocabulary vocab, const MergeList &merges, BpeOptions options, const QString &source);

    std::vector<ModelToken> tokenize(const std::u32string &piece) const override;
    int64_t tokenToId(const std::string &token) const override { return m_vocab.id(token); }
    std::string idToToken(int64_t id) const override { return m_vocab.token(id); }
    int64_t vocabSize() const override { return m_vocab.size(); }

private:
    struct Merge {
        int64_t rank;
        int64_t newId;
    };
    const Merge *findMerge(int64_t left, int64_t right) const;

    Vocabulary m_vocab;
    std::unordered_map<uint64_t, Merge> m_merges;
    BpeOptions m_options;
    int64_t m_unkId = -1;
};

} // namespace attnscope::tokenize
