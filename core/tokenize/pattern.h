#pragma once
// A Replace/Split pattern: {"String": "…"} or {"Regex": "…"}, found in a code-point string.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <QRegularExpression>

#include "core/tokenize/json_field.h"

namespace attnscope::tokenize {

using CharRange = std::pair<size_t, size_t>; // [begin, end) in code points

class Pattern {
public:
    static Pattern literal(std::u32string text);
    static Pattern regex(const QString &expression, const JsonField &where);
    static Pattern fromJson(const JsonField &field); // the {"String"|"Regex": …} object

    std::vector<CharRange> find(const std::u32string &text) const; // non-overlapping, non-empty

private:
    std::u32string m_literal;
    std::optional<QRegularExpression> m_regex;
};

// Compiles a tokenizer.json regex for PCRE2, whose \w (letters, digits, _) is narrower than
// HF's: Oniguruma's (Split, Replace) also covers marks and connector punctuation, and Rust
// regex's (the Whitespace pre-tokenizer) also letter numbers and the joiners ZWJ/ZWNJ.
// Invalid patterns give an invalid expression.
enum class RegexFlavor { Oniguruma, RustRegex };
QRegularExpression compileHfRegex(const QString &pattern, RegexFlavor flavor = RegexFlavor::Oniguruma);

// Matches of a regex over code points (Qt works in UTF-16; indices are mapped back).
std::vector<CharRange> findRegexMatches(const QRegularExpression &regex, const std::u32string &text);

} // namespace attnscope::tokenize
