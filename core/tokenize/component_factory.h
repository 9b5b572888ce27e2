#pragma once
// Builds pipeline components from their tokenizer.json objects, by "type".
// Every component file defines its make… function; the registry lives in component_factory.cpp.

#include <memory>

#include "core/tokenize/components.h"
#include "core/tokenize/json_field.h"

namespace attnscope::tokenize {

std::unique_ptr<Normalizer> makeNormalizer(const JsonField &field);       // null field → nullptr
std::unique_ptr<PreTokenizer> makePreTokenizer(const JsonField &field);
std::unique_ptr<Model> makeModel(const JsonField &field);
std::unique_ptr<PostProcessor> makePostProcessor(const JsonField &field, const Model &model);
std::unique_ptr<Decoder> makeDecoder(const JsonField &field);

// Component makers, one per file.
std::unique_ptr<Normalizer> makeBertNormalizer(const JsonField &field);
std::unique_ptr<Normalizer> makeUnicodeNormalizer(const JsonField &field); // NFC NFD NFKC NFKD
std::unique_ptr<Normalizer> makeLowercase(const JsonField &field);
std::unique_ptr<Normalizer> makeStripAccents(const JsonField &field);
std::unique_ptr<Normalizer> makeReplaceNormalizer(const JsonField &field);
std::unique_ptr<Normalizer> makePrepend(const JsonField &field);
std::unique_ptr<Normalizer> makeStripNormalizer(const JsonField &field);
std::unique_ptr<Normalizer> makePrecompiled(const JsonField &field);
std::unique_ptr<Normalizer> makeNormalizerSequence(const JsonField &field);

std::unique_ptr<PreTokenizer> makeByteLevelPreTokenizer(const JsonField &field);
std::unique_ptr<PreTokenizer> makeBertPreTokenizer(const JsonField &field);
std::unique_ptr<PreTokenizer> makeWhitespace(const JsonField &field);
std::unique_ptr<PreTokenizer> makeWhitespaceSplit(const JsonField &field);
std::unique_ptr<PreTokenizer> makeMetaspacePreTokenizer(const JsonField &field);
std::unique_ptr<PreTokenizer> makeSplit(const JsonField &field);
std::unique_ptr<PreTokenizer> makeDigits(const JsonField &field);
std::unique_ptr<PreTokenizer> makePunctuation(const JsonField &field);
std::unique_ptr<PreTokenizer> makePreTokenizerSequence(const JsonField &field);

std::unique_ptr<Model> makeBpe(const JsonField &field);
std::unique_ptr<Model> makeWordPiece(const JsonField &field);
std::unique_ptr<Model> makeUnigram(const JsonField &field);

std::unique_ptr<PostProcessor> makeTemplateProcessing(const JsonField &field, const Model &model);
std::unique_ptr<PostProcessor> makeBertProcessing(const JsonField &field, const Model &model);
std::unique_ptr<PostProcessor> makeRobertaProcessing(const JsonField &field, const Model &model);
std::unique_ptr<PostProcessor> makeByteLevelProcessing(const JsonField &field, const Model &model);
std::unique_ptr<PostProcessor> makePostProcessorSequence(const JsonField &field, const Model &model);

std::unique_ptr<Decoder> makeByteLevelDecoder(const JsonField &field);
std::unique_ptr<Decoder> makeWordPieceDecoder(const JsonField &field);
std::unique_ptr<Decoder> makeMetaspaceDecoder(const JsonField &field);
std::unique_ptr<Decoder> makeReplaceDecoder(const JsonField &field);
std::unique_ptr<Decoder> makeByteFallbackDecoder(const JsonField &field);
std::unique_ptr<Decoder> makeFuseDecoder(const JsonField &field);
std::unique_ptr<Decoder> makeStripDecoder(const JsonField &field);
std::unique_ptr<Decoder> makeBpeDecoder(const JsonField &field);
std::unique_ptr<Decoder> makeDecoderSequence(const JsonField &field);

} // namespace attnscope::tokenize
