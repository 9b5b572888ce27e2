// Metaspace: the pre-tokenizer (spaces → "▁", a leading "▁", split before each "▁") and its decoder.
#include "core/tokenize/component_factory.h"
#include "core/tokenize/split_behavior.h"

namespace attnscope::tokenize {

namespace {

enum class PrependScheme { Always, First, Never };

struct MetaspaceOptions {
    char32_t replacement = U'\u2581';
    PrependScheme prepend = PrependScheme::Always;
    bool split = true;
};

MetaspaceOptions parseOptions(const JsonField &field)
{
    MetaspaceOptions options;
    const std::u32string replacement = toUtf32(field.stringOr(QStringLiteral("replacement"), QStringLiteral("\u2581")));
    if (replacement.size() != 1)
        field[QStringLiteral("replacement")].fail(QStringLiteral("expected a single character"));
    options.replacement = replacement[0];
    if (field.has(QStringLiteral("prepend_scheme"))) {
        const QString scheme = field[QStringLiteral("prepend_scheme")].toString();
        if (scheme == QLatin1String("always")) options.prepend = PrependScheme::Always;
        else if (scheme == QLatin1String("first")) options.prepend = PrependScheme::First;
        else if (scheme == QLatin1String("never")) options.prepend = PrependScheme::Never;
        else field[QStringLiteral("prepend_scheme")].fail(QStringLiteral("unsupported prepend scheme \"%1\"").arg(scheme));
    } else if (!field.boolOr(QStringLiteral("add_prefix_space"), true)) {
        options.prepend = PrependScheme::Never;
    }
    options.split = field.boolOr(QStringLiteral("split"), true);
    return options;
}

class MetaspacePreTokenizer : public PreTokenizer {
public:
    explicit MetaspacePreTokenizer(MetaspaceOptions options) : m(options) {}

    void preTokenize(std::vector<NormalizedString> &pieces) const override
    {
        splitEach(pieces, [this](NormalizedString piece, std::vector<NormalizedString> &out) {
            for (char32_t &c : piece.chars)
                if (c == U' ')
                    c = m.replacement;
            const bool startsWithReplacement = !piece.empty() && piece.chars.front() == m.replacement;
            const bool atStart = piece.empty() || piece.spans.front().begin == 0;
            if (!startsWithReplacement && (m.prepend == PrependScheme::Always || (m.prepend == PrependScheme::First && atStart)))
                piece.prepend(std::u32string(1, m.replacement));
            if (!m.split) {
                out.push_back(std::move(piece));
                return;
            }
            const char32_t replacement = m.replacement;
            splitByMatches(piece, findChars(piece.chars, [replacement](char32_t c) { return c == replacement; }),
                           SplitBehavior::MergedWithNext, out);
        });
    }

private:
    MetaspaceOptions m;
};

class MetaspaceDecoder : public Decoder {
public:
    explicit MetaspaceDecoder(MetaspaceOptions options) : m(options) {}

    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        for (size_t i = 0; i < tokens.size(); ++i) {
            std::u32string chars = toUtf32(QString::fromStdString(tokens[i]));
            for (char32_t &c : chars)
                if (c == m.replacement)
                    c = U' ';
            if (i == 0 && m.prepend != PrependScheme::Never && !chars.empty() && chars.front() == U' ')
                chars.erase(0, 1);
            tokens[i] = toUtf8(chars);
        }
        return tokens;
    }

private:
    MetaspaceOptions m;
};

} // namespace

std::unique_ptr<PreTokenizer> makeMetaspacePreTokenizer(const JsonField &field)
{
    return std::make_unique<MetaspacePreTokenizer>(parseOptions(field));
}

std::unique_ptr<Decoder> makeMetaspaceDecoder(const JsonField &field)
{
    return std::make_unique<MetaspaceDecoder>(parseOptions(field));
}

} // namespace attnscope::tokenize
