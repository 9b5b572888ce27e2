#pragma once
// Token string ↔ id for a model (ids may have holes).

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace attnscope::tokenize {

// SentencePiece's byte tokens: "<0x0A>".
inline std::string byteFallbackToken(unsigned char byte)
{
    static const char hex[] = "0123456789ABCDEF";
    return std::string("<0x") + hex[byte >> 4] + hex[byte & 15] + ">";
}

// The byte a "<0xNN>" token stands for, or -1.
int byteFallbackValue(const std::string &token);

class Vocabulary {
public:
    void add(const std::string &token, int64_t id);
    int64_t id(const std::string &token) const
    {
        const auto it = m_ids.find(token);
        return it == m_ids.end() ? -1 : it->second;
    }
    std::string token(int64_t id) const
    {
        return id >= 0 && id < int64_t(m_tokens.size()) ? m_tokens[size_t(id)] : std::string();
    }
    int64_t size() const { return int64_t(m_ids.size()); }
    // UTF-8 bytes of the longest token, so also a bound on its characters.
    size_t longestTokenBytes() const { return m_longestTokenBytes; }

private:
    std::unordered_map<std::string, int64_t> m_ids;
    std::vector<std::string> m_tokens;
    size_t m_longestTokenBytes = 0;
};

class JsonField;
// A {"token": id, …} object; throws InputError naming the field.
Vocabulary readVocabulary(const JsonField &field);

} // namespace attnscope::tokenize
