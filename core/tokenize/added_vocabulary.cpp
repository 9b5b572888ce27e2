#include "core/tokenize/added_vocabulary.h"

#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

void AddedVocabulary::add(AddedToken token)
{
    if (token.content.empty())
        return;
    for (size_t i = 0; i < m_tokens.size(); ++i)
        if (m_tokens[i].content == token.content) {
            m_tokens[i] = std::move(token);
            return;
        }
    m_tokens.push_back(std::move(token));
    m_trie[0].clear();
    m_trie[1].clear();
    for (size_t i = 0; i < m_tokens.size(); ++i)
        insert(int(i));
}

void AddedVocabulary::insert(int tokenIndex)
{
    const AddedToken &token = m_tokens[size_t(tokenIndex)];
    std::vector<Node> &trie = m_trie[token.normalized ? 1 : 0];
    if (trie.empty())
        trie.emplace_back();
    int node = 0;
    for (char32_t c : token.content) {
        int next = -1;
        for (const auto &[label, child] : trie[size_t(node)].children)
            if (label == c)
                next = child;
        if (next < 0) {
            next = int(trie.size());
            trie[size_t(node)].children.emplace_back(c, next);
            trie.emplace_back();
        }
        node = next;
    }
    trie[size_t(node)].token = tokenIndex;
}

const AddedToken *AddedVocabulary::find(int64_t id) const
{
    for (const AddedToken &token : m_tokens)
        if (token.id == id)
            return &token;
    return nullptr;
}

std::vector<TextPart> AddedVocabulary::split(const NormalizedString &text, bool normalized) const
{
    const std::vector<Node> &trie = m_trie[normalized ? 1 : 0];
    std::vector<TextPart> parts;
    if (trie.empty()) {
        parts.push_back({text, nullptr});
        return parts;
    }
    const std::u32string &s = text.chars;
    size_t partStart = 0; // start of the text not yet emitted
    size_t at = 0;
    while (at < s.size()) {
        // Longest added token starting at `at`.
        int node = 0;
        int found = -1;
        size_t foundEnd = 0;
        for (size_t i = at; i < s.size(); ++i) {
            int next = -1;
            for (const auto &[label, child] : trie[size_t(node)].children)
                if (label == s[i])
                    next = child;
            if (next < 0)
                break;
            node = next;
            if (trie[size_t(node)].token >= 0) {
                found = trie[size_t(node)].token;
                foundEnd = i + 1;
            }
        }
        if (found < 0) {
            ++at;
            continue;
        }
        const AddedToken &token = m_tokens[size_t(found)];
        size_t begin = at;
        size_t end = foundEnd;
        at = foundEnd;
        if (token.singleWord) {
            const bool wordBefore = begin > 0 && isAlphanumeric(s[begin - 1]);
            const bool wordAfter = end < s.size() && isAlphanumeric(s[end]);
            if (wordBefore || wordAfter)
                continue;
        }
        if (token.lstrip) {
            while (begin > partStart && isWhitespace(s[begin - 1]))
                --begin;
        }
        if (token.rstrip) {
            while (end < s.size() && isWhitespace(s[end]))
                ++end;
            at = end;
        }
        if (begin > partStart)
            parts.push_back({text.slice(partStart, begin), nullptr});
        parts.push_back({text.slice(begin, end), &token});
        partStart = end;
    }
    if (partStart < s.size() || parts.empty())
        parts.push_back({text.slice(partStart, s.size()), nullptr});
    return parts;
}

} // namespace attnscope::tokenize
