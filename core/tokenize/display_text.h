#pragma once
// Readable token strings for the views: byte-level tokens back to text ("Ġworld" → "␣world"),
// whitespace and control chars as visible marks, single-byte <0xNN> tokens as their mark.

#include <string>

#include <QString>

namespace attnscope::tokenize {

enum class TokenStyle { Plain, ByteLevel };

QString displayText(const std::string &token, TokenStyle style);

} // namespace attnscope::tokenize
