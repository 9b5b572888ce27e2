#pragma once
// Readable token strings for the views: byte-level tokens back to text ("Ġworld" → "␣world"),
// SentencePiece's word-start mark as the same space mark ("▁world" → "␣world"), whitespace and
// control chars as visible marks, single-byte <0xNN> tokens as their mark.

#include <string>

#include <QString>

namespace attnscope::tokenize {

enum class TokenStyle {
    Plain,
    ByteLevel, // GPT-2's byte-to-unicode alphabet: "Ġ" is a space byte
    Metaspace, // SentencePiece: "▁" (U+2581) stands for a space
};

QString displayText(const std::string &token, TokenStyle style);

} // namespace attnscope::tokenize
