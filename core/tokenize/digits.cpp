// Digits pre-tokenizer: numbers apart from the rest, optionally one digit per piece.
#include "core/tokenize/component_factory.h"
#include "core/tokenize/split_behavior.h"
#include "core/tokenize/unicode_props.h"

namespace attnscope::tokenize {

std::unique_ptr<PreTokenizer> makeDigits(const JsonField &field)
{
    const bool individual = field.boolOr(QStringLiteral("individual_digits"), false);
    return makeCharSplit(isNumeric, individual ? SplitBehavior::Isolated : SplitBehavior::Contiguous);
}

} // namespace attnscope::tokenize
