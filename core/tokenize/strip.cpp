// Strip: the normalizer (trims whitespace) and the decoder (cuts a char off token ends).
#include "core/tokenize/component_factory.h"
#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

namespace {

class StripNormalizer : public Normalizer {
public:
    StripNormalizer(bool left, bool right) : m_left(left), m_right(right) {}
    void normalize(NormalizedString &text) const override
    {
        size_t begin = 0;
        size_t end = text.size();
        while (m_left && begin < end && isWhitespace(text.chars[begin]))
            ++begin;
        while (m_right && end > begin && isWhitespace(text.chars[end - 1]))
            --end;
        if (begin != 0 || end != text.size()) {
            const qint64 origin = text.originBegin;
            text = text.slice(begin, end);
            text.originBegin = origin;
        }
    }

private:
    bool m_left, m_right;
};

class StripDecoder : public Decoder {
public:
    StripDecoder(char32_t content, int start, int stop) : m_content(content), m_start(start), m_stop(stop) {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        for (std::string &token : tokens) {
            std::u32string chars = toUtf32(QString::fromStdString(token));
            size_t begin = 0;
            while (begin < chars.size() && int(begin) < m_start && chars[begin] == m_content)
                ++begin;
            size_t end = chars.size();
            while (end > begin && int(chars.size() - end) < m_stop && chars[end - 1] == m_content)
                --end;
            token = toUtf8(chars.substr(begin, end - begin));
        }
        return tokens;
    }

private:
    char32_t m_content;
    int m_start, m_stop;
};

} // namespace

std::unique_ptr<Normalizer> makeStripNormalizer(const JsonField &field)
{
    return std::make_unique<StripNormalizer>(field.boolOr(QStringLiteral("strip_left"), true),
                                             field.boolOr(QStringLiteral("strip_right"), true));
}

std::unique_ptr<Decoder> makeStripDecoder(const JsonField &field)
{
    const std::u32string content = toUtf32(field[QStringLiteral("content")].toString());
    if (content.size() != 1)
        field[QStringLiteral("content")].fail(QStringLiteral("expected a single character"));
    return std::make_unique<StripDecoder>(content[0], int(field[QStringLiteral("start")].toInt()),
                                          int(field[QStringLiteral("stop")].toInt()));
}

} // namespace attnscope::tokenize
