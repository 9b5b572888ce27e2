#pragma once
// Tokenizers rebuilt from the files that predate tokenizer.json, the way transformers'
// converters (convert_slow_tokenizer.py) build the equivalent fast tokenizer.

#include <memory>

#include <QJsonObject>
#include <QString>

#include "core/tokenize/tokenizer.h"

namespace attnscope::tokenize {

// vocab.txt (+ tokenizer_config.json: do_lower_case, strip_accents, tokenize_chinese_chars).
std::unique_ptr<Tokenizer> loadWordPieceVocab(const QString &dir);
// vocab.json + merges.txt: GPT-2 style, or RoBERTa style when the config or vocabulary says so.
std::unique_ptr<Tokenizer> loadByteLevelBpeFiles(const QString &dir);
// tiktoken ranks (cl100k_base.tiktoken, Llama 3 tokenizer.model).
std::unique_ptr<Tokenizer> loadTiktoken(const QString &file);
bool looksLikeTiktoken(const QString &file);
// SentencePiece tokenizer.model, read by our own reader (+ tokenizer_config.json bos/eos).
std::unique_ptr<Tokenizer> loadSentencePiece(const QString &file);

// Reads a whole file or throws InputError.
QByteArray readTokenizerFile(const QString &file);
// tokenizer_config.json next to the files, or an empty object.
QJsonObject readTokenizerConfig(const QString &dir);

} // namespace attnscope::tokenize
