#pragma once
// How a pre-tokenizer splits a piece around the matches of its pattern (HF's
// SplitDelimiterBehavior): Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous.

#include <memory>
#include <vector>

#include "core/tokenize/json_field.h"
#include "core/tokenize/normalized_string.h"
#include "core/tokenize/pattern.h"

namespace attnscope::tokenize {

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

SplitBehavior parseSplitBehavior(const JsonField &field);

// Appends the non-empty parts of piece to out. With invert, the matches are what is kept
// apart and the rest is treated as the delimiter.
void splitByMatches(const NormalizedString &piece, const std::vector<CharRange> &matches,
                    SplitBehavior behavior, std::vector<NormalizedString> &out, bool invert = false);

// Matches of single chars for which isDelimiter holds.
template <typename Predicate>
std::vector<CharRange> findChars(const std::u32string &text, Predicate isDelimiter)
{
    std::vector<CharRange> matches;
    for (size_t i = 0; i < text.size(); ++i)
        if (isDelimiter(text[i]))
            matches.emplace_back(i, i + 1);
    return matches;
}

class PreTokenizer;
// A pre-tokenizer splitting each piece around the chars isDelimiter accepts.
std::unique_ptr<PreTokenizer> makeCharSplit(bool (*isDelimiter)(char32_t), SplitBehavior behavior);

} // namespace attnscope::tokenize
