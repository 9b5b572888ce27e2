#pragma once
// SentencePiece's tokenizer.model (a serialized sentencepiece.ModelProto), read by our own
// bounds-checked protobuf wire-format reader: only the fields a tokenizer needs, everything
// else skipped. Garbage, truncation and lengths past the end give InputError, never a crash.

#include <string>
#include <vector>

#include <QByteArray>
#include <QString>

namespace attnscope::tokenize {

struct SentencePiece {
    enum class Type { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };
    std::string piece;
    float score = 0;
    Type type = Type::Normal;
};

struct SentencePieceModel {
    enum class Kind { Unigram = 1, Bpe = 2, Word = 3, Char = 4 };
    std::vector<SentencePiece> pieces;
    Kind kind = Kind::Unigram;          // TrainerSpec.model_type
    bool byteFallback = false;          // TrainerSpec.byte_fallback
    int unkId = 0, bosId = 1, eosId = 2; // TrainerSpec.{unk,bos,eos}_id (−1 = none)
    QByteArray precompiledCharsmap;      // NormalizerSpec.precompiled_charsmap
    bool addDummyPrefix = true;          // NormalizerSpec.add_dummy_prefix
    bool removeExtraWhitespaces = true;  // NormalizerSpec.remove_extra_whitespaces
    bool escapeWhitespaces = true;       // NormalizerSpec.escape_whitespaces

    // The piece's text, or an empty string for an id outside the vocabulary.
    std::string pieceOf(int id) const;
};

// Throws InputError(file, "not a SentencePiece model: …") for anything but a ModelProto.
SentencePieceModel parseSentencePieceModel(const QByteArray &bytes, const QString &file);

} // namespace attnscope::tokenize
