// BertPreTokenizer: splits on whitespace (dropped) and isolates every punctuation char.
#include "core/tokenize/component_factory.h"
#include "core/tokenize/split_behavior.h"
#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

namespace {

class BertPreTokenizer : public PreTokenizer {
public:
    void preTokenize(std::vector<NormalizedString> &pieces) const override
    {
        m_whitespace->preTokenize(pieces);
        m_punctuation->preTokenize(pieces);
    }

private:
    std::unique_ptr<PreTokenizer> m_whitespace = makeCharSplit(isWhitespace, SplitBehavior::Removed);
    std::unique_ptr<PreTokenizer> m_punctuation = makeCharSplit(isPunctuation, SplitBehavior::Isolated);
};

} // namespace

std::unique_ptr<PreTokenizer> makeBertPreTokenizer(const JsonField &)
{
    return std::make_unique<BertPreTokenizer>();
}

} // namespace attnscope::tokenize
