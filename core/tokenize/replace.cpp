// Replace: the normalizer (pattern → content, aligned with the last replaced char) and the decoder.
#include "core/tokenize/component_factory.h"
#include "core/tokenize/pattern.h"

namespace attnscope::tokenize {

namespace {

class ReplaceNormalizer : public Normalizer {
public:
    ReplaceNormalizer(Pattern pattern, std::u32string content) : m_pattern(std::move(pattern)), m_content(std::move(content)) {}
    void normalize(NormalizedString &text) const override
    {
        text.replaceRanges(m_pattern.find(text.chars), m_content);
    }

private:
    Pattern m_pattern;
    std::u32string m_content;
};

class ReplaceDecoder : public Decoder {
public:
    ReplaceDecoder(Pattern pattern, std::u32string content) : m_pattern(std::move(pattern)), m_content(std::move(content)) {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        for (std::string &token : tokens) {
            NormalizedString text = NormalizedString::fromUtf8(token.data(), qint64(token.size()));
            text.replaceRanges(m_pattern.find(text.chars), m_content);
            token = toUtf8(text.chars);
        }
        return tokens;
    }

private:
    Pattern m_pattern;
    std::u32string m_content;
};

} // namespace

std::unique_ptr<Normalizer> makeReplaceNormalizer(const JsonField &field)
{
    return std::make_unique<ReplaceNormalizer>(Pattern::fromJson(field[QStringLiteral("pattern")]),
                                               toUtf32(field[QStringLiteral("content")].toString()));
}

std::unique_ptr<Decoder> makeReplaceDecoder(const JsonField &field)
{
    return std::make_unique<ReplaceDecoder>(Pattern::fromJson(field[QStringLiteral("pattern")]),
                                            toUtf32(field[QStringLiteral("content")].toString()));
}

} // namespace attnscope::tokenize
