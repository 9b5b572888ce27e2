// Split pre-tokenizer: a string or regex pattern with any split behavior, optionally inverted.
#include "core/tokenize/component_factory.h"
#include "core/tokenize/split_behavior.h"

namespace attnscope::tokenize {

namespace {

class Split : public PreTokenizer {
public:
    Split(Pattern pattern, SplitBehavior behavior, bool invert)
        : m_pattern(std::move(pattern)), m_behavior(behavior), m_invert(invert) {}

    void preTokenize(std::vector<NormalizedString> &pieces) const override
    {
        splitEach(pieces, [this](const NormalizedString &piece, std::vector<NormalizedString> &out) {
            splitByMatches(piece, m_pattern.find(piece.chars), m_behavior, out, m_invert);
        });
    }

private:
    Pattern m_pattern;
    SplitBehavior m_behavior;
    bool m_invert;
};

} // namespace

std::unique_ptr<PreTokenizer> makeSplit(const JsonField &field)
{
    return std::make_unique<Split>(Pattern::fromJson(field[QStringLiteral("pattern")]),
                                   parseSplitBehavior(field[QStringLiteral("behavior")]),
                                   field.boolOr(QStringLiteral("invert"), false));
}

} // namespace attnscope::tokenize
