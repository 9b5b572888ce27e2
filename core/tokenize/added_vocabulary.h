#pragma once
// Added tokens ("<s>", "[MASK]", "<|eot_id|>" …): found in the text before the model runs,
// leftmost-longest, honouring lstrip / rstrip / single_word; "normalized" ones are matched
// in the normalized text, the others in the raw input.

#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/tokenize/normalized_string.h"

namespace attnscope::tokenize {

struct AddedToken {
    int64_t id = -1;
    std::u32string content;
    bool special = false;
    bool lstrip = false;
    bool rstrip = false;
    bool singleWord = false;
    bool normalized = false;
};

// A stretch of text, either an added token or text for the model.
struct TextPart {
    NormalizedString text;
    const AddedToken *added = nullptr;
};

class AddedVocabulary {
public:
    void add(AddedToken token);
    bool empty() const { return m_tokens.empty(); }
    const std::vector<AddedToken> &tokens() const { return m_tokens; }
    const AddedToken *find(int64_t id) const;

    // Splits text at the added tokens whose `normalized` flag equals the given one.
    std::vector<TextPart> split(const NormalizedString &text, bool normalized) const;

private:
    // A trie per `normalized` flag: node 0 is the root; edges in one hash map keyed by
    // (node, character), so that neither wide nodes nor 100,000 tokens make lookups slow.
    struct Trie {
        std::vector<int> tokenAt; // per node: index in m_tokens, or -1
        std::unordered_map<uint64_t, int> edges;
        int child(int node, char32_t c) const
        {
            const auto it = edges.find(key(node, c));
            return it == edges.end() ? -1 : it->second;
        }
        static uint64_t key(int node, char32_t c) { return (uint64_t(node) << 32) | c; }
    };
    void insert(int tokenIndex);
    void rebuild();
    std::vector<AddedToken> m_tokens;
    std::map<std::u32string, size_t> m_indexOfContent;
    std::unordered_map<int64_t, size_t> m_indexOfId; // the first token with each id
    Trie m_trie[2]; // by `normalized`
};

} // namespace attnscope::tokenize
