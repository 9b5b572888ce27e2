// ByteLevel: the pre-tokenizer (GPT-2 regex, then bytes → alphabet chars), the
// post-processor (trims spaces off offsets) and the decoder (alphabet chars → bytes).
#include "core/tokenize/byte_level.h"

#include <array>

#include "core/tokenize/component_factory.h"
#include "core/tokenize/pattern.h"
#include "core/tokenize/split_behavior.h"
#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

const char *const kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

namespace {

struct Alphabet {
    std::array<char32_t, 256> charOf{};
    std::array<int, 324> byteOf{};
    Alphabet()
    {
        byteOf.fill(-1);
        int extra = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            charOf[size_t(b)] = printable ? char32_t(b) : char32_t(256 + extra++);
            byteOf[charOf[size_t(b)]] = b;
        }
    }
};

const Alphabet &alphabet()
{
    static const Alphabet table;
    return table;
}

class ByteLevelPreTokenizer : public PreTokenizer {
public:
    ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : m_addPrefixSpace(addPrefixSpace)
    {
        if (useRegex)
            m_regex = compileHfRegex(QString::fromLatin1(kGpt2Pattern));
    }

    void preTokenize(std::vector<NormalizedString> &pieces) const override
    {
        splitEach(pieces, [this](NormalizedString piece, std::vector<NormalizedString> &out) {
            if (m_addPrefixSpace && !piece.empty() && piece.chars.front() != U' ')
                piece.prepend(U" ");
            if (m_regex.pattern().isEmpty())
                out.push_back(std::move(piece));
            else
                splitByMatches(piece, findRegexMatches(m_regex, piece.chars), SplitBehavior::Isolated, out);
        });
        for (NormalizedString &piece : pieces) {
            piece.mapChars([](char32_t c, std::u32string &out) {
                for (unsigned char byte : toUtf8(c))
                    out.push_back(byteLevelChar(byte));
            });
        }
    }

private:
    bool m_addPrefixSpace;
    QRegularExpression m_regex;
};

class ByteLevelProcessing : public PostProcessor {
public:
    ByteLevelProcessing(bool trimOffsets, bool addPrefixSpace) : m_trimOffsets(trimOffsets), m_addPrefixSpace(addPrefixSpace) {}

    std::vector<Token> process(std::vector<Token> first, std::vector<Token> *second, bool) const override
    {
        if (m_trimOffsets) {
            trimByteLevelOffsets(first, m_addPrefixSpace);
            if (second)
                trimByteLevelOffsets(*second, m_addPrefixSpace);
        }
        if (second)
            first.insert(first.end(), second->begin(), second->end());
        return first;
    }

private:
    bool m_trimOffsets, m_addPrefixSpace;
};

class ByteLevelDecoder : public Decoder {
public:
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        std::string bytes;
        for (const std::string &token : tokens)
            if (!byteLevelBytes(toUtf32(QString::fromStdString(token)), bytes))
                bytes += token;
        return {QString::fromUtf8(bytes.data(), qsizetype(bytes.size())).toStdString()};
    }
};

} // namespace

// HF's ByteLevel offset trimming: leading and trailing spaces (Ġ) leave the offsets.
void trimByteLevelOffsets(std::vector<Token> &tokens, bool addPrefixSpace)
{
    const QChar spaceChar(0x120);
    for (size_t i = 0; i < tokens.size(); ++i) {
        Token &t = tokens[i];
        const QString &s = t.token;
        auto isSpace = [&](QChar c) { return c == spaceChar || isWhitespace(c.unicode()); };
        qint64 leading = 0;
        while (leading < s.size() && isSpace(s.at(leading)))
            ++leading;
        qint64 trailing = 0;
        while (trailing < s.size() && isSpace(s.at(s.size() - 1 - trailing)))
            ++trailing;
        if (leading > 0) {
            const bool isFirst = i == 0 || t.byteBegin == 0;
            if (isFirst && addPrefixSpace && leading == 1)
                leading = 0;
            t.byteBegin = std::min(t.byteBegin + leading, t.byteEnd);
        }
        if (trailing > 0 && t.byteEnd >= trailing)
            t.byteEnd = std::max(t.byteEnd - trailing, t.byteBegin);
    }
}

char32_t byteLevelChar(unsigned char byte)
{
    return alphabet().charOf[byte];
}

int byteLevelByte(char32_t c)
{
    return c < alphabet().byteOf.size() ? alphabet().byteOf[c] : -1;
}

bool byteLevelBytes(const std::u32string &token, std::string &out)
{
    std::string bytes;
    bytes.reserve(token.size());
    for (char32_t c : token) {
        const int b = byteLevelByte(c);
        if (b < 0)
            return false;
        bytes += char(b);
    }
    out += bytes;
    return true;
}

std::unique_ptr<PreTokenizer> makeByteLevelPreTokenizer(const JsonField &field)
{
    return std::make_unique<ByteLevelPreTokenizer>(field.boolOr(QStringLiteral("add_prefix_space"), true),
                                                   field.boolOr(QStringLiteral("use_regex"), true));
}

std::unique_ptr<PostProcessor> makeByteLevelProcessing(const JsonField &field, const Model &)
{
    return std::make_unique<ByteLevelProcessing>(field.boolOr(QStringLiteral("trim_offsets"), true),
                                                 field.boolOr(QStringLiteral("add_prefix_space"), true));
}

std::unique_ptr<Decoder> makeByteLevelDecoder(const JsonField &)
{
    return std::make_unique<ByteLevelDecoder>();
}

} // namespace attnscope::tokenize
