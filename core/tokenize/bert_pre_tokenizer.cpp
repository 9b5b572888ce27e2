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
        splitEach(pieces, [](const NormalizedString &piece, std::vector<NormalizedString> &out) {
            splitByMatches(piece, findChars(piece.chars, isWhitespace), SplitBehavior::Removed, out);
        });
        splitEach(pieces, [](const NormalizedString &piece, std::vector<NormalizedString> &out) {
            splitByMatches(piece, findChars(piece.chars, isPunctuation), SplitBehavior::Isolated, out);
        });
    }
};

} // namespace

std::unique_ptr<PreTokenizer> makeBertPreTokenizer(const JsonField &)
{
    return std::make_unique<BertPreTokenizer>();
}

} // namespace attnscope::tokenize
