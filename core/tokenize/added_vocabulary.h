#pragma once
// Added tokens ("<s>", "[MASK]", "<|eot_id|>" …): found in the text before the model runs,
// leftmost-longest, honouring lstrip / rstrip / single_word; "normalized" ones are matched
// in the normalized text, the others in the raw input.

#include <memory>
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
    struct Node {
        std::vector<std::pair<char32_t, int>> children;
        int token = -1; // index in m_tokens
    };
    void insert(int tokenIndex);
    std::vector<AddedToken> m_tokens;
    std::vector<Node> m_trie[2]; // by `normalized`
};

} // namespace attnscope::tokenize
