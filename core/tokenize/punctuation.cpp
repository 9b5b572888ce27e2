// Punctuation pre-tokenizer: splits around punctuation chars with the configured behavior.
#include "core/tokenize/component_factory.h"
#include "core/tokenize/split_behavior.h"
#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

std::unique_ptr<PreTokenizer> makePunctuation(const JsonField &field)
{
    const JsonField behavior = field[QStringLiteral("behavior")];
    return makeCharSplit(isPunctuation, behavior.isNull() ? SplitBehavior::Isolated : parseSplitBehavior(behavior));
}

} // namespace attnscope::tokenize
