#pragma once
// The stages of a Hugging Face tokenizer pipeline, one small interface each:
// normalizer → pre-tokenizer → model → post-processor, and a decoder for display.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/tokenize/normalized_string.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::tokenize {

class Normalizer {
public:
    virtual ~Normalizer() = default;
    virtual void normalize(NormalizedString &text) const = 0;
};

class PreTokenizer {
public:
    virtual ~PreTokenizer() = default;
    // Splits every piece further (pieces keep their offsets).
    virtual void preTokenize(std::vector<NormalizedString> &pieces) const = 0;
};

// A token produced by a model over one pre-tokenized piece: chars [begin, end) of it.
struct ModelToken {
    int64_t id = -1;
    std::string value; // UTF-8
    size_t begin = 0;
    size_t end = 0;
};

class Model {
public:
    virtual ~Model() = default;
    virtual std::vector<ModelToken> tokenize(const std::u32string &piece) const = 0;
    virtual int64_t tokenToId(const std::string &token) const = 0; // -1 when absent
    virtual std::string idToToken(int64_t id) const = 0;           // empty when absent
    virtual int64_t vocabSize() const = 0;
};

// Adds special tokens and type ids to one or two encoded sequences; also trims offsets.
class PostProcessor {
public:
    virtual ~PostProcessor() = default;
    virtual std::vector<Token> process(std::vector<Token> first, std::vector<Token> *second,
                                       bool addSpecialTokens) const = 0;
};

// HF's decode_chain: rewrites the list of token strings; the result is concatenated.
class Decoder {
public:
    virtual ~Decoder() = default;
    virtual std::vector<std::string> decodeChain(std::vector<std::string> tokens) const = 0;
};

// Shared by the pieces-splitting pre-tokenizers: applies split to each piece.
template <typename Split>
void splitEach(std::vector<NormalizedString> &pieces, Split split)
{
    std::vector<NormalizedString> out;
    out.reserve(pieces.size());
    for (const NormalizedString &piece : pieces)
        split(piece, out);
    pieces = std::move(out);
}

} // namespace attnscope::tokenize
