#pragma once
// Character classes as Hugging Face's tokenizers (Rust char methods) define them.

#include <QChar>

namespace attnscope::tokenize {

inline bool isWhitespace(char32_t c) // Rust char::is_whitespace (White_Space)
{
    if (c == ' ' || (c >= 0x09 && c <= 0x0D))
        return true;
    if (c < 0x80)
        return false;
    return c == 0x85 || QChar::isSpace(c);
}

inline bool isPunctuation(char32_t c) // HF is_punc: ASCII punctuation and every P* category
{
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126))
        return true;
    return QChar::isPunct(c);
}

inline bool isNonSpacingMark(char32_t c) // Mn (what BertNormalizer strips)
{
    return c >= 0x300 && QChar::category(c) == QChar::Mark_NonSpacing;
}

inline bool isMark(char32_t c) // Mn, Mc, Me (what StripAccents strips)
{
    if (c < 0x300)
        return false;
    const auto category = QChar::category(c);
    return category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining
        || category == QChar::Mark_Enclosing;
}

inline bool isNumeric(char32_t c) // Rust char::is_numeric: Nd, Nl, No
{
    if (c < 0x80)
        return c >= '0' && c <= '9';
    const auto category = QChar::category(c);
    return category == QChar::Number_DecimalDigit || category == QChar::Number_Letter
        || category == QChar::Number_Other;
}

inline bool isAlphanumeric(char32_t c) // Rust char::is_alphanumeric
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    return QChar::isLetter(c) || isNumeric(c);
}

} // namespace attnscope::tokenize
