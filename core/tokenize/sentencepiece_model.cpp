#include "core/tokenize/sentencepiece_model.h"

#include <cstring>
#include <functional>

#include "core/io/input_error.h"

namespace attnscope::tokenize {

namespace {

// Field numbers of sentencepiece_model.proto.
enum ModelField { kPieces = 1, kTrainerSpec = 2, kNormalizerSpec = 3 };
enum PieceField { kPiece = 1, kScore = 2, kType = 3 };
enum TrainerField { kModelType = 3, kByteFallback = 35, kUnkId = 40, kBosId = 41, kEosId = 42 };
enum NormalizerField { kCharsmap = 2, kAddDummyPrefix = 3, kRemoveExtraWhitespaces = 4, kEscapeWhitespaces = 5 };
enum WireType { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

// One protobuf message: a run of (field number, wire type, value) records.
class WireReader {
public:
    WireReader(const char *begin, const char *end, const QString &file) : m_at(begin), m_end(end), m_file(file) {}

    // Calls visit(field, wireType) for each record; visit must consume the value.
    void forEachField(const std::function<void(int, int)> &visit)
    {
        while (m_at < m_end) {
            const uint64_t tag = varint();
            const int field = int(tag >> 3);
            if (field == 0)
                fail(QStringLiteral("field number 0"));
            visit(field, int(tag & 7));
        }
    }

    uint64_t varint()
    {
        uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_at >= m_end)
                fail(QStringLiteral("truncated number"));
            const auto byte = static_cast<unsigned char>(*m_at++);
            value |= uint64_t(byte & 0x7f) << shift;
            if (byte < 0x80)
                return value;
        }
        fail(QStringLiteral("a number longer than 10 bytes"));
    }

    float fixed32()
    {
        float value;
        std::memcpy(&value, take(4), 4);
        return value;
    }

    WireReader message()
    {
        const uint64_t length = varint();
        if (length > uint64_t(m_end - m_at))
            fail(QStringLiteral("a length of %1 bytes runs past the end of the file").arg(length));
        const char *begin = take(int64_t(length));
        return WireReader(begin, begin + length, m_file);
    }

    std::string string()
    {
        const WireReader bytes = message();
        return std::string(bytes.m_at, bytes.m_end);
    }

    void skip(int wireType)
    {
        switch (wireType) {
        case kVarint: varint(); return;
        case kFixed64: take(8); return;
        case kLengthDelimited: message(); return;
        case kFixed32: take(4); return;
        default: fail(QStringLiteral("unknown wire type %1").arg(wireType));
        }
    }

    void expect(int wireType, int expected)
    {
        if (wireType != expected)
            fail(QStringLiteral("unexpected wire type %1 for a known field").arg(wireType));
    }

    [[noreturn]] void fail(const QString &problem) const
    {
        throw InputError(m_file, QStringLiteral("not a SentencePiece model: %1").arg(problem));
    }

private:
    const char *take(int64_t count)
    {
        if (count > m_end - m_at)
            fail(QStringLiteral("truncated"));
        const char *begin = m_at;
        m_at += count;
        return begin;
    }

    const char *m_at;
    const char *m_end;
    QString m_file;
};

SentencePiece readPiece(WireReader reader)
{
    SentencePiece piece;
    reader.forEachField([&](int field, int wire) {
        switch (field) {
        case kPiece: reader.expect(wire, kLengthDelimited); piece.piece = reader.string(); break;
        case kScore: reader.expect(wire, kFixed32); piece.score = reader.fixed32(); break;
        case kType: {
            reader.expect(wire, kVarint);
            const uint64_t type = reader.varint();
            if (type < 1 || type > 6)
                reader.fail(QStringLiteral("unknown piece type %1").arg(type));
            piece.type = SentencePiece::Type(type);
            break;
        }
        default: reader.skip(wire);
        }
    });
    return piece;
}

int readId(WireReader &reader, int wire)
{
    reader.expect(wire, kVarint);
    return int(int32_t(reader.varint())); // int32 fields: −1 arrives as a 10-byte varint
}

void readTrainerSpec(WireReader reader, SentencePieceModel &model)
{
    reader.forEachField([&](int field, int wire) {
        switch (field) {
        case kModelType: {
            reader.expect(wire, kVarint);
            const uint64_t kind = reader.varint();
            if (kind < 1 || kind > 4)
                reader.fail(QStringLiteral("unknown model type %1").arg(kind));
            model.kind = SentencePieceModel::Kind(kind);
            break;
        }
        case kByteFallback: reader.expect(wire, kVarint); model.byteFallback = reader.varint() != 0; break;
        case kUnkId: model.unkId = readId(reader, wire); break;
        case kBosId: model.bosId = readId(reader, wire); break;
        case kEosId: model.eosId = readId(reader, wire); break;
        default: reader.skip(wire);
        }
    });
}

void readNormalizerSpec(WireReader reader, SentencePieceModel &model)
{
    reader.forEachField([&](int field, int wire) {
        switch (field) {
        case kCharsmap: {
            reader.expect(wire, kLengthDelimited);
            const std::string bytes = reader.string();
            model.precompiledCharsmap = QByteArray(bytes.data(), qsizetype(bytes.size()));
            break;
        }
        case kAddDummyPrefix: reader.expect(wire, kVarint); model.addDummyPrefix = reader.varint() != 0; break;
        case kRemoveExtraWhitespaces: reader.expect(wire, kVarint); model.removeExtraWhitespaces = reader.varint() != 0; break;
        case kEscapeWhitespaces: reader.expect(wire, kVarint); model.escapeWhitespaces = reader.varint() != 0; break;
        default: reader.skip(wire);
        }
    });
}

} // namespace

std::string SentencePieceModel::pieceOf(int id) const
{
    return id >= 0 && id < int(pieces.size()) ? pieces[size_t(id)].piece : std::string();
}

SentencePieceModel parseSentencePieceModel(const QByteArray &bytes, const QString &file)
{
    SentencePieceModel model;
    WireReader reader(bytes.constData(), bytes.constData() + bytes.size(), file);
    reader.forEachField([&](int field, int wire) {
        switch (field) {
        case kPieces: reader.expect(wire, kLengthDelimited); model.pieces.push_back(readPiece(reader.message())); break;
        case kTrainerSpec: reader.expect(wire, kLengthDelimited); readTrainerSpec(reader.message(), model); break;
        case kNormalizerSpec: reader.expect(wire, kLengthDelimited); readNormalizerSpec(reader.message(), model); break;
        default: reader.skip(wire);
        }
    });
    if (model.pieces.empty())
        reader.fail(QStringLiteral("no pieces"));
    for (const int id : {model.unkId, model.bosId, model.eosId})
        if (id < -1 || id >= int(model.pieces.size()))
            reader.fail(QStringLiteral("special token id %1 outside the %2 pieces").arg(id).arg(model.pieces.size()));
    return model;
}

} // namespace attnscope::tokenize
