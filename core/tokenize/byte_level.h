#pragma once
// GPT-2's byte-level alphabet: every byte has a printable stand-in char (space → Ġ, \n → Ċ).

#include <string>

namespace attnscope::tokenize {

char32_t byteLevelChar(unsigned char byte);
int byteLevelByte(char32_t c); // -1 for chars outside the alphabet
// The bytes a byte-level token stands for; false (and out unchanged) when a char is not in the alphabet.
bool byteLevelBytes(const std::u32string &token, std::string &out);

extern const char *const kGpt2Pattern;

} // namespace attnscope::tokenize

#include <vector>

#include "core/tokenize/tokenizer.h"

namespace attnscope::tokenize {

// HF's ByteLevel offset trimming, shared with RobertaProcessing.
void trimByteLevelOffsets(std::vector<Token> &tokens, bool addPrefixSpace);

} // namespace attnscope::tokenize
