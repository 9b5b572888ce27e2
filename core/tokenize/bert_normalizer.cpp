// BertNormalizer: clean control chars, space out CJK ideographs, strip accents, lowercase.
#include "core/tokenize/basic_normalizations.h"
#include "core/tokenize/component_factory.h"
#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

namespace {

bool isControl(char32_t c) // HF: every C* category except \t \n \r
{
    if (c == '\t' || c == '\n' || c == '\r')
        return false;
    const auto category = QChar::category(c);
    return category == QChar::Other_Control || category == QChar::Other_Format
        || category == QChar::Other_Surrogate || category == QChar::Other_PrivateUse
        || category == QChar::Other_NotAssigned;
}

bool isChineseChar(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

class BertNormalizer : public Normalizer {
public:
    BertNormalizer(bool cleanText, bool chineseChars, bool stripAccents, bool lowercase)
        : m_cleanText(cleanText), m_chineseChars(chineseChars), m_stripAccents(stripAccents), m_lowercase(lowercase) {}

    void normalize(NormalizedString &text) const override
    {
        if (m_cleanText) {
            text.filter([](char32_t c) { return c != 0 && c != 0xFFFD && !isControl(c); });
            for (char32_t &c : text.chars)
                if (isWhitespace(c))
                    c = ' ';
        }
        if (m_chineseChars) {
            text.mapChars([](char32_t c, std::u32string &out) {
                if (isChineseChar(c))
                    out = {U' ', c, U' '};
                else
                    out.push_back(c);
            });
        }
        if (m_stripAccents) {
            applyNormalizationForm(text, QString::NormalizationForm_D);
            text.filter([](char32_t c) { return !isNonSpacingMark(c); }); // Mn only, unlike StripAccents
        }
        if (m_lowercase)
            lowercase(text);
    }

private:
    bool m_cleanText, m_chineseChars, m_stripAccents, m_lowercase;
};

} // namespace

std::unique_ptr<Normalizer> makeBertNormalizer(const JsonField &field)
{
    const bool lower = field.boolOr(QStringLiteral("lowercase"), true);
    return std::make_unique<BertNormalizer>(field.boolOr(QStringLiteral("clean_text"), true),
                                            field.boolOr(QStringLiteral("handle_chinese_chars"), true),
                                            field.boolOr(QStringLiteral("strip_accents"), lower), lower);
}

} // namespace attnscope::tokenize
