#include "core/tokenize/normalized_string.h"

#include <QList>

namespace attnscope::tokenize {

namespace {

// Length of the valid UTF-8 sequence at p (1..4), or 0 when it is not one.
int validSequenceLength(const unsigned char *p, qint64 left, char32_t &out)
{
    const unsigned char b = p[0];
    if (b < 0x80) {
        out = b;
        return 1;
    }
    int length = 0;
    char32_t c = 0;
    char32_t minimum = 0;
    if ((b & 0xE0) == 0xC0) { length = 2; c = b & 0x1F; minimum = 0x80; }
    else if ((b & 0xF0) == 0xE0) { length = 3; c = b & 0x0F; minimum = 0x800; }
    else if ((b & 0xF8) == 0xF0) { length = 4; c = b & 0x07; minimum = 0x10000; }
    else return 0;
    if (left < length)
        return 0;
    for (int i = 1; i < length; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < minimum || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    out = c;
    return length;
}

} // namespace

NormalizedString NormalizedString::fromUtf8(const char *data, qint64 size, qint64 base)
{
    NormalizedString s;
    s.originBegin = base;
    s.chars.reserve(size_t(size));
    s.spans.reserve(size_t(size));
    const auto *bytes = reinterpret_cast<const unsigned char *>(data);
    qint64 i = 0;
    while (i < size) {
        char32_t c = 0;
        int length = validSequenceLength(bytes + i, size - i, c);
        if (length == 0) {
            c = 0xFFFD;
            length = 1;
        }
        s.chars.push_back(c);
        s.spans.push_back({base + i, base + i + length});
        i += length;
    }
    return s;
}

NormalizedString NormalizedString::slice(size_t begin, size_t end) const
{
    NormalizedString s;
    s.chars = chars.substr(begin, end - begin);
    s.spans.assign(spans.begin() + qsizetype(begin), spans.begin() + qsizetype(end));
    s.originBegin = begin < spans.size() ? spans[begin].begin : originBegin;
    return s;
}

ByteSpan NormalizedString::originalSpan(size_t begin, size_t end) const
{
    if (begin >= end || end > spans.size())
        return {originBegin, originBegin};
    return {spans[begin].begin, spans[end - 1].end};
}

void NormalizedString::mapChars(const std::function<void(char32_t, std::u32string &)> &map)
{
    std::u32string newChars;
    std::vector<ByteSpan> newSpans;
    newChars.reserve(chars.size());
    newSpans.reserve(chars.size());
    std::u32string out;
    for (size_t i = 0; i < chars.size(); ++i) {
        out.clear();
        map(chars[i], out);
        newChars += out;
        newSpans.insert(newSpans.end(), out.size(), spans[i]);
    }
    chars = std::move(newChars);
    spans = std::move(newSpans);
}

void NormalizedString::filter(const std::function<bool(char32_t)> &keep)
{
    size_t kept = 0;
    for (size_t i = 0; i < chars.size(); ++i) {
        if (keep(chars[i])) {
            chars[kept] = chars[i];
            spans[kept] = spans[i];
            ++kept;
        }
    }
    chars.resize(kept);
    spans.resize(kept);
}

void NormalizedString::prepend(const std::u32string &text)
{
    if (chars.empty() || text.empty())
        return;
    chars.insert(0, text);
    spans.insert(spans.begin(), text.size(), spans.front());
}

void NormalizedString::replaceRanges(const std::vector<std::pair<size_t, size_t>> &ranges,
                                     const std::u32string &content)
{
    if (ranges.empty())
        return;
    std::u32string newChars;
    std::vector<ByteSpan> newSpans;
    size_t last = 0;
    for (const auto &[begin, end] : ranges) {
        newChars.append(chars, last, begin - last);
        newSpans.insert(newSpans.end(), spans.begin() + qsizetype(last), spans.begin() + qsizetype(begin));
        newChars += content;
        newSpans.insert(newSpans.end(), content.size(), spans[end - 1]);
        last = end;
    }
    newChars.append(chars, last, std::u32string::npos);
    newSpans.insert(newSpans.end(), spans.begin() + qsizetype(last), spans.end());
    chars = std::move(newChars);
    spans = std::move(newSpans);
}

std::string toUtf8(char32_t c)
{
    std::string out;
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xF0 | (c >> 18));
        out += char(0x80 | ((c >> 12) & 0x3F));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    }
    return out;
}

std::string toUtf8(const std::u32string &text)
{
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text)
        out += toUtf8(c);
    return out;
}

std::u32string toUtf32(const QString &text)
{
    const QList<uint> ucs4 = text.toUcs4();
    return std::u32string(ucs4.begin(), ucs4.end());
}

QString toQString(const std::u32string &text)
{
    // Not QString::fromUcs4: it would drop a leading U+FEFF as a byte-order mark.
    QString out;
    out.reserve(qsizetype(text.size()));
    for (char32_t c : text) {
        if (QChar::requiresSurrogates(c)) {
            out += QChar(QChar::highSurrogate(c));
            out += QChar(QChar::lowSurrogate(c));
        } else {
            out += QChar(char16_t(c));
        }
    }
    return out;
}

} // namespace attnscope::tokenize
