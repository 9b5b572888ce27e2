// NFC, NFD, NFKC, NFKD. Qt normalizes whole strings, so the text is cut into segments that
// normalize independently (a starter and its marks); output chars are aligned with input
// chars the way HF's unicode-normalization-alignments does it.
#include "core/tokenize/basic_normalizations.h"
#include "core/tokenize/component_factory.h"

namespace attnscope::tokenize {

namespace {

bool startsSegment(char32_t c)
{
    if (c < 0x300)
        return true;
    if ((c >= 0x1160 && c <= 0x11FF) || (c >= 0xD7B0 && c <= 0xD7FF)) // Hangul vowel and trailing jamo
        return false;
    const auto category = QChar::category(c);
    const bool mark = category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining
        || category == QChar::Mark_Enclosing;
    return !mark && QChar::combiningClass(c) == 0;
}

class UnicodeNormalizer : public Normalizer {
public:
    explicit UnicodeNormalizer(QString::NormalizationForm form) : m_form(form) {}
    void normalize(NormalizedString &text) const override { applyNormalizationForm(text, m_form); }

private:
    QString::NormalizationForm m_form;
};

} // namespace

void applyNormalizationForm(NormalizedString &text, QString::NormalizationForm form)
{
    std::u32string chars;
    std::vector<ByteSpan> spans;
    chars.reserve(text.size());
    spans.reserve(text.size());
    size_t begin = 0;
    while (begin < text.size()) {
        size_t end = begin + 1;
        while (end < text.size() && !startsSegment(text.chars[end]))
            ++end;
        if (end == begin + 1 && text.chars[begin] < 0x80) { // ASCII never changes
            chars.push_back(text.chars[begin]);
            spans.push_back(text.spans[begin]);
        } else {
            const std::u32string out = toUtf32(toQString(text.chars.substr(begin, end - begin)).normalized(form));
            const size_t n = end - begin;
            for (size_t k = 0; k < out.size(); ++k) {
                // Composition: the first char absorbs the composed ones, the rest follow on.
                const size_t source = out.size() < n ? (k == 0 ? 0 : k + n - out.size()) : std::min(k, n - 1);
                chars.push_back(out[k]);
                spans.push_back(text.spans[begin + source]);
            }
        }
        begin = end;
    }
    text.chars = std::move(chars);
    text.spans = std::move(spans);
}

std::unique_ptr<Normalizer> makeUnicodeNormalizer(const JsonField &field)
{
    const QString type = field["type"].toString();
    const QString::NormalizationForm form = type == QLatin1String("NFC") ? QString::NormalizationForm_C
        : type == QLatin1String("NFD") ? QString::NormalizationForm_D
        : type == QLatin1String("NFKC") ? QString::NormalizationForm_KC
        : QString::NormalizationForm_KD;
    return std::make_unique<UnicodeNormalizer>(form);
}


} // namespace attnscope::tokenize
