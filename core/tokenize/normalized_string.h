#pragma once
// Text under normalization: its code points and, for each one, the bytes of the original
// input it came from, so token offsets survive every rewrite (HF's NormalizedString).

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <QByteArray>
#include <QString>

namespace attnscope::tokenize {

struct ByteSpan {
    qint64 begin = 0;
    qint64 end = 0;
};

class NormalizedString {
public:
    // Invalid UTF-8 bytes each become U+FFFD spanning that byte.
    static NormalizedString fromUtf8(const char *data, qint64 size, qint64 base = 0);

    std::u32string chars;
    std::vector<ByteSpan> spans; // one per char
    qint64 originBegin = 0;      // where this piece starts in the input

    bool empty() const { return chars.empty(); }
    size_t size() const { return chars.size(); }
    NormalizedString slice(size_t begin, size_t end) const;
    ByteSpan originalSpan(size_t begin, size_t end) const; // of chars [begin, end)

    // Each char becomes zero or more chars, all aligned with it.
    void mapChars(const std::function<void(char32_t, std::u32string &)> &map);
    void filter(const std::function<bool(char32_t)> &keep);
    void prepend(const std::u32string &text);
    // Replaces each [begin, end) range (sorted, disjoint) by content, aligned with its last char.
    void replaceRanges(const std::vector<std::pair<size_t, size_t>> &ranges, const std::u32string &content);
};

std::string toUtf8(const std::u32string &text);
std::string toUtf8(char32_t c);
std::u32string toUtf32(const QString &text);
QString toQString(const std::u32string &text);

} // namespace attnscope::tokenize
