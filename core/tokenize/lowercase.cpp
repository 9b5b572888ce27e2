// Lowercase and StripAccents normalizers.
#include "core/tokenize/basic_normalizations.h"
#include "core/tokenize/component_factory.h"
#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

void lowercase(NormalizedString &text)
{
    text.mapChars([](char32_t c, std::u32string &out) {
        if (c < 0x80) {
            out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
            return;
        }
        out = toUtf32(toQString(std::u32string(1, c)).toLower()); // full mapping: İ → i̇
    });
}

void stripAccents(NormalizedString &text)
{
    text.filter([](char32_t c) { return !isMark(c); });
}

namespace {

class Lowercase : public Normalizer {
public:
    void normalize(NormalizedString &text) const override { lowercase(text); }
};

class StripAccents : public Normalizer {
public:
    void normalize(NormalizedString &text) const override { stripAccents(text); }
};

} // namespace

std::unique_ptr<Normalizer> makeLowercase(const JsonField &)
{
    return std::make_unique<Lowercase>();
}

std::unique_ptr<Normalizer> makeStripAccents(const JsonField &)
{
    return std::make_unique<StripAccents>();
}

} // namespace attnscope::tokenize
