#include "core/tokenize/display_text.h"

#include "core/tokenize/byte_level.h"
#include "core/tokenize/normalized_string.h"
#include "core/tokenize/vocabulary.h"

namespace attnscope::tokenize {

namespace {

void appendVisible(QString &out, char32_t c)
{
    switch (c) {
    case U' ': out += QChar(0x2423); return;  // ␣
    case U'\n': out += QChar(0x21B5); return; // ↵
    case U'\t': out += QChar(0x21E5); return; // ⇥
    case U'\r': out += QChar(0x240D); return; // ␍
    default: break;
    }
    if (c < 0x20)
        out += QChar(char16_t(0x2400 + c)); // control pictures
    else if (c == 0x7F)
        out += QChar(0x2421);
    else
        out += toQString(std::u32string(1, c));
}

// Bytes as text; bytes that are not valid UTF-8 (a split character) show as <0xNN>.
QString bytesToVisible(const std::string &bytes)
{
    QString out;
    const NormalizedString decoded = NormalizedString::fromUtf8(bytes.data(), qint64(bytes.size()));
    for (size_t i = 0; i < decoded.size(); ++i) {
        const ByteSpan span = decoded.spans[i];
        const bool invalid = decoded.chars[i] == 0xFFFD && bytes.compare(size_t(span.begin), 3, "\xEF\xBF\xBD") != 0;
        if (invalid)
            out += QString::fromStdString(byteFallbackToken(uchar(bytes[size_t(span.begin)])));
        else
            appendVisible(out, decoded.chars[i]);
    }
    return out;
}

} // namespace

QString displayText(const std::string &token, TokenStyle style)
{
    if (style == TokenStyle::ByteLevel) {
        std::string bytes;
        if (byteLevelBytes(toUtf32(QString::fromStdString(token)), bytes))
            return bytesToVisible(bytes);
    }
    if (const int byte = byteFallbackValue(token); byte >= 0) {
        if (byte >= 0x80) // part of a character: stays <0xNN>
            return QString::fromStdString(token);
        QString out;
        appendVisible(out, char32_t(byte));
        return out;
    }
    QString out;
    for (char32_t c : toUtf32(QString::fromStdString(token)))
        appendVisible(out, style == TokenStyle::Metaspace && c == U'\u2581' ? U' ' : c);
    return out;
}

} // namespace attnscope::tokenize
