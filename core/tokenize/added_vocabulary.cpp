#include "core/tokenize/added_vocabulary.h"

#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

void AddedVocabulary::add(AddedToken token)
{
    if (token.content.empty())
        return;
    const auto [known, added] = m_indexOfContent.emplace(token.content, m_tokens.size());
    if (!added) { // the same content again replaces the first (rare: rebuild everything)
        m_tokens[known->second] = std::move(token);
        rebuild();
        return;
    }
    m_indexOfId.emplace(token.id, m_tokens.size());
    m_tokens.push_back(std::move(token));
    insert(int(m_tokens.size() - 1));
}

void AddedVocabulary::rebuild()
{
    m_indexOfId.clear();
    m_trie[0] = Trie();
    m_trie[1] = Trie();
    for (size_t i = 0; i < m_tokens.size(); ++i) {
        m_indexOfId.emplace(m_tokens[i].id, i);
        insert(int(i));
    }
}

void AddedVocabulary::insert(int tokenIndex)
{
    const AddedToken &token = m_tokens[size_t(tokenIndex)];
    Trie &trie = m_trie[token.normalized ? 1 : 0];
    if (trie.tokenAt.empty())
        trie.tokenAt.push_back(-1);
    int node = 0;
    for (char32_t c : token.content) {
        int next = trie.child(node, c);
        if (next < 0) {
            next = int(trie.tokenAt.size());
            trie.edges.emplace(Trie::key(node, c), next);
            trie.tokenAt.push_back(-1);
        }
        node = next;
    }
    trie.tokenAt[size_t(node)] = tokenIndex;
}

const AddedToken *AddedVocabulary::find(int64_t id) const
{
    const auto it = m_indexOfId.find(id);
    return it == m_indexOfId.end() ? nullptr : &m_tokens[it->second];
}

std::vector<TextPart> AddedVocabulary::split(const NormalizedString &text, bool normalized) const
{
    const Trie &trie = m_trie[normalized ? 1 : 0];
    std::vector<TextPart> parts;
    if (trie.tokenAt.empty()) {
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
            const int next = trie.child(node, s[i]);
            if (next < 0)
                break;
            node = next;
            if (trie.tokenAt[size_t(node)] >= 0) {
                found = trie.tokenAt[size_t(node)];
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
