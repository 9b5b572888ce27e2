#pragma once
// Public tokenizer API: Hugging Face compatible tokenization with byte offsets.
// loadTokenizer() reads tokenizer.json when present, else the legacy files (vocab.txt,
// vocab.json + merges.txt, SentencePiece or tiktoken tokenizer.model, *.tiktoken).

#include <cstdint>
#include <memory>
#include <vector>

#include <QByteArray>
#include <QString>

namespace attnscope::tokenize {

// One token of an encoding; field names follow RecordedToken (core/capture/attention_record.h).
struct Token {
    int64_t id = -1;
    QString token;         // the vocabulary string, e.g. "Ġworld", "##ing", "▁the"
    QString text;          // readable display string, e.g. "␣world"
    qint64 byteBegin = -1; // UTF-8 byte offsets into the input of its sequence; 0,0 for
    qint64 byteEnd = -1;   // tokens added by the post-processor
    bool special = false;  // added by the post-processor or a special added token
    int typeId = 0;        // sentence A = 0, B = 1 (as the post-processor assigns it)
    int sequence = 0;      // the input the offsets refer to: 0 = the text, 1 = the pair's second
};

struct Encoding {
    std::vector<Token> tokens;
    std::vector<int64_t> ids() const;
};

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // Invalid UTF-8 is read with replacement characters; offsets still refer to the input bytes.
    Encoding encode(const QByteArray &utf8, bool addSpecialTokens = true) const;
    Encoding encode(const QString &text, bool addSpecialTokens = true) const;
    Encoding encodePair(const QByteArray &first, const QByteArray &second,
                        bool addSpecialTokens = true) const;

    virtual int64_t vocabSize() const = 0;                     // including added tokens
    virtual QString idToToken(int64_t id) const = 0;           // empty when unknown
    virtual QString idToText(int64_t id) const = 0;            // as Token::text shows it ("␣world")
    virtual int64_t tokenToId(const QString &token) const = 0; // -1 when unknown
    virtual QString decode(const std::vector<int64_t> &ids, bool skipSpecialTokens = true) const = 0;

protected:
    virtual Encoding encodeSequences(const QByteArray &first, const QByteArray *second,
                                     bool addSpecialTokens) const = 0;
};

// Throws attnscope::InputError naming the file and the problem.
std::unique_ptr<Tokenizer> loadTokenizer(const QString &dir);
std::unique_ptr<Tokenizer> loadTokenizerJson(const QString &file);

} // namespace attnscope::tokenize
