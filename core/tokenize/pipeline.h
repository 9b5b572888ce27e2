#pragma once
// The Hugging Face tokenization pipeline behind the Tokenizer API: added tokens, normalizer,
// pre-tokenizer, model, post-processor; the decoder for decode().

#include "core/tokenize/added_vocabulary.h"
#include "core/tokenize/components.h"
#include "core/tokenize/display_text.h"
#include "core/tokenize/json_field.h"

namespace attnscope::tokenize {

struct PipelineParts {
    std::unique_ptr<Normalizer> normalizer;
    std::unique_ptr<PreTokenizer> preTokenizer;
    std::unique_ptr<Model> model;
    std::unique_ptr<PostProcessor> postProcessor;
    std::unique_ptr<Decoder> decoder;
    AddedVocabulary added;
    TokenStyle style = TokenStyle::Plain;
};

// How added-token ids are taken: as Hugging Face loads a tokenizer.json (a content already in
// the model keeps the model's id, the others are numbered after the vocabulary), or as given
// (tiktoken's special tokens have fixed ids with holes before them).
enum class AddedIds { AsHuggingFace, AsGiven };

// Reads the parts of a tokenizer.json document; `model` replaces root["model"] when given
// (legacy files build their model directly).
PipelineParts readPipeline(const JsonField &root, std::unique_ptr<Model> model = nullptr,
                           AddedIds addedIds = AddedIds::AsHuggingFace);

class PipelineTokenizer : public Tokenizer {
public:
    explicit PipelineTokenizer(PipelineParts parts);

    int64_t vocabSize() const override;
    QString idToToken(int64_t id) const override;
    QString idToText(int64_t id) const override;
    int64_t tokenToId(const QString &token) const override;
    QString decode(const std::vector<int64_t> &ids, bool skipSpecialTokens = true) const override;

protected:
    Encoding encodeSequences(const QByteArray &first, const QByteArray *second, bool addSpecialTokens) const override;

private:
    std::vector<Token> encodeSequence(const QByteArray &text, int typeId) const;
    void encodeModelText(NormalizedString text, int typeId, std::vector<Token> &out) const;

    PipelineParts p;
};

} // namespace attnscope::tokenize
