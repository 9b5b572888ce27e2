// Punctuation pre-tokenizer: splits around punctuation chars with the configured behavior.
#include "core/tokenize/component_factory.h"
#include "core/tokenize/split_behavior.h"
#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

namespace {

class Punctuation : public PreTokenizer {
public:
    explicit Punctuation(SplitBehavior behavior) : m_behavior(behavior) {}
    void preTokenize(std::vector<NormalizedString> &pieces) const override
    {
        splitEach(pieces, [this](const NormalizedString &piece, std::vector<NormalizedString> &out) {
            splitByMatches(piece, findChars(piece.chars, isPunctuation), m_behavior, out);
        });
    }

private:
    SplitBehavior m_behavior;
};

} // namespace

std::unique_ptr<PreTokenizer> makePunctuation(const JsonField &field)
{
    const JsonField behavior = field[QStringLiteral("behavior")];
    return std::make_unique<Punctuation>(behavior.isNull() ? SplitBehavior::Isolated : parseSplitBehavior(behavior));
}

} // namespace attnscope::tokenize
