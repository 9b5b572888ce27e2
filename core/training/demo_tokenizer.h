#pragma once
// The tokenizers the text demos ship: lowercase whole-word WordPiece (BertNormalizer,
// BertPreTokenizer) over a vocabulary we choose, with letters and digits as fallback pieces
// so that any typed word still tokenizes, and special tokens framing each sequence.

#include <QJsonObject>
#include <QStringList>

namespace attnscope {

struct DemoVocabulary {
    QStringList specials; // ids 0…: e.g. [PAD] [BOS] [UNK]; must contain [UNK]
    QStringList words;    // whole words and punctuation, after the specials
    // The full list in id order: specials, words, then the single letters and digits and
    // their "##" continuations not already present.
    QStringList tokens() const;
};

// tokenizer.json: `before` and `after` are special tokens put around every sequence
// (["[BOS]"], [] for a decoder; ["[CLS]"], ["[SEP]"] for an encoder).
QJsonObject demoTokenizerJson(const DemoVocabulary &vocabulary, const QStringList &before,
                              const QStringList &after);

} // namespace attnscope
