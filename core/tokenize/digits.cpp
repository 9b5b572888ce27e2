// Digits pre-tokenizer: numbers apart from the rest, optionally one digit per piece.
#include "core/tokenize/component_factory.h"
#include "core/tokenize/split_behavior.h"
#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

namespace {

class Digits : public PreTokenizer {
public:
    explicit Digits(bool individual) : m_individual(individual) {}
    void preTokenize(std::vector<NormalizedString> &pieces) const override
    {
        const SplitBehavior behavior = m_individual ? SplitBehavior::Isolated : SplitBehavior::Contiguous;
        splitEach(pieces, [behavior](const NormalizedString &piece, std::vector<NormalizedString> &out) {
            splitByMatches(piece, findChars(piece.chars, isNumeric), behavior, out);
        });
    }

private:
    bool m_individual;
};

} // namespace

std::unique_ptr<PreTokenizer> makeDigits(const JsonField &field)
{
    return std::make_unique<Digits>(field.boolOr(QStringLiteral("individual_digits"), false));
}

} // namespace attnscope::tokenize
