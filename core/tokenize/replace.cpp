// Replace: the normalizer (pattern → content, aligned with the last replaced char) and the decoder.
#include <algorithm>

#include "core/io/input_error.h"
#include "core/tokenize/component_factory.h"
#include "core/tokenize/pattern.h"

namespace attnscope::tokenize {

namespace {

// Real Replace normalizers swap a character for one or two; one that multiplies the text
// would only exhaust memory, so growth past this is refused.
constexpr size_t kMaxGrowthFactor = 4;
constexpr size_t kFreeGrowthChars = size_t(1) << 20;

class ReplaceNormalizer : public Normalizer {
public:
    ReplaceNormalizer(Pattern pattern, std::u32string content, QString source)
        : m_pattern(std::move(pattern)), m_content(std::move(content)), m_source(std::move(source)) {}
    void normalize(NormalizedString &text) const override
    {
        const auto ranges = m_pattern.find(text.chars);
        size_t removed = 0;
        for (const auto &[begin, end] : ranges)
            removed += end - begin;
        const size_t before = text.chars.size();
        const size_t after = before - removed + ranges.size() * m_content.size();
        if (after > std::max(kMaxGrowthFactor * before, before + kFreeGrowthChars))
            throw InputError(m_source, QStringLiteral("its Replace normalizer turns %1 characters of input into %2; "
                                                      "at most %3 times as many are accepted")
                                           .arg(before).arg(after).arg(kMaxGrowthFactor));
        text.replaceRanges(ranges, m_content);
    }

private:
    Pattern m_pattern;
    std::u32string m_content;
    QString m_source;
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
                                               toUtf32(field[QStringLiteral("content")].toString()), field.file());
}

std::unique_ptr<Decoder> makeReplaceDecoder(const JsonField &field)
{
    return std::make_unique<ReplaceDecoder>(Pattern::fromJson(field[QStringLiteral("pattern")]),
                                            toUtf32(field[QStringLiteral("content")].toString()));
}

} // namespace attnscope::tokenize
