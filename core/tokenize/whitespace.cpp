// Whitespace (keeps runs of \w and of other non-space chars) and WhitespaceSplit (splits on spaces).
#include "core/tokenize/component_factory.h"
#include "core/tokenize/pattern.h"
#include "core/tokenize/split_behavior.h"
#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

namespace {

class Whitespace : public PreTokenizer {
public:
    Whitespace() : m_words(compileHfRegex(QStringLiteral(R"(\w+|[^\w\s]+)"), RegexFlavor::RustRegex)) {}
    void preTokenize(std::vector<NormalizedString> &pieces) const override
    {
        splitEach(pieces, [this](const NormalizedString &piece, std::vector<NormalizedString> &out) {
            splitByMatches(piece, findRegexMatches(m_words, piece.chars), SplitBehavior::Removed, out, true);
        });
    }

private:
    QRegularExpression m_words;
};

} // namespace

std::unique_ptr<PreTokenizer> makeWhitespace(const JsonField &)
{
    return std::make_unique<Whitespace>();
}

std::unique_ptr<PreTokenizer> makeWhitespaceSplit(const JsonField &)
{
    return makeCharSplit(isWhitespace, SplitBehavior::Removed);
}

} // namespace attnscope::tokenize
